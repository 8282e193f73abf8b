package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.ocsp.OcspFixtures.CLOCK;
import static org.egovpki.core.ocsp.OcspFixtures.SHA1;
import static org.egovpki.core.ocsp.OcspFixtures.SHA256;
import static org.egovpki.core.ocsp.OcspFixtures.SM3;
import static org.egovpki.core.ocsp.OcspFixtures.certId;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Odd CertID fields (issue 11 #6): a negative, zero or oversized serial, wrong hash lengths and
 * unknown hash algorithms are answered {@code unknown}, {@code unauthorized} or
 * {@code malformedRequest} as RFC 6960 says, never {@code internalError}. The status source
 * names records the way the directory does ({@link CertificateRecord#id}), which refuses a
 * negative serial, as the directory's source did when the defect was found.
 */
class OcspCertIdFuzzTest {

    private static final int SUCCESSFUL = 0;
    private static final int MALFORMED_REQUEST = 1;
    private static final int INTERNAL_ERROR = 2;
    private static final int UNAUTHORIZED = 6;
    private static final TestCa CA = OcspFixtures.ca(KeyAlgorithm.SM2);

    /** Looks serials up by the directory's record id, like LdapCertificateStatusSource. */
    private static final CertificateStatusSource DIRECTORY_LIKE = (issuer, serial) -> {
        String id = CertificateRecord.id(issuer, serial);
        return id.endsWith("-1") ? Optional.of(RevocationStatus.good()) : Optional.empty();
    };

    private final OcspResponder responder = new OcspResponder(List.of(CA.served()), DIRECTORY_LIKE, CLOCK,
            Duration.ofHours(1));

    static Stream<Arguments> oddSerials() {
        return Stream.of(
                Arguments.of("negative", BigInteger.valueOf(-1)),
                Arguments.of("large negative", BigInteger.ONE.shiftLeft(200).negate()),
                Arguments.of("zero", BigInteger.ZERO),
                Arguments.of("21 octets", BigInteger.ONE.shiftLeft(160)),
                Arguments.of("200 octets", BigInteger.ONE.shiftLeft(1600).subtract(BigInteger.ONE)));
    }

    @ParameterizedTest(name = "{0} serial")
    @MethodSource("oddSerials")
    void aSerialNoCaIssuesIsUnknown(String name, BigInteger serial) throws Exception {
        for (ASN1ObjectIdentifier hash : List.of(SM3, SHA1, SHA256)) {
            OCSPResp response = new OCSPResp(responder.respond(OcspFixtures.request(certId(hash, CA.certificate(),
                    serial))));
            assertThat(response.getStatus()).as(name + " with " + hash).isEqualTo(SUCCESSFUL);
            assertThat(((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus())
                    .isInstanceOf(UnknownStatus.class);
        }
    }

    @Test
    void anIssuedSerialNextToAnOddOneIsStillAnswered() throws Exception {
        OCSPResp response = new OCSPResp(responder.respond(OcspFixtures.request(
                certId(SM3, CA.certificate(), BigInteger.valueOf(-5)), certId(SM3, CA.certificate(), BigInteger.ONE))));
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(UnknownStatus.class);
        assertThat(basic.getResponses()[1].getCertStatus()).isNull(); // good
    }

    @Test
    void randomisedCertIdFieldsNeverGiveInternalError() throws Exception {
        Random random = new Random(20261201L);
        CertID valid = certId(SM3, CA.certificate(), BigInteger.TEN).toASN1Primitive();
        List<ASN1ObjectIdentifier> algorithms = List.of(SM3, SHA1, SHA256, new ASN1ObjectIdentifier("1.2.3.4"),
                new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.3"));
        for (int round = 0; round < 400; round++) {
            AlgorithmIdentifier algorithm = random.nextBoolean() ? valid.getHashAlgorithm()
                    : new AlgorithmIdentifier(algorithms.get(random.nextInt(algorithms.size())),
                    random.nextBoolean() ? DERNull.INSTANCE : null);
            byte[] nameHash = random.nextInt(3) == 0 ? valid.getIssuerNameHash().getOctets() : bytes(random);
            byte[] keyHash = random.nextInt(3) == 0 ? valid.getIssuerKeyHash().getOctets() : bytes(random);
            BigInteger serial = switch (random.nextInt(5)) {
                case 0 -> BigInteger.valueOf(random.nextLong());
                case 1 -> new BigInteger(random.nextInt(1400) + 1, random).negate();
                case 2 -> new BigInteger(random.nextInt(1400) + 1, random);
                case 3 -> BigInteger.ZERO;
                default -> BigInteger.ONE;
            };
            CertID odd = new CertID(algorithm, new DEROctetString(nameHash), new DEROctetString(keyHash),
                    new ASN1Integer(serial));
            byte[] request = new OCSPRequest(new TBSRequest(null, new DERSequence(new Request(odd, null)), (Extensions) null), null)
                    .getEncoded();

            int status = new OCSPResp(responder.respond(request)).getStatus();

            assertThat(status).as("round %d: %s, name hash %d octets, key hash %d octets, serial %s", round,
                    algorithm.getAlgorithm(), nameHash.length, keyHash.length, serial)
                    .isIn(SUCCESSFUL, MALFORMED_REQUEST, UNAUTHORIZED).isNotEqualTo(INTERNAL_ERROR);
        }
    }

    private static byte[] bytes(Random random) {
        byte[] bytes = new byte[random.nextInt(70)];
        random.nextBytes(bytes);
        return bytes;
    }
}
