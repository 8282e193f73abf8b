package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;

/** The self-issued link certificates of a CA key changeover (RFC 4210 §4.4), and what they refuse. */
class LinkCertificatesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    private final SecureRandom random = new SecureRandom();
    private final CaCertificateFactory factory = new CaCertificateFactory(Clock.fixed(NOW, ZoneOffset.UTC), random);
    private final KeyPair oldKey = KeyAlgorithm.SM2.generate(random);
    private final KeyPair newKey = KeyAlgorithm.SM2.generate(random);
    private final X509Certificate oldRoot = factory.selfSignedRoot(CaCertificateRequest.root(
            "CN=Test Root,O=egov-pki,C=CN", Period.ofYears(10), "http://pki.test/ca/root.p7c"), oldKey);

    @Test
    void newWithOldCertifiesTheNewKeyUnderTheOldOneWithTheSameName() throws Exception {
        Instant end = oldRoot.getNotAfter().toInstant();
        X509Certificate link = factory.linkCertificate(newKey.getPublic(), oldRoot, CaSigner.of(oldKey, random), NOW,
                end, "http://pki.test/ca/root.p7c");

        link.verify(oldKey.getPublic(), BouncyCastle.PROVIDER);
        assertThat(link.getPublicKey()).isEqualTo(newKey.getPublic());
        assertThat(link.getSubjectX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal())
                .isEqualTo(link.getIssuerX500Principal());
        assertThat(link.getNotBefore().toInstant()).isEqualTo(NOW);
        assertThat(link.getNotAfter().toInstant()).isEqualTo(end);
        assertThat(link.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                link.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifier())
                .isEqualTo(KeyIdentifiers.subjectKeyIdentifier(oldKey.getPublic()));
    }

    @Test
    void badLinksAreRefusedWithTheReason() {
        CaSigner oldSigner = CaSigner.of(oldKey, random);
        Instant end = oldRoot.getNotAfter().toInstant();
        assertThatThrownBy(() -> factory.linkCertificate(oldKey.getPublic(), oldRoot, oldSigner, NOW, end, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the signer's own");
        assertThatThrownBy(() -> factory.linkCertificate(newKey.getPublic(), oldRoot, oldSigner, NOW,
                end.plus(Duration.ofDays(1)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("past its signing certificate's notAfter");
        assertThatThrownBy(() -> factory.linkCertificate(newKey.getPublic(), oldRoot, oldSigner,
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty or over");
        assertThatThrownBy(() -> factory.linkCertificate(newKey.getPublic(), oldRoot, CaSigner.of(newKey, random), NOW,
                end, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold the key");
    }
}
