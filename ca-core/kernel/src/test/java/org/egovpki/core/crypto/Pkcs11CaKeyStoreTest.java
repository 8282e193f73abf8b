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
import java.util.Set;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.OpenSsl;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CA keys on a real PKCS#11 token (SoftHSM2) through SunPKCS11: made on the token, never
 * extractable, signing certificates that Bouncy Castle and OpenSSL verify, found again by a new
 * session; SM2, imported keys, a taken alias, a wrong PIN and a missing library are refused with a
 * clear message and leave the token as it was.
 */
class Pkcs11CaKeyStoreTest {

    private static final byte[] DATA = "CRL to be signed".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();
    private final CaCertificateFactory certificates =
            new CaCertificateFactory(Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC), random);
    private SoftHsm hsm;

    @TempDir
    Path dir;

    @BeforeEach
    void token() throws Exception {
        hsm = SoftHsm.forThisJvm();
        slot = hsm.slot();
    }

    private Pkcs11CaKeyStore.Slot slot;

    private Pkcs11CaKeyStore open() {
        return Pkcs11CaKeyStore.open(SoftHsm.LIBRARY, slot, SoftHsm.PIN.toCharArray(), random);
    }

    @Test
    void ecAndRsaRootsAreMadeOnTheTokenNeverLeaveItAndSignAfterANewLogin() throws Exception {
        Pkcs11CaKeyStore store = open();
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.EC, KeyAlgorithm.RSA}) {
            String alias = "root-" + algorithm.name().toLowerCase() + "-" + System.nanoTime();
            KeyPair keyPair = store.newKeyPair(algorithm);
            assertThat(keyPair.getPrivate().getEncoded()).as("a token key has no encoding to read").isNull();
            assertThat(keyPair.getPrivate().toString()).contains("token object").contains("sensitive")
                    .contains("unextractable");
            X509Certificate root = certificates.selfSignedRoot(CaCertificateRequest.root(
                    "CN=" + alias + ",O=egov-pki,C=CN", Period.ofYears(10), "http://ca.example/ca"),
                    store.signer(keyPair));
            root.verify(root.getPublicKey(), BouncyCastle.PROVIDER);

            store.put(alias, keyPair.getPrivate(), new X509Certificate[] {root});

            Pkcs11CaKeyStore again = open();
            assertThat(again.aliases()).contains(alias);
            assertThat(again.chain(alias)).containsExactly(root);
            CaSigner signer = again.signer(alias).orElseThrow();
            byte[] signature = signer.sign(DATA);
            Signature verifier = Signature.getInstance(algorithm.signatureAlgorithm(), BouncyCastle.PROVIDER);
            verifier.initVerify(root.getPublicKey());
            verifier.update(DATA);
            assertThat(verifier.verify(signature)).as(algorithm + " signature made on the token").isTrue();
            if (OpenSsl.onPath()) {
                Path pem = Files.writeString(dir.resolve(alias + ".pem"), Pem.certificate(root));
                OpenSsl.Result result = OpenSsl.run(dir, "verify", "-CAfile", pem.toString(), pem.toString());
                assertThat(result.exitCode()).as(result.output()).isZero();
            }
        }
    }

    @Test
    void subordinateCertificatesAreSignedByTheTokenKey() throws Exception {
        Pkcs11CaKeyStore store = open();
        KeyPair rootKeys = store.newKeyPair(KeyAlgorithm.EC);
        X509Certificate root = certificates.selfSignedRoot(CaCertificateRequest.root(
                "CN=EC Root " + System.nanoTime() + ",O=egov-pki,C=CN", Period.ofYears(10), "http://ca.example/ca"),
                store.signer(rootKeys));
        String rootAlias = "ec-root-" + System.nanoTime();
        store.put(rootAlias, rootKeys.getPrivate(), new X509Certificate[] {root});
        KeyPair issuingKeys = store.newKeyPair(KeyAlgorithm.EC);

        X509Certificate issuing = certificates.subordinate(CaCertificateRequest.issuingCa(
                "CN=EC Issuing,O=egov-pki,C=CN", Period.ofYears(5), null, null, null),
                issuingKeys.getPublic(), root, store.signer(rootAlias).orElseThrow());
        store.put(rootAlias + "-issuing", issuingKeys.getPrivate(), new X509Certificate[] {issuing, root});

        issuing.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(open().chain(rootAlias + "-issuing")).containsExactly(issuing, root);
    }

    @Test
    void sm2IsRefusedWithWhatToDoInsteadAndNothingIsStored() {
        Pkcs11CaKeyStore store = open();
        Set<String> before = store.aliases();

        assertThatThrownBy(() -> store.newKeyPair(KeyAlgorithm.SM2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM2").hasMessageContaining("SunPKCS11")
                .hasMessageContaining("caKeys.store: pkcs12");
        assertThat(store.aliases()).isEqualTo(before);
    }

    @Test
    void aKeyMadeOutsideTheTokenIsNeverImported() {
        Pkcs11CaKeyStore store = open();
        KeyPair software = KeyAlgorithm.EC.generate(random);
        X509Certificate root = certificates.selfSignedRoot(CaCertificateRequest.root(
                "CN=Software Root,O=egov-pki,C=CN", Period.ofYears(10), "http://ca.example/ca"), software);
        Set<String> before = store.aliases();

        assertThatThrownBy(() -> store.put("software-root", software.getPrivate(), new X509Certificate[] {root}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not made on the PKCS#11 token").hasMessageContaining("never imported");
        assertThat(store.aliases()).isEqualTo(before);
    }

    @Test
    void anAliasIsNeverOverwritten() throws Exception {
        Pkcs11CaKeyStore store = open();
        String alias = "taken-" + System.nanoTime();
        KeyPair first = store.newKeyPair(KeyAlgorithm.EC);
        X509Certificate firstRoot = certificates.selfSignedRoot(CaCertificateRequest.root(
                "CN=First,O=egov-pki,C=CN", Period.ofYears(10), "http://ca.example/ca"), store.signer(first));
        store.put(alias, first.getPrivate(), new X509Certificate[] {firstRoot});
        KeyPair second = store.newKeyPair(KeyAlgorithm.EC);
        X509Certificate secondRoot = certificates.selfSignedRoot(CaCertificateRequest.root(
                "CN=Second,O=egov-pki,C=CN", Period.ofYears(10), "http://ca.example/ca"), store.signer(second));

        assertThatThrownBy(() -> store.put(alias, second.getPrivate(), new X509Certificate[] {secondRoot}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never overwritten");
        assertThat(open().chain(alias)).containsExactly(firstRoot);
    }

    @Test
    void aWrongPinOrAMissingLibraryIsRefusedClearly() throws Exception {
        Pkcs11CaKeyStore.Slot spare = SoftHsm.spareForThisJvm().slot();
        assertThatThrownBy(() -> Pkcs11CaKeyStore.open(SoftHsm.LIBRARY, spare, "not the pin".toCharArray(), random))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot log in");
        assertThatThrownBy(() -> Pkcs11CaKeyStore.open(dir.resolve("libnothing.so"), slot,
                SoftHsm.PIN.toCharArray(), random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a readable file");
    }
}
