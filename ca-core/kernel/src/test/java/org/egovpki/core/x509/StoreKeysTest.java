package org.egovpki.core.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4387 keys, checked against values computed here with the JDK alone: SHA-1 over the DER
 * the test itself encoded, base64 with padding (not OpenSSL's {@code -subject_hash}, a 32-bit
 * hash of a canonical form printed in hex).
 */
class StoreKeysTest {

    private static final X500Name CA = new X500Name("CN=Store Test CA,O=egov-pki test,C=CN");
    private static final X500Name SUBJECT = new X500Name("CN=Wang Wu,E=Wang.Wu@Example.gov.cn,O=egov-pki test,C=CN");
    private static final byte[] KEY_ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};

    @Test
    void hashesAreTheBase64OfTheSha1OfTheDerNamesAndKeyIdentifier() throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate leaf = certificate(CA, caKey, SUBJECT, ecKey().getPublic(),
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, "second@example.gov.cn")));

        StoreKeys keys = StoreKeys.of(leaf);

        assertThat(keys.subjectHash()).isEqualTo(jdkSha1Base64(SUBJECT.getEncoded()))
                .hasSize(StoreKeys.HASH_LENGTH).endsWith("=");
        assertThat(keys.issuerHash()).isEqualTo(jdkSha1Base64(CA.getEncoded()));
        assertThat(keys.keyIdHash()).isEqualTo(jdkSha1Base64(KEY_ID));
        assertThat(keys.emails()).containsExactly("wang.wu@example.gov.cn", "second@example.gov.cn");
        assertThat(keys.name()).isEqualTo("wang wu");
    }

    @Test
    void aCertificatesIHashIsItsIssuersSHash() throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate ca = certificate(CA, caKey, CA, caKey.getPublic(), null);
        X509Certificate leaf = certificate(CA, caKey, SUBJECT, ecKey().getPublic(), null);

        assertThat(StoreKeys.of(leaf).issuerHash()).isEqualTo(StoreKeys.of(ca).subjectHash());
        assertThat(StoreKeys.of(leaf).matches(StoreKeys.Key.ISSUER_HASH, StoreKeys.of(ca).subjectHash())).isTrue();
        assertThat(StoreKeys.of(leaf).matches(StoreKeys.Key.SUBJECT_HASH, StoreKeys.of(ca).subjectHash())).isFalse();
    }

    @Test
    void unionListsEachKeyOnceAcrossCertificates() throws Exception {
        KeyPair caKey = ecKey();
        X509Certificate first = certificate(CA, caKey, SUBJECT, ecKey().getPublic(), null);
        X509Certificate renewed = certificate(CA, caKey, SUBJECT, ecKey().getPublic(), null);

        StoreKeys.Union union = StoreKeys.union(List.of(first, renewed));

        assertThat(union.subjectHashes()).containsExactly(jdkSha1Base64(SUBJECT.getEncoded()));
        assertThat(union.issuerHashes()).containsExactly(jdkSha1Base64(CA.getEncoded()));
        assertThat(union.keyIdHashes()).containsExactly(jdkSha1Base64(KEY_ID));
        assertThat(union.emails()).containsExactly("wang.wu@example.gov.cn");
        assertThat(union.names()).containsExactly("wang wu");
        assertThat(StoreKeys.union(List.of()).subjectHashes()).isEmpty();
    }

    private static String jdkSha1Base64(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(data));
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(X500Name issuer, KeyPair issuerKey, X500Name subject, PublicKey key,
                                               GeneralNames alternativeNames) throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.getNano()
                + System.nanoTime()), Date.from(now), Date.from(now.plus(Duration.ofDays(365))), subject, key);
        builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(KEY_ID));
        if (alternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    }
}
