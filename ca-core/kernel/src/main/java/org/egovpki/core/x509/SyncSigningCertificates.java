package org.egovpki.core.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * Issues sync-signing certificates: the CA certifies a separate key that signs the messages the
 * web-service sync pushes to e-government systems (docs/sync.md, "The signature"), so the CA key
 * signs once per renewal instead of once per message, and a receiver can tell a sync message from
 * anything else the CA signs by the extended key usage.
 *
 * <p>Every certificate it returns is X.509 v3, signed by the CA key with the CA key's algorithm
 * (SM3withSM2 for SM2 CAs as GM/T 0015 asks, SHA256withECDSA or SHA256withRSA otherwise) and
 * verified under it before it is returned, with a random serial and exactly these extensions:
 * keyUsage digitalSignature (critical), extendedKeyUsage {@link #ID_KP_SYNC_SIGNING} (not
 * critical), and the SubjectKeyIdentifier and AuthorityKeyIdentifier as in {@link KeyIdentifiers}.
 * The subject is {@code CN=<CA name> sync signer} followed by the CA subject's O and C attributes.
 *
 * <p>Validity as {@link OcspSigningCertificates}: notBefore backdated by up to
 * {@link OcspSigningCertificates#BACKDATE} (never before the CA's notBefore), notAfter now +
 * {@code validity}, cut at the CA's notAfter.
 *
 * <p>Thread-safe: it holds only the clock and the random source.
 */
public final class SyncSigningCertificates {

    /**
     * id-egovpki-kp-syncSigning, the extended key usage of a sync-signing certificate: under our
     * X.667 UUID arc ({@code org.egovpki.schema.EgovSchema#OID_ARC}), {@code .9} = key purposes.
     */
    public static final ASN1ObjectIdentifier ID_KP_SYNC_SIGNING =
            new ASN1ObjectIdentifier("2.25.181821722204100531762351466650690192293.9.1");
    /** Longest validity allowed: a short-lived signer is retired by replacing it (docs/sync.md). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(366);

    private static final String CN_SUFFIX = " sync signer";
    private static final int MAX_CN = 64;

    private final Clock clock;
    private final SecureRandom random;

    public SyncSigningCertificates(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A sync-signing certificate for {@code signerKey}, issued by the CA named {@code caName}
     * whose certificate is {@code caCertificate} and whose key {@code caSigner} holds.
     *
     * @param validity positive, at most {@link #MAX_VALIDITY}
     * @throws IllegalArgumentException if the signer does not hold the CA certificate's key, the
     *     CA may not sign certificates, the validity is not allowed, or the CA has expired
     */
    public X509Certificate issue(String caName, X509Certificate caCertificate, CaSigner caSigner, PublicKey signerKey,
            Duration validity) {
        Objects.requireNonNull(caName, "caName");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(caSigner, "caSigner");
        Objects.requireNonNull(signerKey, "signerKey");
        Objects.requireNonNull(validity, "validity");
        KeyAlgorithm.of(signerKey);
        if (caName.isBlank()) {
            throw new IllegalArgumentException("the CA name is blank; pass the configured name of the CA");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("sync-signing certificate validity " + validity
                    + " is not allowed; use more than zero and at most " + MAX_VALIDITY.toDays() + " days");
        }
        if (!Arrays.equals(caCertificate.getPublicKey().getEncoded(), caSigner.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the CA signer (" + caSigner + ") does not hold the key of "
                    + caCertificate.getSubjectX500Principal() + "; pass the signer of that CA");
        }
        boolean[] keyUsage = caCertificate.getKeyUsage();
        if (caCertificate.getBasicConstraints() < 0 || keyUsage != null && !keyUsage[5]) {
            throw new IllegalArgumentException(caCertificate.getSubjectX500Principal()
                    + " is not a CA certificate with keyCertSign and cannot certify a sync signer");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant caNotBefore = caCertificate.getNotBefore().toInstant();
        Instant caNotAfter = caCertificate.getNotAfter().toInstant();
        if (!now.isBefore(caNotAfter)) {
            throw new IllegalArgumentException("CA " + caCertificate.getSubjectX500Principal() + " expired at "
                    + caNotAfter + "; it cannot certify a sync signer");
        }
        Instant notBefore = now.minus(OcspSigningCertificates.BACKDATE);
        if (notBefore.isBefore(caNotBefore)) {
            notBefore = caNotBefore;
        }
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        X500Name issuer = X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded());
        BigInteger serial = SerialNumbers.random(random);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                Date.from(notAfter), signerSubject(caName, issuer), SubjectPublicKeyInfo.getInstance(signerKey.getEncoded()));
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.getInstance(ID_KP_SYNC_SIGNING)));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(KeyIdentifiers.subjectKeyIdentifier(signerKey)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(caCertificate)));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode the extensions of the sync-signing certificate of "
                    + issuer + ": " + e.getMessage(), e);
        }
        X509CertificateHolder holder = builder.build(caSigner.contentSigner());
        return verified(holder, caSigner.publicKey(), issuer);
    }

    /**
     * {@code CN=<caName> sync signer} (cut so the CN stays within 64 characters) with the O and C
     * attributes of the CA's name, in the CA name's order.
     */
    static X500Name signerSubject(String caName, X500Name caSubject) {
        // RDNs in DER order: the CA's C and O as they come, then the CN, the most specific.
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        for (RDN rdn : caSubject.getRDNs()) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (value.getType().equals(BCStyle.O) || value.getType().equals(BCStyle.C)) {
                    builder.addRDN(value);
                }
            }
        }
        builder.addRDN(BCStyle.CN, new DERUTF8String(signerCn(caName)));
        return builder.build();
    }

    private static String signerCn(String caName) {
        String cn = caName.strip();
        int room = MAX_CN - CN_SUFFIX.length();
        if (cn.codePointCount(0, cn.length()) > room) {
            cn = cn.substring(0, cn.offsetByCodePoints(0, room));
        }
        return cn + CN_SUFFIX;
    }

    private static X509Certificate verified(X509CertificateHolder holder, PublicKey caKey, X500Name issuer) {
        try {
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(holder);
            certificate.verify(caKey, BouncyCastle.PROVIDER);
            return certificate;
        } catch (CertificateException e) {
            throw new IllegalStateException("Bouncy Castle produced an unreadable sync-signing certificate for "
                    + issuer + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the new sync-signing certificate of " + issuer
                    + " does not verify under the CA key; the signer is broken: " + e.getMessage(), e);
        }
    }
}
