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

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
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
 * Issues delegated OCSP responder certificates (RFC 6960 §4.2.2.2 case 3): the CA certifies a
 * separate key that signs OCSP responses on its behalf, so the CA key signs once per renewal
 * instead of once per response.
 *
 * <p>Every certificate it returns is X.509 v3, signed by the CA key with the CA key's algorithm
 * (SM3withSM2, SHA256withECDSA or SHA256withRSA) and verified under it before it is returned,
 * with a random serial and exactly these extensions: keyUsage digitalSignature (critical),
 * extendedKeyUsage id-kp-OCSPSigning, id-pkix-ocsp-nocheck (NULL: relying parties do not check
 * the responder certificate's own revocation, which is why its validity is short), and the
 * SubjectKeyIdentifier and AuthorityKeyIdentifier as in {@link KeyIdentifiers}. The subject is
 * the CA's, with " OCSP Responder" appended to its CN (or such a CN added).
 *
 * <p>Validity: notBefore is backdated by up to {@link #BACKDATE} (never before the CA's own
 * notBefore) so that relying parties whose clocks run a little slow accept a certificate issued
 * a moment ago; notAfter is now + {@code validity}, cut at the CA's notAfter.
 *
 * <p>Thread-safe: it holds only the clock and the random source.
 */
public final class OcspSigningCertificates {

    /** How far notBefore is set back to allow for slow relying-party clocks. */
    public static final Duration BACKDATE = Duration.ofHours(1);
    /** Longest validity allowed: the certificate cannot be revoked in practice (nocheck). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(366);

    private static final String CN_SUFFIX = " OCSP Responder";
    private static final int MAX_CN = 64;

    private final Clock clock;
    private final SecureRandom random;

    public OcspSigningCertificates(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A delegated responder certificate for {@code responderKey}, issued by the CA whose
     * certificate is {@code caCertificate} and whose key {@code caSigner} holds.
     *
     * @param validity positive, whole seconds, at most {@link #MAX_VALIDITY}
     * @throws IllegalArgumentException if the signer does not hold the CA certificate's key, the
     *     CA may not sign certificates, the validity is not allowed, or the CA has expired
     */
    public X509Certificate issue(X509Certificate caCertificate, CaSigner caSigner, PublicKey responderKey,
            Duration validity) {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(caSigner, "caSigner");
        Objects.requireNonNull(responderKey, "responderKey");
        Objects.requireNonNull(validity, "validity");
        KeyAlgorithm.of(responderKey);
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("delegated OCSP responder validity " + validity
                    + " is not allowed; use more than zero and at most " + MAX_VALIDITY.toDays() + " days");
        }
        if (!Arrays.equals(caCertificate.getPublicKey().getEncoded(), caSigner.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the CA signer (" + caSigner + ") does not hold the key of "
                    + caCertificate.getSubjectX500Principal() + "; pass the signer of that CA");
        }
        boolean[] keyUsage = caCertificate.getKeyUsage();
        if (caCertificate.getBasicConstraints() < 0 || keyUsage != null && !keyUsage[5]) {
            throw new IllegalArgumentException(caCertificate.getSubjectX500Principal()
                    + " is not a CA certificate with keyCertSign and cannot certify an OCSP responder");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant caNotBefore = caCertificate.getNotBefore().toInstant();
        Instant caNotAfter = caCertificate.getNotAfter().toInstant();
        if (!now.isBefore(caNotAfter)) {
            throw new IllegalArgumentException("CA " + caCertificate.getSubjectX500Principal() + " expired at "
                    + caNotAfter + "; it cannot certify an OCSP responder");
        }
        Instant notBefore = now.minus(BACKDATE);
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
                Date.from(notAfter), responderSubject(issuer), SubjectPublicKeyInfo.getInstance(responderKey.getEncoded()));
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(KeyIdentifiers.subjectKeyIdentifier(responderKey)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(caCertificate)));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode the extensions of the OCSP responder certificate of "
                    + issuer + ": " + e.getMessage(), e);
        }
        X509CertificateHolder holder = builder.build(caSigner.contentSigner());
        return verified(holder, caSigner.publicKey(), issuer);
    }

    /** The CA's name with " OCSP Responder" after its CN, cut so the CN stays within 64 characters. */
    static X500Name responderSubject(X500Name caName) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        boolean hasCn = false;
        for (RDN rdn : caName.getRDNs()) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            AttributeTypeAndValue[] copy = new AttributeTypeAndValue[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i].getType().equals(BCStyle.CN)) {
                    hasCn = true;
                    copy[i] = new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String(responderCn(values[i].getValue())));
                } else {
                    copy[i] = values[i];
                }
            }
            builder.addMultiValuedRDN(copy);
        }
        if (!hasCn) {
            builder.addRDN(BCStyle.CN, new DERUTF8String(CN_SUFFIX.strip()));
        }
        return builder.build();
    }

    private static String responderCn(ASN1Encodable caCn) {
        String cn = caCn instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(caCn);
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
            throw new IllegalStateException("Bouncy Castle produced an unreadable OCSP responder certificate for "
                    + issuer + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the new OCSP responder certificate of " + issuer
                    + " does not verify under the CA key; the signer is broken: " + e.getMessage(), e);
        }
    }
}
