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
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.SafeBag;

import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's file: what Bouncy Castle's loader reads, written with each key encrypted once, and
 * opened without decrypting a key before it is used.
 */
class Pkcs12FileTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();
    private static final String TYPE = "PKCS12-AES256-AES128";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final CaCertificateFactory CERTIFICATES =
            new CaCertificateFactory(Clock.fixed(Instant.parse("2025-06-01T08:00:00Z"), ZoneOffset.UTC), RANDOM);

    /** A store of five keys, written once. */
    private static byte[] store;

    private final SecureRandom random = RANDOM;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeStore(@TempDir Path shared) throws Exception {
        store = Files.readAllBytes(storeWithChains(shared.resolve("ca.p12"), PASSWORD));
    }

    @Test
    void bouncyCastleReadsTheKeysAndChainsThisFileHolds() throws Exception {
        byte[] content = store.clone();

        List<Pkcs12File.Entry> entries = Pkcs12File.read(content, PASSWORD).orElseThrow();
        KeyStore bc = bouncyCastle(content, PASSWORD);

        assertThat(entries).extracting(Pkcs12File.Entry::alias).containsExactlyInAnyOrderElementsOf(aliases(bc))
                .containsExactly("sm2-root", "sm2-issuing", "sm2-issuing.sync", "rsa-root", "ec-root");
        for (Pkcs12File.Entry entry : entries) {
            String alias = entry.alias();
            PrivateKey key = Pkcs12File.open(entry, PASSWORD);
            assertThat(key.getEncoded()).as(alias).isEqualTo(bc.getKey(alias, PASSWORD).getEncoded());
            assertThat(key.getAlgorithm()).as(alias).isEqualTo(bc.getKey(alias, PASSWORD).getAlgorithm());
            assertThat(List.<Certificate>copyOf(entry.chain())).as(alias).containsExactly(bc.getCertificateChain(alias));
        }
        assertThat(entries.get(2).chain()).hasSize(3);
    }

    @Test
    void aFileBouncyCastleWroteIsReadAndWrittenInThisLayoutAtTheNextPut() throws Exception {
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        KeyStore written = KeyStore.getInstance(TYPE, BouncyCastle.PROVIDER);
        written.load(null, null);
        written.setKeyEntry("ec-root", ec.getPrivate(), PASSWORD, new Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        written.store(out, PASSWORD);
        Path file = Files.write(dir.resolve("ca.p12"), out.toByteArray());

        assertThat(Pkcs12File.read(out.toByteArray(), PASSWORD)).as("read without Bouncy Castle's loader").isPresent();
        Pkcs12CaKeyStore opened = CaKeyStore.openOrCreate(file, PASSWORD, random);
        KeyPair sm2 = KeyAlgorithm.SM2.generate(random);
        opened.put("sm2-root", sm2.getPrivate(), new X509Certificate[] {root("CN=SM2 Root,O=egov-pki,C=CN", sm2)});

        Pfx rewritten = Pfx.getInstance(Files.readAllBytes(file));
        assertThat(rewritten.getMacData().getMac().getAlgorithmId().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha256);
        CaKeyStore reopened = CaKeyStore.openOrCreate(file, PASSWORD, random);
        assertThat(reopened.signer("ec-root").orElseThrow().publicKey()).isEqualTo(ec.getPublic());
        assertThat(reopened.signer("sm2-root").orElseThrow().publicKey().getEncoded())
                .isEqualTo(sm2.getPublic().getEncoded());
        assertThat(aliases(bouncyCastle(Files.readAllBytes(file), PASSWORD))).containsExactlyInAnyOrder("ec-root", "sm2-root");
    }

    @Test
    void aPutEncryptsOnlyTheNewKeyAndWritesTheOthersAsTheyWere() throws Exception {
        Path file = Files.write(dir.resolve("ca.p12"), store);
        Map<String, byte[]> before = keyBags(Files.readAllBytes(file));

        KeyPair next = KeyAlgorithm.SM2.generate(random);
        CaKeyStore.openOrCreate(file, PASSWORD, random)
                .put("sm2-next", next.getPrivate(), new X509Certificate[] {root("CN=SM2 Next,O=egov-pki,C=CN", next)});

        Map<String, byte[]> after = keyBags(Files.readAllBytes(file));
        assertThat(after.keySet()).containsExactly("sm2-root", "sm2-issuing", "sm2-issuing.sync", "rsa-root", "ec-root",
                "sm2-next");
        before.forEach((alias, bag) -> assertThat(after.get(alias)).as(alias + ": not encrypted again").isEqualTo(bag));
        assertThat(Files.readAllBytes(file)).as("certificates and MAC are fresh").isNotEqualTo(store);
    }

    @Test
    void openingDecryptsNoKeyUntilItsSignerIsAskedFor() throws Exception {
        // A key bag whose ciphertext no longer decrypts, in a file whose MAC is right: only asking
        // for that key's signer can notice it.
        Path file = Files.write(dir.resolve("ca.p12"), withGarbledKey(3));

        CaKeyStore opened = CaKeyStore.openOrCreate(file, PASSWORD, random);

        assertThat(opened.aliases()).contains("rsa-root");
        assertThat(opened.chain("rsa-root")).hasSize(1);
        assertThat(opened.signer("sm2-issuing")).isPresent();
        assertThatThrownBy(() -> opened.signer("rsa-root"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read CA key \"rsa-root\" from CA keystore " + file.toAbsolutePath())
                .hasMessageContaining("restore the file from a backup");
    }

    @Test
    void theKeysInServiceAreDecryptedAheadAndAnExpiredOneIsLeftEncrypted() throws Exception {
        // The sync key's certificate (one year from 2025-06-01) has expired by 2027; the others have not.
        Path file = Files.write(dir.resolve("ca.p12"), withGarbledKey(2));
        Pkcs12CaKeyStore opened = CaKeyStore.openOrCreate(file, PASSWORD, random);

        assertThat(opened.openKeysValidAt(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo(4);
        assertThat(opened.openKeysValidAt(Instant.parse("2027-01-01T00:00:00Z"))).as("once").isZero();
        assertThatThrownBy(() -> opened.openKeysValidAt(Instant.parse("2026-01-01T00:00:00Z")))
                .as("in service in 2026: decrypted, and found broken")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot read CA key \"sm2-issuing.sync\"");
    }

    @Test
    void aKeyIsInServiceFromItsNotBeforeToItsNotAfterBothIncluded() throws Exception {
        Path file = Files.write(dir.resolve("ca.p12"), store);
        X509Certificate sync = Pkcs12File.read(store, PASSWORD).orElseThrow().get(2).chain().get(0);
        Instant notBefore = sync.getNotBefore().toInstant();
        Instant notAfter = sync.getNotAfter().toInstant();

        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).openKeysValidAt(notBefore.minusSeconds(1)))
                .as("before any certificate is valid").isZero();
        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).openKeysValidAt(notBefore)).isEqualTo(5);
        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).openKeysValidAt(notAfter)).isEqualTo(5);
        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).openKeysValidAt(notAfter.plusSeconds(1)))
                .as("the sync key's certificate has expired").isEqualTo(4);
    }

    @Test
    void aFileWithTwoAliasesEqualIgnoringCaseIsRefusedRatherThanLosingAKeyAtTheNextPut() throws Exception {
        KeyPair first = KeyAlgorithm.EC.generate(random);
        KeyPair second = KeyAlgorithm.EC.generate(random);
        List<Pkcs12File.Entry> entries = List.of(
                Pkcs12File.seal("ec-root", first.getPrivate(), List.of(root("CN=First,O=egov-pki,C=CN", first)),
                        PASSWORD, random),
                Pkcs12File.seal("EC-Root", second.getPrivate(), List.of(root("CN=Second,O=egov-pki,C=CN", second)),
                        PASSWORD, random));
        Path file = Files.write(dir.resolve("ca.p12"), Pkcs12File.write(entries, PASSWORD, random));
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> CaKeyStore.openOrCreate(file, PASSWORD, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds two keys named \"ec-root\" and \"EC-Root\"")
                .hasMessageContaining("restore the file from a backup");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /** The five-key store with the key bag of entry {@code index} garbled, under a right MAC. */
    private byte[] withGarbledKey(int index) throws Exception {
        List<Pkcs12File.Entry> entries = new ArrayList<>(Pkcs12File.read(store, PASSWORD).orElseThrow());
        Pkcs12File.Entry entry = entries.get(index);
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(entry.keyBag().getBagValue());
        byte[] garbled = info.getEncryptedData();
        garbled[garbled.length - 1] ^= 0x55;
        entries.set(index, new Pkcs12File.Entry(entry.alias(), new SafeBag(entry.keyBag().getBagId(),
                new EncryptedPrivateKeyInfo(info.getEncryptionAlgorithm(), garbled), entry.keyBag().getBagAttributes()),
                entry.chain()));
        return Pkcs12File.write(entries, PASSWORD, random);
    }

    @Test
    void theStoreOpensThroughTheFileAndSignsAsBefore() throws Exception {
        Path file = Files.write(dir.resolve("ca.p12"), store);

        CaKeyStore reopened = CaKeyStore.openOrCreate(file, PASSWORD, random);

        CaSigner signer = reopened.signer("sm2-issuing").orElseThrow();
        assertThat(reopened.signer("SM2-Issuing")).as("aliases compare ignoring case").isPresent();
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
    void aPasswordOutsideAsciiReadsAsBouncyCastleReadsIt() throws Exception {
        char[] password = "中文口令-Grüße-€".toCharArray();
        Path file = dir.resolve("ca.p12");
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        CaKeyStore.openOrCreate(file, password, random)
                .put("ec-root", ec.getPrivate(), new X509Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});

        Pkcs12File.Entry entry = Pkcs12File.read(Files.readAllBytes(file), password).orElseThrow().get(0);

        assertThat(Pkcs12File.open(entry, password).getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
        assertThat(bouncyCastle(Files.readAllBytes(file), password).getKey("ec-root", password).getEncoded())
                .isEqualTo(ec.getPrivate().getEncoded());
    }

    @Test
    void aWrongPasswordIsRefusedByTheMac() throws Exception {
        byte[] content = store.clone();

        assertThatThrownBy(() -> Pkcs12File.read(content, "correct horse battery stapler".toCharArray()))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("wrong password or damaged file");
    }

    @Test
    void aChangedByteIsRefusedAndTheStoreStaysUnopened() throws Exception {
        Path file = dir.resolve("ca.p12");
        byte[] content = store.clone();
        content[content.length / 2] ^= 0x01;

        assertThatThrownBy(() -> Pkcs12File.read(content, PASSWORD))
                .isInstanceOf(GeneralSecurityException.class);
        Files.write(file, content);
        assertThatThrownBy(() -> CaKeyStore.openOrCreate(file, PASSWORD, random))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrong password or corrupted file");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
    }

    @Test
    void anotherLayoutIsLeftToBouncyCastle() throws Exception {
        // Plain BC "PKCS12" protects keys with 3DES and certificates with RC2: not this layout.
        KeyPair ec = KeyAlgorithm.EC.generate(random);
        KeyStore legacy = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        legacy.load(null, null);
        legacy.setKeyEntry("ec-root", ec.getPrivate(), PASSWORD, new Certificate[] {root("CN=EC Root,O=egov-pki,C=CN", ec)});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        legacy.store(out, PASSWORD);
        Path file = dir.resolve("legacy.p12");
        Files.write(file, out.toByteArray());

        assertThat(Pkcs12File.read(out.toByteArray(), PASSWORD)).isEmpty();
        assertThat(CaKeyStore.openOrCreate(file, PASSWORD, random).signer("ec-root")).isPresent();
        assertThat(Files.readAllBytes(file)).as("rewritten only at the next put").isEqualTo(out.toByteArray());
    }

    @Test
    void anEmptyStoreReadsAsEmpty() throws Exception {
        Path file = dir.resolve("empty.p12");
        CaKeyStore.openOrCreate(file, PASSWORD, random);

        assertThat(Pkcs12File.read(Files.readAllBytes(file), PASSWORD).orElseThrow()).isEmpty();
        assertThat(aliases(bouncyCastle(Files.readAllBytes(file), PASSWORD))).isEmpty();
    }

    @Test
    void notAPkcs12FileIsRefused() {
        assertThatThrownBy(() -> Pkcs12File.read(new byte[] {0x30, 0x03, 0x02, 0x01, 0x03}, PASSWORD))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("not a PKCS#12 file");
    }

    /** The encoded key bag of every entry of {@code content}, by alias, in the file's order. */
    private static Map<String, byte[]> keyBags(byte[] content) throws Exception {
        Map<String, byte[]> bags = new LinkedHashMap<>();
        for (Pkcs12File.Entry entry : Pkcs12File.read(content, PASSWORD).orElseThrow()) {
            bags.put(entry.alias(), entry.keyBag().getEncoded());
        }
        return bags;
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
