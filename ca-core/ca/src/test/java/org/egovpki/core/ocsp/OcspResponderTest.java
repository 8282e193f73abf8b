package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.ocsp.OcspFixtures.CLOCK;
import static org.egovpki.core.ocsp.OcspFixtures.NOW;
import static org.egovpki.core.ocsp.OcspFixtures.SHA1;
import static org.egovpki.core.ocsp.OcspFixtures.SHA256;
import static org.egovpki.core.ocsp.OcspFixtures.SM3;
import static org.egovpki.core.ocsp.OcspFixtures.certId;
import static org.egovpki.core.ocsp.OcspFixtures.randomBytes;
import static org.egovpki.core.ocsp.OcspFixtures.request;
import static org.egovpki.core.ocsp.OcspFixtures.serial;
import static org.egovpki.core.ocsp.OcspFixtures.wrappedNonce;

import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.ResponderID;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.egovpki.core.x509.KeyIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OcspResponderTest {

    private static final Duration ONE_HOUR = Duration.ofHours(1);
    private static final Instant THIS_UPDATE = NOW.truncatedTo(ChronoUnit.SECONDS);
    private static final Instant REVOKED_AT = Instant.parse("2025-05-30T10:15:30.123Z");

    private static final int SUCCESSFUL = 0;
    private static final int MALFORMED_REQUEST = 1;
    private static final int INTERNAL_ERROR = 2;
    private static final int TRY_LATER = 3;
    private static final int UNAUTHORIZED = 6;

    static Stream<Arguments> caAndHash() {
        return Stream.of(
                Arguments.of(KeyAlgorithm.SM2, SM3), Arguments.of(KeyAlgorithm.SM2, SHA1), Arguments.of(KeyAlgorithm.SM2, SHA256),
                Arguments.of(KeyAlgorithm.EC, SM3), Arguments.of(KeyAlgorithm.EC, SHA1), Arguments.of(KeyAlgorithm.EC, SHA256),
                Arguments.of(KeyAlgorithm.RSA, SHA1));
    }

    @ParameterizedTest(name = "{0} CA, CertID hashed with {1}")
    @MethodSource("caAndHash")
    void answersGoodRevokedAndUnknownSignedByTheCaWithTheCertIdAsAsked(KeyAlgorithm algorithm, ASN1ObjectIdentifier hash)
            throws Exception {
        TestCa ca = OcspFixtures.ca(algorithm);
        BigInteger good = serial();
        BigInteger revoked = serial();
        BigInteger neverIssued = serial();
        InMemoryStatuses statuses = new InMemoryStatuses()
                .put(ca.name(), good, RevocationStatus.good())
                .put(ca.name(), revoked, RevocationStatus.revoked(REVOKED_AT, CRLReason.keyCompromise));
        OcspResponder responder = new OcspResponder(List.of(ca.served()), statuses, CLOCK, ONE_HOUR);
        CertificateID[] ids = {certId(hash, ca.certificate(), good), certId(hash, ca.certificate(), revoked),
                certId(hash, ca.certificate(), neverIssued)};

        byte[] der = responder.respond(request(ids));

        assertThat(ASN1Primitive.fromByteArray(der).getEncoded(ASN1Encoding.DER)).as("DER").isEqualTo(der);
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.isSignatureValid(verifier(ca.signer().publicKey()))).isTrue();
        assertThat(basic.getSignatureAlgOID().getId()).isEqualTo(signatureOid(algorithm));
        ResponderID responderId = basic.getResponderId().toASN1Primitive();
        assertThat(responderId.getKeyHash()).isEqualTo(KeyIdentifiers.subjectKeyIdentifier(ca.signer().publicKey()));
        assertThat(responderId.getName()).isNull();
        assertThat(basic.getCerts()).isEmpty();
        assertThat(basic.getProducedAt()).isEqualTo(Date.from(THIS_UPDATE));
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();

        SingleResp[] singles = basic.getResponses();
        assertThat(singles).hasSize(3);
        for (int i = 0; i < singles.length; i++) {
            assertThat(singles[i].getCertID()).isEqualTo(ids[i]);
            assertThat(singles[i].getCertID().getHashAlgOID()).isEqualTo(hash);
            assertThat(singles[i].getThisUpdate()).isEqualTo(Date.from(THIS_UPDATE));
            assertThat(singles[i].getNextUpdate()).isEqualTo(Date.from(THIS_UPDATE.plus(ONE_HOUR)));
        }
        assertThat(singles[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
        assertThat(singles[1].getCertStatus()).isInstanceOf(RevokedStatus.class);
        RevokedStatus revokedStatus = (RevokedStatus) singles[1].getCertStatus();
        assertThat(revokedStatus.getRevocationTime()).isEqualTo(Date.from(REVOKED_AT.truncatedTo(ChronoUnit.SECONDS)));
        assertThat(revokedStatus.hasRevocationReason()).isTrue();
        assertThat(revokedStatus.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
        assertThat(singles[2].getCertStatus()).as("never issued").isInstanceOf(UnknownStatus.class);
    }

    @Test
    void revokedWithoutReasonHasNoReasonField() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        BigInteger revoked = serial();
        OcspResponder responder = new OcspResponder(List.of(ca.served()),
                new InMemoryStatuses().put(ca.name(), revoked, RevocationStatus.revoked(REVOKED_AT, null)), CLOCK, ONE_HOUR);

        SingleResp single = basic(responder.respond(request(certId(SM3, ca.certificate(), revoked)))).getResponses()[0];

        assertThat(((RevokedStatus) single.getCertStatus()).hasRevocationReason()).isFalse();
    }

    @ParameterizedTest(name = "nonce of {0} octets")
    @ValueSource(ints = {1, 16, 32})
    void echoesTheNonce(int length) throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        OcspResponder responder = responder(ca);
        byte[] extnValue = wrappedNonce(randomBytes(length));

        BasicOCSPResp basic = basic(responder.respond(request(extnValue, certId(SM3, ca.certificate(), serial()))));

        Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        assertThat(echoed).isNotNull();
        assertThat(echoed.getExtnValue().getOctets()).isEqualTo(extnValue);
        assertThat(basic.isSignatureValid(verifier(ca.signer().publicKey()))).isTrue();
    }

    @Test
    void echoesARawNonceAsSent() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC);
        byte[] raw = randomBytes(20);

        BasicOCSPResp basic = basic(responder(ca).respond(request(raw, certId(SHA1, ca.certificate(), serial()))));

        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets()).isEqualTo(raw);
    }

    @ParameterizedTest(name = "nonce of {0} octets")
    @ValueSource(ints = {0, 33, 64})
    void refusesANonceOutsideOneTo32Octets(int length) throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC);

        byte[] der = responder(ca).respond(request(wrappedNonce(randomBytes(length)), certId(SHA1, ca.certificate(), serial())));

        assertUnsigned(der, MALFORMED_REQUEST);
    }

    static Stream<Arguments> garbage() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC);
        byte[] valid = request(certId(SHA1, ca.certificate(), serial()));
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        byte[] noCertIds = new OCSPRequest(new TBSRequest(null, new DERSequence(), (Extensions) null), null).getEncoded();
        return Stream.of(
                Arguments.of("empty array", new byte[0]),
                Arguments.of("null", null),
                Arguments.of("random bytes", randomBytes(200)),
                Arguments.of("truncated DER", Arrays.copyOf(valid, valid.length - 5)),
                Arguments.of("one byte", new byte[] {0x30}),
                Arguments.of("trailing byte", trailing),
                Arguments.of("a SEQUENCE that is no request", new DERSequence().getEncoded()),
                Arguments.of("a certificate", ca.certificate().getEncoded()),
                Arguments.of("no CertID", noCertIds),
                Arguments.of("huge length", new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x30}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void answersMalformedRequestToGarbage(String name, byte[] input) throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC);

        assertUnsigned(responder(ca).respond(input), MALFORMED_REQUEST);
    }

    @Test
    void answersUpToTwentyCertIdsAndRefusesMore() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        OcspResponder responder = responder(ca);
        CertificateID[] ids = new CertificateID[21];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = certId(SM3, ca.certificate(), serial());
        }

        assertThat(basic(responder.respond(request(Arrays.copyOf(ids, 20)))).getResponses()).hasSize(20);
        assertUnsigned(responder.respond(request(ids)), MALFORMED_REQUEST);
    }

    @Test
    void refusesAnUnknownCriticalExtension() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC);
        byte[] der = new OCSPReqBuilder().addRequest(certId(SHA1, ca.certificate(), serial()))
                .setRequestExtensions(new Extensions(new Extension(new ASN1ObjectIdentifier("1.2.3.4"), true, new byte[] {5})))
                .build().getEncoded();

        assertUnsigned(responder(ca).respond(der), MALFORMED_REQUEST);
    }

    @Test
    void answersUnauthorizedForACaItDoesNotServe() throws Exception {
        TestCa served = OcspFixtures.ca(KeyAlgorithm.SM2);
        TestCa other = OcspFixtures.ca(KeyAlgorithm.SM2, "other", CLOCK);

        assertUnsigned(responder(served).respond(request(certId(SM3, other.certificate(), serial()))), UNAUTHORIZED);
    }

    @Test
    void answersUnknownForTheUnservedCertIdsOfAMixedRequest() throws Exception {
        TestCa served = OcspFixtures.ca(KeyAlgorithm.SM2);
        TestCa other = OcspFixtures.ca(KeyAlgorithm.SM2, "other", CLOCK);
        BigInteger good = serial();
        OcspResponder responder = new OcspResponder(List.of(served.served()),
                new InMemoryStatuses().put(served.name(), good, RevocationStatus.good()), CLOCK, ONE_HOUR);

        BasicOCSPResp basic = basic(responder.respond(
                request(certId(SM3, other.certificate(), good), certId(SM3, served.certificate(), good))));

        assertThat(basic.isSignatureValid(verifier(served.signer().publicKey()))).isTrue();
        assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(UnknownStatus.class);
        assertThat(basic.getResponses()[1].getCertStatus()).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void eachServedCaSignsForItsOwnCertificatesAndAsksTheSourceByItsName() throws Exception {
        TestCa first = OcspFixtures.ca(KeyAlgorithm.SM2, "first", CLOCK);
        TestCa second = OcspFixtures.ca(KeyAlgorithm.EC, "second", CLOCK);
        BigInteger serial = serial();
        InMemoryStatuses statuses = new InMemoryStatuses()
                .put("first", serial, RevocationStatus.revoked(REVOKED_AT, CRLReason.superseded))
                .put("second", serial, RevocationStatus.good());
        OcspResponder responder = new OcspResponder(List.of(first.served(), second.served()), statuses, CLOCK, ONE_HOUR);

        BasicOCSPResp fromFirst = basic(responder.respond(request(certId(SHA256, first.certificate(), serial))));
        BasicOCSPResp fromSecond = basic(responder.respond(request(certId(SHA256, second.certificate(), serial))));

        assertThat(fromFirst.isSignatureValid(verifier(first.signer().publicKey()))).isTrue();
        assertThat(fromFirst.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        assertThat(fromSecond.isSignatureValid(verifier(second.signer().publicKey()))).isTrue();
        assertThat(fromSecond.getResponses()[0].getCertStatus()).isSameAs(CertificateStatus.GOOD);
    }

    @Test
    void answersTryLaterWhenTheStatusStoreIsDown() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        OcspResponder responder = new OcspResponder(List.of(ca.served()), (issuer, serial) -> {
            throw DomainException.unavailable("directory down", null);
        }, CLOCK, ONE_HOUR);

        assertUnsigned(responder.respond(request(certId(SM3, ca.certificate(), serial()))), TRY_LATER);
    }

    @Test
    void answersInternalErrorWhenTheStatusSourceBreaksItsContract() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        OcspResponder responder = new OcspResponder(List.of(ca.served()), (issuer, serial) -> null, CLOCK, ONE_HOUR);

        assertUnsigned(responder.respond(request(certId(SM3, ca.certificate(), serial()))), INTERNAL_ERROR);
    }

    @Test
    void answersConcurrentRequestsCorrectly() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        BigInteger revoked = serial();
        OcspResponder responder = new OcspResponder(List.of(ca.served()),
                new InMemoryStatuses().put(ca.name(), revoked, RevocationStatus.revoked(REVOKED_AT, 1)), CLOCK, ONE_HOUR);
        byte[] requestDer = request(certId(SM3, ca.certificate(), revoked));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(() -> responder.respond(requestDer));
            }
            for (Future<byte[]> result : pool.invokeAll(calls)) {
                BasicOCSPResp basic = basic(result.get());
                assertThat(basic.isSignatureValid(verifier(ca.signer().publicKey()))).isTrue();
                assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesInvalidConfiguration() {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2);
        TestCa other = OcspFixtures.ca(KeyAlgorithm.SM2, "other", CLOCK);
        InMemoryStatuses statuses = new InMemoryStatuses();

        assertThatThrownBy(() -> new ServedCa("x", ca.certificate(), other.signer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold the key");
        assertThatThrownBy(() -> new OcspResponder(List.of(), statuses, CLOCK, ONE_HOUR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new OcspResponder(List.of(ca.served()), statuses, CLOCK, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nextUpdateAfter");
        assertThatThrownBy(() -> new OcspResponder(List.of(ca.served(), ca.served()), statuses, CLOCK, ONE_HOUR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new OcspResponder(List.of(ca.served(),
                new ServedCa("alias", ca.certificate(), ca.signer())), statuses, CLOCK, ONE_HOUR))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same subject and key");
        assertThatThrownBy(() -> RevocationStatus.revoked(REVOKED_AT, 7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CRLReason");
    }

    private static OcspResponder responder(TestCa ca) {
        return new OcspResponder(List.of(ca.served()), new InMemoryStatuses(), CLOCK, ONE_HOUR);
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(SUCCESSFUL);
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static void assertUnsigned(byte[] der, int status) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getResponseObject()).isNull();
    }

    private static org.bouncycastle.operator.ContentVerifierProvider verifier(PublicKey key) throws Exception {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(key);
    }

    private static String signatureOid(KeyAlgorithm algorithm) {
        return switch (algorithm) {
            case SM2 -> "1.2.156.10197.1.501";
            case RSA -> "1.2.840.113549.1.1.11";
            case EC -> "1.2.840.10045.4.3.2";
        };
    }
}
