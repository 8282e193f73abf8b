package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.TestCas.Chain;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OpenSSL 3 as the independent check of our certificate encodings. SM2 needs
 * {@code distid:1234567812345678} because OpenSSL's default SM2 user ID is empty. CRLs are
 * checked in {@link CrlOpenSslTest}.
 */
class OpenSslInteropTest {

    private static final String DISTID = "distid:1234567812345678";

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @Test
    void openSslVerifiesTheSm2ChainWithTheDefaultUserId() throws Exception {
        Chain chain = TestCas.chain(KeyAlgorithm.SM2);
        writePem("root.pem", chain.root().certificate());
        writePem("issuing.pem", chain.issuing().certificate());

        assertVerifies(OpenSsl.run(dir, "verify", "-vfyopt", DISTID, "-CAfile", "root.pem", "issuing.pem"), "issuing.pem");
        assertVerifies(OpenSsl.run(dir, "verify", "-vfyopt", DISTID, "-CAfile", "root.pem", "root.pem"), "root.pem");
    }

    @Test
    void openSslVerifiesTheSm2RootSelfSignatureOverTheTbsBytes() throws Exception {
        // "openssl verify -check_ss_sig" cannot do this for SM2: -vfyopt distid reaches the
        // certificate being verified but not the trust-store copy whose signature it checks,
        // so it fails even for an SM2 root that OpenSSL itself made with that distid.
        X509Certificate root = TestCas.root(KeyAlgorithm.SM2).certificate();
        Files.write(dir.resolve("tbs.der"), root.getTBSCertificate());
        Files.write(dir.resolve("sig.der"), root.getSignature());
        writePublicKey("root.pub", root.getPublicKey());

        assertSm3WithSm2Verifies("root.pub");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC", "RSA"})
    void openSslVerifiesEcAndRsaChains(KeyAlgorithm algorithm) throws Exception {
        Chain chain = TestCas.chain(algorithm);
        writePem("root.pem", chain.root().certificate());
        writePem("issuing.pem", chain.issuing().certificate());

        assertVerifies(OpenSsl.run(dir, "verify", "-CAfile", "root.pem", "issuing.pem"), "issuing.pem");
        assertVerifies(OpenSsl.run(dir, "verify", "-check_ss_sig", "-CAfile", "root.pem", "root.pem"), "root.pem");
    }

    @Test
    void openSslReadsTheSm2RootProfile() throws Exception {
        writePem("root.pem", TestCas.root(KeyAlgorithm.SM2).certificate());

        OpenSsl.Result text = OpenSsl.run(dir, "x509", "-in", "root.pem", "-noout", "-text");

        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.output()).as("%s", text)
                .contains("Version: 3 (0x2)", "SM2-with-SM3", "ASN1 OID: SM2",
                        "X509v3 Basic Constraints: critical", "CA:TRUE",
                        "X509v3 Key Usage: critical", "Digital Signature, Certificate Sign, CRL Sign",
                        "X509v3 Subject Key Identifier", "X509v3 Authority Key Identifier",
                        "Subject Information Access", "CA Repository - URI:" + TestCas.CA_REPOSITORY);
    }

    private void writePem(String name, X509Certificate certificate) throws Exception {
        Files.writeString(dir.resolve(name), Pem.certificate(certificate), StandardCharsets.US_ASCII);
    }

    private void writePublicKey(String name, PublicKey key) throws Exception {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
        Files.writeString(dir.resolve(name), "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n",
                StandardCharsets.US_ASCII);
    }

    /** Checks sig.der over tbs.der in {@link #dir} with the SM2 public key in {@code publicKeyFile}. */
    private void assertSm3WithSm2Verifies(String publicKeyFile) {
        OpenSsl.Result verify = OpenSsl.run(dir, "dgst", "-sm3", "-verify", publicKeyFile, "-sigopt", DISTID,
                "-signature", "sig.der", "tbs.der");
        assertThat(verify.exitCode()).as("%s", verify).isZero();
        assertThat(verify.output()).as("%s", verify).contains("Verified OK");
    }

    private static void assertVerifies(OpenSsl.Result result, String file) {
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.output().strip()).as("%s", result).isEqualTo(file + ": OK");
    }
}
