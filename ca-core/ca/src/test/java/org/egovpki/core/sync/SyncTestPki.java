package org.egovpki.core.sync;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.CrlRequest;
import org.egovpki.core.x509.EncodedCrl;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.RevokedEntry;
import org.egovpki.core.x509.RevokedEntrySource;

/**
 * A small PKI for sync tests: a root, an issuing CA under it, a sync-signing certificate issued
 * by the issuing CA the way part E's production signer gets one, a detached CMS signer built the
 * same way ({@code setDirectSignature(true)}: no signed attributes), end-entity certificates and
 * CRLs of the issuing CA. Fresh keys per instance.
 */
public final class SyncTestPki {

    public static final SecureRandom RANDOM = new SecureRandom();

    private final String caName;
    private final KeyAlgorithm algorithm;
    private final Clock clock;
    private final X509Certificate root;
    private final X509Certificate issuing;
    private final CaSigner issuingSigner;
    private final KeyPair syncKey;
    private final X509Certificate syncCertificate;

    private SyncTestPki(String caName, KeyAlgorithm algorithm, Clock clock) {
        this.caName = caName;
        this.algorithm = algorithm;
        this.clock = clock;
        CaCertificateFactory factory = new CaCertificateFactory(clock, RANDOM);
        KeyPair rootKey = algorithm.generate(RANDOM);
        root = factory.selfSignedRoot(CaCertificateRequest.root("CN=" + caName + " Test Root,O=egov-pki,C=CN",
                Period.ofYears(20), "http://pki.egov-pki.test/ca/root.crt"), rootKey);
        KeyPair issuingKey = algorithm.generate(RANDOM);
        issuing = factory.subordinate(CaCertificateRequest.issuingCa("CN=" + caName + ",O=egov-pki,C=CN",
                        Period.ofYears(10), "http://pki.egov-pki.test/crl/root.crl", null, null),
                issuingKey.getPublic(), root, CaSigner.of(rootKey, RANDOM));
        issuingSigner = CaSigner.of(issuingKey, RANDOM);
        syncKey = algorithm.generate(RANDOM);
        Instant now = clock.instant();
        syncCertificate = syncSigner(syncKey.getPublic(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)),
                SyncSignatureVerifier.SYNC_SIGNING_EKU);
    }

    public static SyncTestPki create(String caName, KeyAlgorithm algorithm, Clock clock) {
        return new SyncTestPki(caName, algorithm, clock);
    }

    public String caName() {
        return caName;
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate issuing() {
        return issuing;
    }

    /** The issuing CA, then the root. */
    public List<X509Certificate> chain() {
        return List.of(issuing, root);
    }

    public X509Certificate syncCertificate() {
        return syncCertificate;
    }

    /** A certificate of the issuing CA for {@code key} with {@code eku} (an OID), or none if {@code null}. */
    public X509Certificate syncSigner(PublicKey key, Instant notBefore, Instant notAfter, String eku) {
        return certificate(X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + caName + " sync signer,O=egov-pki,C=CN"), key, notBefore, notAfter, eku,
                issuingSigner);
    }

    /** A detached CMS over {@code body} with the sync-signing key, no signed attributes, DER. */
    public byte[] sign(byte[] body) {
        return sign(body, syncKey.getPrivate(), syncCertificate);
    }

    /** A detached CMS over {@code body} with {@code key} and {@code certificate}, no signed attributes, DER. */
    public byte[] sign(byte[] body, PrivateKey key, X509Certificate certificate) {
        try {
            KeyAlgorithm keyAlgorithm = KeyAlgorithm.of(certificate.getPublicKey());
            ContentSigner signer = new JcaContentSignerBuilder(keyAlgorithm.signatureAlgorithm())
                    .setProvider(BouncyCastle.PROVIDER).build(key);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build())
                    .setDirectSignature(true).build(signer, certificate));
            generator.addCertificate(new JcaX509CertificateHolder(certificate));
            return generator.generate(new CMSProcessableByteArray(body), false).getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException("test CMS signing failed: " + e.getMessage(), e);
        }
    }

    /** A fresh key of this PKI's algorithm. */
    public KeyPair newKey() {
        return algorithm.generate(RANDOM);
    }

    /** An end-entity certificate of the issuing CA. */
    public X509Certificate endEntity(String cn) {
        Instant now = clock.instant();
        return certificate(X500Name.getInstance(issuing.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=" + cn + ",O=egov-pki,C=CN"), newKey().getPublic(), now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(365)), null, issuingSigner);
    }

    /** A VALID, published record of {@link #endEntity}. */
    public CertificateRecord record(String cn, String businessType) {
        X509Certificate certificate = endEntity(cn);
        try {
            byte[] der = certificate.getEncoded();
            return new CertificateRecord(caName, certificate.getSerialNumber(), "r-1", "p-1",
                    certificate.getSubjectX500Principal().getName(), "personal-signing", CertificateType.PERSONAL,
                    KeyUsageKind.SIGNING, businessType, "410000", CertificateStatus.VALID, IssuanceState.PUBLISHED,
                    null, der, certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                    Fingerprints.sha256Hex(der), clock.instant(), 0, null);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full CRL of the issuing CA revoking {@code entries}. */
    public EncodedCrl crl(BigInteger number, List<RevokedEntry> entries) {
        return new CrlFactory(clock).build(CrlRequest.of(number), RevokedEntrySource.of(entries), issuing,
                issuingSigner);
    }

    private static X509Certificate certificate(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore,
                                               Instant notAfter, String eku, CaSigner signer) {
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).setBit(63),
                    Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)), Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                    subject, SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            if (eku != null) {
                builder.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(eku))));
            }
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(builder.build(signer.contentSigner()));
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("test certificate failed: " + e.getMessage(), e);
        }
    }
}
