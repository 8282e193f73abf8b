package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.OpenSsl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12CaKeyStoreTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final byte[] DATA = "CRL to be signed".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();
    private final CaCertificateFactory certificates =
            new CaCertificateFactory(Clock.fixed(Instant.parse("2025-06-01T08:00:00Z"), ZoneOffset.UTC), random);

    @TempDir
    Path dir;

    @Test
    void keysOfEveryAlgorithmSurviveAReopenAndStillSign() throws Exception {
        Path file = dir.resolve("ca/keystore.p12");
        CaKeyStore store = CaKeyStore.openOrCreate(file, PASSWORD, random);
        KeyPair sm2Root = KeyAlgorithm.SM2.generate(random);
        X509Certificate sm2RootCert = root("CN=SM2 Root,O=egov-pki,C=CN", sm2Root);
        KeyPair sm2Issuing = KeyAlgorithm.SM2.generate(random);
        X509Certificate sm2IssuingCert = certificates.subordinate(
                CaCertificateRequest.issuingCa("CN=SM2 Issuing,O=egov-pki,C=CN", Period.ofYears(10), null, null, null),
                sm2Issuing.getPublic(), sm2RootCert, CaSigner.of(sm2Root, random));
        KeyPair rsa = KeyAlgorithm.RSA.generate(random);
        KeyPair ec = KeyAlgorithm.EC.generate(random);

        store.put("sm2-issuing", sm2Issuing.getPrivate(), new X509Certificate[] {sm2IssuingCert, sm2RootCert});
        store.put("rsa-root", rsa.getPrivate(), new X509Certificate[] {root("CN=RSA Root,O=egov-pki,C=CN", rsa)});
        store.put("ec-root", ec.getPrivate(), new X509Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});

        CaKeyStore reopened = CaKeyStore.openOrCreate(file, PASSWORD, random);
        assertThat(reopened.aliases()).containsExactlyInAnyOrder("sm2-issuing", "rsa-root", "ec-root");
        Map<String, KeyPair> expected = Map.of("sm2-issuing", sm2Issuing, "rsa-root", rsa, "ec-root", ec);
        for (Map.Entry<String, KeyPair> entry : expected.entrySet()) {
            CaSigner signer = reopened.signer(entry.getKey()).orElseThrow();
            assertThat(signer.publicKey().getEncoded()).isEqualTo(entry.getValue().getPublic().getEncoded());
            assertThat(signer.algorithm()).isEqualTo(KeyAlgorithm.of(entry.getValue().getPublic()));
            Signature verifier = Signature.getInstance(signer.algorithm().signatureAlgorithm(), BouncyCastle.PROVIDER);
            verifier.initVerify(entry.getValue().getPublic());
            verifier.update(DATA);
            assertThat(verifier.verify(signer.sign(DATA))).as(entry.getKey()).isTrue();
        }
        assertThat(reopened.chain("sm2-issuing")).containsExactly(sm2IssuingCert, sm2RootCert);
        reopened.chain("sm2-issuing").get(0).verify(sm2RootCert.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(reopened.contains("ec-root")).isTrue();
        assertThat(reopened.contains("missing")).isFalse();
        assertThat(reopened.signer("missing")).isEqualTo(Optional.empty());
        assertThat(reopened.chain("missing")).isEmpty();
    }

    @Test
    void fileIsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
        Path file = dir.resolve("keystore.p12");
        CaKeyStore store = CaKeyStore.openOrCreate(file, PASSWORD, random);
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        store.put("ec-root", ec.getPrivate(), new X509Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(AtomicFiles.OWNER_ONLY);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void wrongPasswordIsReportedClearly() {
        Path file = dir.resolve("keystore.p12");
        CaKeyStore.openOrCreate(file, PASSWORD, random);

        assertThatThrownBy(() -> CaKeyStore.openOrCreate(file, "wrong".toCharArray(), random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open CA keystore " + file.toAbsolutePath() + ": wrong password or corrupted file");
    }

    @Test
    void anAliasIsNeverOverwritten() throws Exception {
        CaKeyStore store = CaKeyStore.openOrCreate(dir.resolve("keystore.p12"), PASSWORD, random);
        KeyPair first = KeyAlgorithm.EC.generate(random);
        KeyPair second = KeyAlgorithm.EC.generate(random);
        store.put("root", first.getPrivate(), new X509Certificate[] {root("CN=First,O=egov-pki,C=CN", first)});

        X509Certificate[] secondChain = {root("CN=Second,O=egov-pki,C=CN", second)};
        assertThatThrownBy(() -> store.put("root", second.getPrivate(), secondChain))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already holds alias \"root\"");
        assertThat(store.signer("root").orElseThrow().publicKey()).isEqualTo(first.getPublic());
    }

    @Test
    void refusesBadAliasesMismatchedKeysAndBrokenChains() throws Exception {
        CaKeyStore store = CaKeyStore.openOrCreate(dir.resolve("keystore.p12"), PASSWORD, random);
        KeyPair key = KeyAlgorithm.SM2.generate(random);
        KeyPair other = KeyAlgorithm.SM2.generate(random);
        X509Certificate cert = root("CN=Root,O=egov-pki,C=CN", key);
        X509Certificate otherCert = root("CN=Other,O=egov-pki,C=CN", other);

        assertThatThrownBy(() -> store.put("Root-CA", key.getPrivate(), new X509Certificate[] {cert}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower-case");
        assertThatThrownBy(() -> store.put("root", other.getPrivate(), new X509Certificate[] {cert}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> store.put("root", key.getPrivate(), new X509Certificate[] {cert, otherCert}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not signed by certificate 1");
        assertThatThrownBy(() -> store.put("root", key.getPrivate(), new X509Certificate[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a certificate chain");
        assertThat(store.aliases()).isEmpty();
    }

    @Test
    void writesAFileThatOpenSsl3ReadsWithoutLegacyAlgorithms() throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
        Path file = dir.resolve("keystore.p12");
        CaKeyStore store = CaKeyStore.openOrCreate(file, PASSWORD, random);
        KeyPair sm2 = KeyAlgorithm.SM2.generate(random);
        store.put("sm2-root", sm2.getPrivate(), new X509Certificate[] {root("CN=SM2 Root,O=egov-pki,C=CN", sm2)});

        OpenSsl.Result info = OpenSsl.run(dir, "pkcs12", "-in", file.toString(), "-noout", "-info",
                "-passin", "pass:" + new String(PASSWORD));

        assertThat(info.exitCode()).as("%s", info).isZero();
        assertThat(info.output()).as("%s", info).contains("MAC: sha256", "AES-256-CBC", "hmacWithSHA256")
                .doesNotContain("RC2");
        OpenSsl.Result keys = OpenSsl.run(dir, "pkcs12", "-in", file.toString(), "-nodes", "-nocerts",
                "-passin", "pass:" + new String(PASSWORD));
        assertThat(keys.exitCode()).as("%s", keys).isZero();
        assertThat(keys.output()).as("the key decrypts").contains("friendlyName: sm2-root", "BEGIN PRIVATE KEY");
    }

    private X509Certificate root(String dn, KeyPair keyPair) {
        return certificates.selfSignedRoot(
                CaCertificateRequest.root(dn, Period.ofYears(20), "http://pki.egov-pki.test/ca/"), keyPair);
    }
}
