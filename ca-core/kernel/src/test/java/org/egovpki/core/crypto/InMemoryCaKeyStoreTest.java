package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.junit.jupiter.api.Test;

/** The test fixture keeps the rules every CaKeyStore keeps, or tests using it would prove nothing. */
class InMemoryCaKeyStoreTest {

    private final SecureRandom random = new SecureRandom();
    private final CaCertificateFactory certificates =
            new CaCertificateFactory(Clock.fixed(Instant.parse("2025-06-01T08:00:00Z"), ZoneOffset.UTC), random);
    private final CaKeyStore store = new InMemoryCaKeyStore(random);

    @Test
    void storesChainsAndSignsWithTheStoredKey() throws Exception {
        KeyPair key = store.newKeyPair(KeyAlgorithm.SM2);
        X509Certificate cert = root("CN=Root,O=egov-pki,C=CN", key);

        store.put("sm2-root", key.getPrivate(), new X509Certificate[] {cert});

        assertThat(store.aliases()).containsExactly("sm2-root");
        assertThat(store.contains("sm2-root")).isTrue();
        assertThat(store.chain("sm2-root")).containsExactly(cert);
        assertThat(store.chain("missing")).isEmpty();
        assertThat(store.signer("missing")).isEmpty();
        CaSigner signer = store.signer("sm2-root").orElseThrow();
        assertThat(signer.publicKey()).isEqualTo(key.getPublic());
        assertThat(signer.algorithm()).isEqualTo(KeyAlgorithm.SM2);
    }

    @Test
    void anAliasIsNeverOverwritten() {
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
    void refusesBadAliasesMismatchedKeysAndBrokenChains() {
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

    private X509Certificate root(String dn, KeyPair keyPair) {
        return certificates.selfSignedRoot(
                CaCertificateRequest.root(dn, Period.ofYears(20), "http://pki.egov-pki.test/ca/"), keyPair);
    }
}
