package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fast reader answers what Bouncy Castle's loader answers, or hands the file back to it. */
class Pkcs12ReaderTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final String TYPE = "PKCS12-AES256-AES128";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CaCertificateFactory CERTIFICATES =
            new CaCertificateFactory(Clock.fixed(Instant.parse("2025-06-01T08:00:00Z"), ZoneOffset.UTC), RANDOM);

    /** A store of five keys, written once: each put re-encrypts every key, which takes seconds. */
    private static byte[] store;

    private final SecureRandom random = RANDOM;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeStore(@TempDir Path shared) throws Exception {
        store = Files.readAllBytes(storeWithChains(shared.resolve("ca.p12"), PASSWORD));
    }

    @Test
    void readsTheKeysAndChainsBouncyCastleReads() throws Exception {
        byte[] content = store.clone();

        KeyStore fast = Pkcs12Reader.read(content, PASSWORD, TYPE).orElseThrow();
        KeyStore bc = bouncyCastle(content, PASSWORD);

        assertThat(aliases(fast)).containsExactlyInAnyOrderElementsOf(aliases(bc))
                .containsExactlyInAnyOrder("sm2-root", "sm2-issuing", "sm2-issuing.sync", "rsa-root", "ec-root");
        for (String alias : aliases(bc)) {
            assertThat(fast.getKey(alias, PASSWORD).getEncoded()).as(alias)
                    .isEqualTo(bc.getKey(alias, PASSWORD).getEncoded());
            assertThat(fast.getKey(alias, PASSWORD).getAlgorithm()).as(alias)
                    .isEqualTo(bc.getKey(alias, PASSWORD).getAlgorithm());
            assertThat(List.of(fast.getCertificateChain(alias))).as(alias)
                    .containsExactlyElementsOf(List.of(bc.getCertificateChain(alias)));
        }
        assertThat(fast.getCertificateChain("sm2-issuing.sync")).hasSize(3);
    }

    @Test
    void theStoreOpensThroughTheReaderAndSignsAsBefore() throws Exception {
        Path file = Files.write(dir.resolve("ca.p12"), store);

        CaKeyStore reopened = CaKeyStore.openOrCreate(file, PASSWORD, random);

        CaSigner signer = reopened.signer("sm2-issuing").orElseThrow();
        X509Certificate issuing = reopened.chain("sm2-issuing").get(0);
        assertThat(signer.publicKey().getEncoded()).isEqualTo(issuing.getPublicKey().getEncoded());
        java.security.Signature verifier = java.security.Signature.getInstance(
                signer.algorithm().signatureAlgorithm(), BouncyCastle.PROVIDER);
        verifier.initVerify(issuing.getPublicKey());
        byte[] data = {1, 2, 3};
        verifier.update(data);
        assertThat(verifier.verify(signer.sign(data))).isTrue();
    }

    @Test
    void aPasswordOutsideAsciiReadsAsBouncyCastleWroteIt() throws Exception {
        char[] password = "中文口令-Grüße-€".toCharArray();
        Path file = dir.resolve("ca.p12");
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        CaKeyStore.openOrCreate(file, password, random)
                .put("ec-root", ec.getPrivate(), new X509Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});

        KeyStore fast = Pkcs12Reader.read(Files.readAllBytes(file), password, TYPE).orElseThrow();

        assertThat(fast.getKey("ec-root", password).getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void aWrongPasswordIsRefusedByTheMac() throws Exception {
        byte[] content = store.clone();

        assertThatThrownBy(() -> Pkcs12Reader.read(content, "correct horse battery stapler".toCharArray(), TYPE))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("wrong password or damaged file");
    }

    @Test
    void aChangedByteIsRefusedAndTheStoreStaysUnopened() throws Exception {
        Path file = dir.resolve("ca.p12");
        byte[] content = store.clone();
        content[content.length / 2] ^= 0x01;

        assertThatThrownBy(() -> Pkcs12Reader.read(content, PASSWORD, TYPE))
                .isInstanceOf(GeneralSecurityException.class);
        Files.write(file, content);
        assertThatThrownBy(() -> CaKeyStore.openOrCreate(file, PASSWORD, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong password or corrupted file");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void anotherLayoutIsLeftToBouncyCastle() throws Exception {
        // Plain BC "PKCS12" protects keys with 3DES and certificates with RC2: not this reader's layout.
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        KeyStore legacy = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        legacy.load(null, null);
        legacy.setKeyEntry("ec-root", ec.getPrivate(), PASSWORD, new Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        legacy.store(out, PASSWORD);
        Path file = dir.resolve("legacy.p12");
        Files.write(file, out.toByteArray());

        assertThat(Pkcs12Reader.read(out.toByteArray(), PASSWORD, TYPE)).isEmpty();
        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).signer("ec-root")).isPresent();
    }

    @Test
    void anEmptyStoreReadsAsEmpty() throws Exception {
        Path file = dir.resolve("empty.p12");
        CaKeyStore.openOrCreate(file, PASSWORD, random);

        assertThat(aliases(Pkcs12Reader.read(Files.readAllBytes(file), PASSWORD, TYPE).orElseThrow())).isEmpty();
    }

    @Test
    void notAPkcs12FileIsRefused() {
        assertThatThrownBy(() -> Pkcs12Reader.read(new byte[] {0x30, 0x03, 0x02, 0x01, 0x03}, PASSWORD, TYPE))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not a PKCS#12 file");
    }

    /** Root, issuing CA, a key certified by the issuing CA (a chain of three), RSA and EC roots. */
    private static Path storeWithChains(Path file, char[] password) throws Exception {
        SecureRandom random = RANDOM;
        CaKeyStore store = CaKeyStore.openOrCreate(file, password, random);
        KeyPair sm2Root = KeyAlgorithm.SM2.generate(random);
        X509Certificate rootCert = root("CN=SM2 Root,O=egov-pki,C=CN", sm2Root);
        KeyPair sm2Issuing = KeyAlgorithm.SM2.generate(random);
        X509Certificate issuingCert = CERTIFICATES.subordinate(
                new CaCertificateRequest("CN=SM2 Issuing,O=egov-pki,C=CN", Period.ofYears(10), 1, null, null, null, null),
                sm2Issuing.getPublic(), rootCert, CaSigner.of(sm2Root, random));
        KeyPair sync = KeyAlgorithm.SM2.generate(random);
        X509Certificate syncCert = CERTIFICATES.subordinate(
                CaCertificateRequest.issuingCa("CN=SM2 Sync,O=egov-pki,C=CN", Period.ofYears(1), null, null, null),
                sync.getPublic(), issuingCert, CaSigner.of(sm2Issuing, random));
        KeyPair rsa = KeyAlgorithm.RSA.generate(random);
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        store.put("sm2-root", sm2Root.getPrivate(), new X509Certificate[] {rootCert});
        store.put("sm2-issuing", sm2Issuing.getPrivate(), new X509Certificate[] {issuingCert, rootCert});
        store.put("sm2-issuing.sync", sync.getPrivate(), new X509Certificate[] {syncCert, issuingCert, rootCert});
        store.put("rsa-root", rsa.getPrivate(), new X509Certificate[] {root("CN=RSA Root,O=egov-pki,C=CN", rsa)});
        store.put("ec-root", ec.getPrivate(), new X509Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});
        return file;
    }

    private static KeyStore bouncyCastle(byte[] content, char[] password) throws Exception {
        KeyStore keyStore = KeyStore.getInstance(TYPE, BouncyCastle.PROVIDER);
        keyStore.load(new ByteArrayInputStream(content), password);
        return keyStore;
    }

    private static List<String> aliases(KeyStore keyStore) throws Exception {
        return Collections.list(keyStore.aliases());
    }

    private static X509Certificate root(String dn, KeyPair keyPair) {
        return CERTIFICATES.selfSignedRoot(
                CaCertificateRequest.root(dn, Period.ofYears(20), "http://pki.egov-pki.test/ca/"), keyPair);
    }
}
