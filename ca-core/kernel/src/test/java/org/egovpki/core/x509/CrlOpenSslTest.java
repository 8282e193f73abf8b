package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.x509.TestCas.CLOCK;
import static org.egovpki.core.x509.TestCas.NOW;
import static org.egovpki.core.x509.TestCas.RANDOM;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x509.CRLReason;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Ca;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OpenSSL 3 as the independent reader of the hand-encoded CRLs. P-256 and RSA CRLs are verified
 * by {@code openssl crl -CAfile}; OpenSSL cannot verify SM2 CRL signatures from the command line
 * (no distid option there, GM-CRYPTO.md), so for SM2 it displays the CRL and {@code openssl dgst
 * -sm3 -sigopt distid:1234567812345678} verifies the signature over the TBS bytes.
 */
class CrlOpenSslTest {

    private static final String DISTID = "distid:1234567812345678";
    private static final Pattern SERIAL_LINE = Pattern.compile("Serial Number: ([0-9A-F]+)");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC", "RSA"})
    void openSslVerifiesAFullCrlAndListsItsSerials(KeyAlgorithm algorithm) throws Exception {
        Ca ca = TestCas.root(algorithm);
        List<RevokedEntry> entries = entries(500);
        CrlRequest request = CrlRequest.of(BigInteger.valueOf(3))
                .withPartition(CrlPartition.userCertificates(List.of("http://pki.egov-pki.test/crl/root-1.crl")))
                .withFreshestCrl(List.of("http://pki.egov-pki.test/crl/root-delta.crl"));
        write(ca, build(ca, request, entries));

        assertVerifies(OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout"));
        OpenSsl.Result text = OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text)
                .contains("Version 2 (0x1)", "X509v3 CRL Number: \n                3",
                        "X509v3 Authority Key Identifier", "X509v3 Issuing Distribution Point: critical",
                        "URI:http://pki.egov-pki.test/crl/root-1.crl", "Only User Certificates",
                        "X509v3 Freshest CRL", "URI:http://pki.egov-pki.test/crl/root-delta.crl",
                        "Key Compromise", "Invalidity Date", "Superseded")
                .contains("Next Update: Jun  2 08:00:00 2025 GMT");
        assertThat(serialsIn(text.output())).containsExactlyElementsOf(hexOf(entries));
    }

    @Test
    void openSslVerifiesADeltaCrl() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        List<RevokedEntry> entries = new ArrayList<>(entries(3));
        entries.add(RevokedEntry.removeFromCrl(BigInteger.valueOf(0xabcdef), NOW.minusSeconds(60)));
        write(ca, build(ca, CrlRequest.of(BigInteger.valueOf(8)).deltaOf(BigInteger.valueOf(6)), entries));

        assertVerifies(OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout"));
        OpenSsl.Result text = OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text");
        assertThat(text.output()).as("%s", text)
                .contains("X509v3 Delta CRL Indicator: critical", "Remove From CRL");
        assertThat(serialsIn(text.output())).containsExactlyElementsOf(hexOf(entries));
    }

    @Test
    void openSslVerifiesAnEmptyCrlAndAnArl() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.EC);
        write(ca, build(ca, CrlRequest.of(BigInteger.ONE)
                .withPartition(CrlPartition.caCertificates(List.of("ldap://ldap.egov-pki.test/cn=arl,o=egov-pki,c=cn"))),
                List.of()));

        assertVerifies(OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "ca.pem", "-noout"));
        OpenSsl.Result text = OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text");
        assertThat(text.output()).as("%s", text).contains("No Revoked Certificates.", "Only CA Certificates");
    }

    @Test
    void openSslReadsTheSm2CrlAndVerifiesItsSignatureOverTheTbsBytes() throws Exception {
        Ca ca = TestCas.root(KeyAlgorithm.SM2);
        List<RevokedEntry> entries = entries(1_000);
        EncodedCrl encoded = build(ca, CrlRequest.of(BigInteger.valueOf(3)), entries);
        write(ca, encoded);
        X509CRL crl = Pem.parseCrl(encoded.der()); // exact DER, so its TBS is our bytes
        Files.write(dir.resolve("tbs.der"), crl.getTBSCertList());
        Files.write(dir.resolve("sig.der"), crl.getSignature());
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.certificate().getPublicKey().getEncoded());
        Files.writeString(dir.resolve("ca.pub"), "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n",
                StandardCharsets.US_ASCII);

        OpenSsl.Result text = OpenSsl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text)
                .contains("Version 2 (0x1)", "SM2-with-SM3", "X509v3 CRL Number", "X509v3 Authority Key Identifier",
                        "Key Compromise", "Invalidity Date");
        assertThat(serialsIn(text.output())).containsExactlyElementsOf(hexOf(entries));

        OpenSsl.Result verify = OpenSsl.run(dir, "dgst", "-sm3", "-verify", "ca.pub", "-sigopt", DISTID,
                "-signature", "sig.der", "tbs.der");
        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.output()).as("%s", verify).contains("Verified OK");
    }

    /** Random 16-octet serials, in no particular order, with a mix of reasons and invalidity dates. */
    private static List<RevokedEntry> entries(int count) {
        List<Integer> reasons = List.of(CRLReason.keyCompromise, CRLReason.superseded, CRLReason.affiliationChanged,
                CRLReason.cessationOfOperation, CRLReason.unspecified);
        List<RevokedEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int reason = reasons.get(i % reasons.size());
            entries.add(new RevokedEntry(SerialNumbers.random(RANDOM), NOW.minusSeconds(3600L + i), reason,
                    reason == CRLReason.keyCompromise ? NOW.minusSeconds(86_400L + i) : null));
        }
        return entries;
    }

    private static EncodedCrl build(Ca ca, CrlRequest request, List<RevokedEntry> entries) {
        return new CrlFactory(CLOCK).build(request, RevokedEntrySource.of(entries), ca.certificate(), ca.signer());
    }

    private void write(Ca ca, EncodedCrl crl) throws Exception {
        Files.write(dir.resolve("crl.der"), crl.der());
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()), StandardCharsets.US_ASCII);
    }

    private static List<String> serialsIn(String text) {
        List<String> serials = new ArrayList<>();
        Matcher matcher = SERIAL_LINE.matcher(text);
        while (matcher.find()) {
            serials.add(matcher.group(1));
        }
        return serials;
    }

    /** OpenSSL prints the magnitude octets in upper-case hex pairs. */
    private static List<String> hexOf(List<RevokedEntry> entries) {
        return entries.stream().map(entry -> {
            byte[] octets = entry.serial().toByteArray();
            byte[] magnitude = octets[0] == 0 && octets.length > 1 ? Arrays.copyOfRange(octets, 1, octets.length) : octets;
            return HexFormat.of().withUpperCase().formatHex(magnitude);
        }).toList();
    }

    private static void assertVerifies(OpenSsl.Result result) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output()).as("%s", result).contains("verify OK");
    }
}
