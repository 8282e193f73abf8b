package org.egovpki.core.ocsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.ocsp.OcspFixtures.serial;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPResponse;
import org.bouncycastle.asn1.x509.CRLReason;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.ocsp.OcspFixtures.InMemoryStatuses;
import org.egovpki.core.ocsp.OcspFixtures.TestCa;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSL 3 as the independent OCSP client: it builds the requests and verifies the responses
 * of a P-256 CA with no extra flags. OpenSSL checks thisUpdate/nextUpdate and the CA certificate
 * against the real clock, so the fixed clock here is set to the real time when the test starts.
 * For an SM2 CA OpenSSL cannot verify OCSP signatures (no distid option in {@code openssl ocsp},
 * GM-CRYPTO.md): it reads the status with {@code -noverify}, and the signature is checked over
 * the tbsResponseData bytes with {@code openssl dgst -sm3 -sigopt distid:1234567812345678}.
 */
class OcspResponderOpenSslTest {

    private static final Duration ONE_HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private Clock clock;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @BeforeEach
    void realTimeFixedClock() {
        clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60), ZoneOffset.UTC);
    }

    @ParameterizedTest(name = "CertID hash {0}")
    @ValueSource(strings = {"-sha1", "-sha256", "-sm3"})
    void openSslVerifiesAGoodAnswerOfAP256Ca(String hash) throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC, "issuing", clock);
        X509Certificate leaf = OcspFixtures.leaf(ca, clock);
        OcspResponder responder = responder(ca, leaf.getSerialNumber(), RevocationStatus.good());
        writeFiles(ca, leaf);

        assertOk(OpenSsl.run(dir, "ocsp", hash, "-issuer", "ca.pem", "-cert", "leaf.pem", "-reqout", "req.der", "-no_nonce"));
        Files.write(dir.resolve("resp.der"), responder.respond(Files.readAllBytes(dir.resolve("req.der"))));
        OpenSsl.Result result = OpenSsl.run(dir, "ocsp", hash, "-respin", "resp.der", "-issuer", "ca.pem",
                "-CAfile", "ca.pem", "-cert", "leaf.pem", "-no_nonce", "-resp_text");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).as(result.toString()).contains("Response verify OK").contains("leaf.pem: good")
                .doesNotContain("WARNING");
    }

    @Test
    void openSslVerifiesARevokedAnswerWithItsReasonAndTheEchoedNonce() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.EC, "issuing", clock);
        X509Certificate leaf = OcspFixtures.leaf(ca, clock);
        OcspResponder responder = responder(ca, leaf.getSerialNumber(),
                RevocationStatus.revoked(clock.instant().minusSeconds(30), CRLReason.keyCompromise));
        writeFiles(ca, leaf);

        assertOk(OpenSsl.run(dir, "ocsp", "-issuer", "ca.pem", "-cert", "leaf.pem", "-reqout", "req.der"));
        Files.write(dir.resolve("resp.der"), responder.respond(Files.readAllBytes(dir.resolve("req.der"))));
        // With -cert, openssl builds its own request (with a fresh nonce) and ignores -reqin; so the
        // nonce is checked against our request without -cert, and the status read with -cert -no_nonce.
        OpenSsl.Result nonceChecked = OpenSsl.run(dir, "ocsp", "-reqin", "req.der", "-respin", "resp.der",
                "-issuer", "ca.pem", "-CAfile", "ca.pem", "-resp_text");
        assertThat(nonceChecked.exitCode()).as(nonceChecked.toString()).isZero();
        assertThat(nonceChecked.output()).as(nonceChecked.toString())
                .contains("Response verify OK")
                .contains("OCSP Nonce")
                .contains("Revocation Reason: keyCompromise")
                .doesNotContain("WARNING")
                .doesNotContain("Nonce Verify error");

        OpenSsl.Result result = OpenSsl.run(dir, "ocsp", "-respin", "resp.der", "-issuer", "ca.pem",
                "-CAfile", "ca.pem", "-cert", "leaf.pem", "-no_nonce", "-resp_text");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.output()).as(result.toString())
                .contains("Response verify OK")
                .contains("leaf.pem: revoked")
                .contains("Reason: keyCompromise")
                .doesNotContain("WARNING");
    }

    @Test
    void openSslReadsAnSm2AnswerAndVerifiesItsSignatureOverTheTbsBytes() throws Exception {
        TestCa ca = OcspFixtures.ca(KeyAlgorithm.SM2, "issuing", clock);
        X509Certificate leaf = OcspFixtures.leaf(ca, clock);
        OcspResponder responder = responder(ca, leaf.getSerialNumber(), RevocationStatus.good());
        writeFiles(ca, leaf);

        assertOk(OpenSsl.run(dir, "ocsp", "-sm3", "-issuer", "ca.pem", "-cert", "leaf.pem", "-reqout", "req.der"));
        byte[] der = responder.respond(Files.readAllBytes(dir.resolve("req.der")));
        Files.write(dir.resolve("resp.der"), der);
        OpenSsl.Result shown = OpenSsl.run(dir, "ocsp", "-sm3", "-respin", "resp.der", "-issuer", "ca.pem",
                "-cert", "leaf.pem", "-resp_text", "-noverify");
        assertThat(shown.exitCode()).as(shown.toString()).isZero();
        assertThat(shown.output()).as(shown.toString()).contains("leaf.pem: good").contains("SM2-with-SM3");

        BasicOCSPResponse basic = BasicOCSPResponse.getInstance(
                OCSPResponse.getInstance(der).getResponseBytes().getResponse().getOctets());
        Files.write(dir.resolve("tbs.der"), basic.getTbsResponseData().getEncoded(ASN1Encoding.DER));
        Files.write(dir.resolve("sig.der"), basic.getSignature().getOctets());
        assertOk(OpenSsl.run(dir, "x509", "-in", "ca.pem", "-pubkey", "-noout", "-out", "ca.pub"));
        OpenSsl.Result verified = OpenSsl.run(dir, "dgst", "-sm3", "-verify", "ca.pub", "-sigopt",
                "distid:1234567812345678", "-signature", "sig.der", "tbs.der");
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.output()).as(verified.toString()).contains("Verified OK");
    }

    private OcspResponder responder(TestCa ca, BigInteger serial, RevocationStatus status) {
        InMemoryStatuses statuses = new InMemoryStatuses().put(ca.name(), serial, status)
                .put(ca.name(), serial(), RevocationStatus.good());
        return new OcspResponder(List.of(ca.served()), statuses, clock, ONE_HOUR);
    }

    private void writeFiles(TestCa ca, X509Certificate leaf) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca.certificate()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("leaf.pem"), Pem.certificate(leaf), StandardCharsets.US_ASCII);
    }

    private static void assertOk(OpenSsl.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }
}
