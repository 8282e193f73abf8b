package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.enroll.validation.CertificationRequests.POP_FAILED;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;
import static org.egovpki.core.enroll.validation.TestCsrs.SUBJECT;
import static org.egovpki.core.enroll.validation.TestCsrs.ascii;
import static org.egovpki.core.enroll.validation.TestCsrs.csr;
import static org.egovpki.core.enroll.validation.TestCsrs.pem;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CertificationRequestsTest {

    private final CertificationRequests requests = new CertificationRequests(new KeyPolicy(false));

    static Stream<Arguments> wellFormedRequests() {
        return Stream.of(
                Arguments.of("SM2 with SM3withSM2", (Supplier<KeyPair>) TestCsrs::sm2, "SM3WITHSM2", KeyAlgorithm.SM2,
                        "1.2.156.10197.1.501"),
                Arguments.of("P-256 with SHA256withECDSA", (Supplier<KeyPair>) () -> TestCsrs.ec("secp256r1"),
                        "SHA256WITHECDSA", KeyAlgorithm.EC, "1.2.840.10045.4.3.2"),
                Arguments.of("P-384 with SHA384withECDSA", (Supplier<KeyPair>) () -> TestCsrs.ec("secp384r1"),
                        "SHA384WITHECDSA", KeyAlgorithm.EC, "1.2.840.10045.4.3.3"),
                Arguments.of("RSA-2048 with SHA256withRSA", (Supplier<KeyPair>) () -> TestCsrs.rsa(2048),
                        "SHA256WITHRSA", KeyAlgorithm.RSA, "1.2.840.113549.1.1.11"),
                Arguments.of("RSA-2048 with RSASSA-PSS SHA-256", (Supplier<KeyPair>) () -> TestCsrs.rsa(2048),
                        "SHA256WITHRSAANDMGF1", KeyAlgorithm.RSA, "1.2.840.113549.1.1.10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedRequests")
    void parsesAndVerifiesProofOfPossession(String description, Supplier<KeyPair> keys, String signatureAlgorithm,
            KeyAlgorithm expectedAlgorithm, String expectedOid) {
        KeyPair keyPair = keys.get();
        byte[] der = csr(keyPair, signatureAlgorithm);

        ParsedCsr parsed = requests.parse(der);

        assertThat(parsed.algorithm()).isEqualTo(expectedAlgorithm);
        assertThat(parsed.signatureAlgorithmOid()).isEqualTo(expectedOid);
        assertThat(parsed.subject()).isEqualTo(SUBJECT);
        assertThat(parsed.publicKey()).isEqualTo(SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()));
        assertThat(parsed.der()).isEqualTo(der);
        assertThat(parsed.requestedSans()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormedRequests")
    void aFlippedSignatureFailsProofOfPossession(String description, Supplier<KeyPair> keys, String signatureAlgorithm,
            KeyAlgorithm expectedAlgorithm, String expectedOid) {
        byte[] forged = TestCsrs.withSignature(csr(keys.get(), signatureAlgorithm), TestCsrs::flipLastByte);

        assertRefused(() -> requests.parse(forged), "csr", POP_FAILED);
    }

    @Test
    void aRequestThatVerifiedIsNotVerifiedAgain() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        requests.parse(der);
        long after = requests.verifications();

        ParsedCsr again = requests.parse(der.clone());
        ParsedCsr asPem = requests.parse(ascii(pem(der, "CERTIFICATE REQUEST")));

        assertThat(after).isEqualTo(1);
        assertThat(requests.verifications()).isEqualTo(after);
        assertThat(again.der()).isEqualTo(der);
        assertThat(asPem.der()).isEqualTo(der);
        // Remembered by this instance only.
        CertificationRequests other = new CertificationRequests(new KeyPolicy(false));
        other.parse(der);
        assertThat(other.verifications()).isEqualTo(1);
    }

    @Test
    void aForgeryOfARememberedRequestIsStillRefused() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        requests.parse(der);
        byte[] forged = TestCsrs.withSignature(der, TestCsrs::flipLastByte);
        long before = requests.verifications();

        assertRefused(() -> requests.parse(forged), "csr", POP_FAILED);
        assertRefused(() -> requests.parse(forged), "csr", POP_FAILED);
        assertThat(requests.verifications()).isEqualTo(before + 2);
    }

    @Test
    void onlyTheLatestRequestsAreRemembered() {
        byte[] first = csr(TestCsrs.sm2(), "SM3WITHSM2");
        requests.parse(first);
        for (int i = 0; i < CertificationRequests.REMEMBERED_PROOFS; i++) {
            requests.parse(csr(TestCsrs.ec("secp256r1"), "SHA256WITHECDSA"));
        }
        long before = requests.verifications();

        requests.parse(first);

        assertThat(requests.verifications()).isEqualTo(before + 1);
    }

    @Test
    void aRequestParsedAgainIsKeptLongerThanOnesVerifiedOnce() {
        byte[] kept = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] dropped = csr(TestCsrs.sm2(), "SM3WITHSM2");
        requests.parse(kept);
        requests.parse(dropped);
        for (int i = 0; i < CertificationRequests.REMEMBERED_PROOFS - 2; i++) {
            requests.parse(csr(TestCsrs.ec("secp256r1"), "SHA256WITHECDSA"));
        }
        requests.parse(kept);
        requests.parse(csr(TestCsrs.ec("secp256r1"), "SHA256WITHECDSA"));
        long before = requests.verifications();

        requests.parse(kept);
        assertThat(requests.verifications()).as("parsed again lately: still remembered").isEqualTo(before);
        requests.parse(dropped);
        assertThat(requests.verifications()).as("the least recently used went first").isEqualTo(before + 1);
    }

    @Test
    void whatIsRememberedIsACopyNotTheCallersArray() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] callers = der.clone();
        requests.parse(callers);
        Arrays.fill(callers, (byte) 0);
        long before = requests.verifications();

        requests.parse(der);

        assertThat(requests.verifications()).isEqualTo(before);
    }

    @Test
    void aRequestSignedByAnotherKeyFailsProofOfPossession() {
        byte[] mine = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] theirs = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] spliced = TestCsrs.withSignature(mine,
                signature -> org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(theirs).getSignature().getOctets());

        assertRefused(() -> requests.parse(spliced), "csr", POP_FAILED);
    }

    @Test
    void anSm2SignatureWithANegativeSIsRefusedAsPopFailureAndRecognisedAsATokenEncodingBug() {
        // Some tokens drop the leading 0x00 of a high-bit r or s, making the INTEGER negative;
        // BC's SM2Signer then answers false without an exception.
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] negativeS = TestCsrs.withSignature(der, signature -> {
            ASN1Sequence rs = ASN1Sequence.getInstance(signature);
            BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getValue();
            return encode(r, s.negate());
        });

        assertRefused(() -> requests.parse(negativeS), "csr", POP_FAILED);
        assertThat(CertificationRequests.sm2SignatureAnomaly(
                org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(negativeS).getSignature().getOctets()))
                .contains("zero or negative");
    }

    @Test
    void sm2SignatureAnomaliesAreNamed() {
        BigInteger n = GMNamedCurves.getByName("sm2p256v1").getN();
        byte[] good = encode(BigInteger.TEN, BigInteger.valueOf(11));
        byte[] nonDer = good.clone();
        byte[] longForm = new byte[good.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81; // non-minimal length: BER, not DER
        longForm[2] = good[1];
        System.arraycopy(good, 2, longForm, 3, good.length - 2);

        assertThat(CertificationRequests.sm2SignatureAnomaly(good)).isNull();
        assertThat(CertificationRequests.sm2SignatureAnomaly(new byte[64])).contains("raw bytes r||s");
        assertThat(CertificationRequests.sm2SignatureAnomaly(encode(n, BigInteger.ONE))).contains("not below the SM2 group order");
        assertThat(CertificationRequests.sm2SignatureAnomaly(encode(BigInteger.ZERO, BigInteger.ONE))).contains("zero or negative");
        assertThat(CertificationRequests.sm2SignatureAnomaly(longForm)).isNotNull();
        assertThat(CertificationRequests.sm2SignatureAnomaly(Arrays.copyOf(nonDer, 5))).contains("not a DER SEQUENCE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"})
    void acceptsPemWithEitherLabel(String label) {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");

        ParsedCsr parsed = requests.parse(ascii("\r\n" + pem(der, label).replace("\n", "\r\n") + "\r\n\r\n"));

        assertThat(parsed.der()).isEqualTo(der);
    }

    @Test
    void reportsTheRequestedSubjectAltNamesForInformationOnly() {
        GeneralName dns = new GeneralName(GeneralName.dNSName, "www.example.gov.cn");
        GeneralName ip = new GeneralName(GeneralName.iPAddress, "10.1.2.3");

        ParsedCsr parsed = requests.parse(csr(SUBJECT, TestCsrs.ec("secp256r1"), "SHA256WITHECDSA", dns, ip));

        assertThat(parsed.requestedSans()).containsExactly(dns, ip);
    }

    @Test
    void refusesMoreSubjectAltNamesThanADeviceCanRegister() {
        GeneralName[] sans = new GeneralName[CertificationRequests.MAX_REQUESTED_SANS + 1];
        for (int i = 0; i < sans.length; i++) {
            sans[i] = new GeneralName(GeneralName.dNSName, "host" + i + ".example.gov.cn");
        }

        assertRefused(() -> requests.parse(csr(SUBJECT, TestCsrs.ec("secp256r1"), "SHA256WITHECDSA", sans)), "csr",
                "more than the " + CertificationRequests.MAX_REQUESTED_SANS + " allowed");
    }

    @Test
    void appliesTheKeyPolicy() {
        byte[] rsa1024 = csr(TestCsrs.rsa(1024), "SHA256WITHRSA");

        assertRefused(() -> requests.parse(rsa1024), "csr", "below the 2048-bit minimum");
        assertThat(new CertificationRequests(new KeyPolicy(true)).parse(rsa1024).algorithm()).isEqualTo(KeyAlgorithm.RSA);
    }

    @Test
    void refusesWeakOrMismatchedSignatureAlgorithms() {
        assertRefused(() -> requests.parse(csr(TestCsrs.rsa(2048), "SHA1WITHRSA")), "csr",
                "signature algorithm 1.2.840.113549.1.1.5 is not accepted");
        // ECDSA works on any curve, so an SM2 key can make an ECDSA signature: still refused.
        assertRefused(() -> requests.parse(csr(TestCsrs.sm2(), "SHA256WITHECDSA")), "csr",
                "does not go with its SM2 key; sign with SM3withSM2");
    }

    static Stream<Arguments> malformedInputs() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] random = new byte[300];
        new Random(42).nextBytes(random);
        random[0] = 0x30;
        byte[] trailingByte = Arrays.copyOf(der, der.length + 1);
        byte[] oversized = new byte[CertificationRequests.MAX_INPUT_BYTES + 1];
        oversized[0] = 0x30;
        byte[] ber = nonMinimalOuterLength(der);
        String pem = pem(der, "CERTIFICATE REQUEST");
        return Stream.of(
                Arguments.of("truncated DER", Arrays.copyOf(der, der.length - 10), "truncated"),
                Arguments.of("random bytes", random, "(300 bytes)"),
                Arguments.of("random bytes not starting with a SEQUENCE", new byte[] {1, 2, 3, 4}, "does not start with a SEQUENCE"),
                Arguments.of("DER with a trailing byte", trailingByte, "trailing data"),
                Arguments.of("BER outer length", ber, "not in DER (distinguished) encoding"),
                Arguments.of("oversized input", oversized, "more than the 65536 accepted"),
                Arguments.of("empty input", new byte[0], "no certification request"),
                Arguments.of("PEM with trailing garbage", ascii(pem + "garbage\n"), "trailing data"),
                Arguments.of("PEM with a second block", ascii(pem + pem), "trailing data"),
                Arguments.of("text before the PEM block", ascii("Certificate Request:\n" + pem), "does not start with"),
                Arguments.of("PEM certificate instead", ascii(pem.replace("CERTIFICATE REQUEST", "CERTIFICATE")),
                        "not a CERTIFICATE REQUEST"),
                Arguments.of("PEM without END line", ascii(pem.substring(0, pem.indexOf("-----END"))), "no \"-----END"),
                Arguments.of("PEM with broken base64", ascii(pem.replace("\n-----END", "!\n-----END")), "not valid base64"),
                Arguments.of("PEM with headers", ascii(pem.replaceFirst("REQUEST-----\n", "REQUEST-----\nProc-Type: 4,ENCRYPTED\n\n")),
                        "header lines"),
                Arguments.of("PEM of a truncated request",
                        ascii(pem(Arrays.copyOf(der, der.length / 2), "CERTIFICATE REQUEST")), "truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedInputs")
    void refusesMalformedInput(String description, byte[] input, String fragment) {
        assertRefused(() -> requests.parse(input), "csr", fragment);
    }

    @Test
    void refusesNull() {
        assertRefused(() -> requests.parse(null), "csr", "no certification request");
    }

    @Test
    void messagesNeverEchoTheRequest() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        String base64 = Base64.getEncoder().encodeToString(der);
        byte[] garbage = ascii(pem(der, "CERTIFICATE REQUEST") + base64);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.parse(garbage))
                .message().doesNotContain(base64.substring(0, 40));
    }

    @Test
    void parsedRequestsAreImmutable() {
        byte[] der = csr(TestCsrs.sm2(), "SM3WITHSM2");
        byte[] input = der.clone();
        ParsedCsr parsed = requests.parse(input);

        input[10] ^= 1;
        parsed.der()[10] ^= 1;

        assertThat(parsed.der()).isEqualTo(der);
        assertThat(parsed).isEqualTo(requests.parse(der)).hasSameHashCodeAs(requests.parse(der));
        assertThat(parsed.toString()).contains("SM2").doesNotContain(Base64.getEncoder().encodeToString(der).substring(0, 20));
    }

    private static byte[] encode(BigInteger r, BigInteger s) {
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The same request with its outer SEQUENCE length written in 4 bytes: valid BER, not DER. */
    private static byte[] nonMinimalOuterLength(byte[] der) {
        int lengthBytes = (der[1] & 0x80) == 0 ? 0 : der[1] & 0x7F;
        int headerLength = 2 + lengthBytes;
        int contentLength = der.length - headerLength;
        byte[] out = new byte[6 + contentLength];
        out[0] = 0x30;
        out[1] = (byte) 0x84;
        out[2] = (byte) (contentLength >>> 24);
        out[3] = (byte) (contentLength >>> 16);
        out[4] = (byte) (contentLength >>> 8);
        out[5] = (byte) contentLength;
        System.arraycopy(der, headerLength, out, 6, contentLength);
        return out;
    }
}
