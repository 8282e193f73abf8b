package org.egovpki.core.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
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
 * Issues CA certificates (self-signed roots and subordinate CAs) in the GM/T 0015 CA profile.
 *
 * <p>Every certificate it returns is X.509 v3 with a random 127-bit serial and exactly these
 * extensions: basicConstraints (critical, cA=TRUE, path length as requested), keyUsage
 * (critical: keyCertSign, cRLSign, digitalSignature), SubjectKeyIdentifier and
 * AuthorityKeyIdentifier (SHA-1 of the key bits; a root's AKI is its own SKI), and, when
 * requested, subjectInfoAccess caRepository, CRL distribution points and authorityInfoAccess
 * (OCSP of the issuer's responder first, then caIssuers, in the order end-entity certificates
 * carry them), all non-critical. It is signed with the issuer key's algorithm (SM3withSM2,
 * SHA256withRSA or SHA256withECDSA) and verified with the issuer key before it is returned.
 *
 * <p>Validity rules, refused rather than clamped so an operator sees the mistake: a root at most
 * {@link #MAX_ROOT_VALIDITY}, a subordinate at most {@link #MAX_SUBORDINATE_VALIDITY}
 * (REQUIREMENTS §3, 001 §6.6.2.3), and never beyond its issuer's notAfter. notBefore is the
 * clock's current second, not backdated: CA certificates are installed by operators before
 * anything relies on them, and a notBefore that is not backdated keeps a subordinate inside
 * its just-created root's validity.
 *
 * <p>Thread-safe: it holds only the clock and the random source.
 */
public final class CaCertificateFactory {

    /** Longest validity of a self-signed root. */
    public static final Period MAX_ROOT_VALIDITY = Period.ofYears(30);
    /** Longest validity of a subordinate (intermediate or issuing) CA. */
    public static final Period MAX_SUBORDINATE_VALIDITY = Period.ofYears(20);

    /** id-ad-caRepository (RFC 5280 §4.2.2.2); Bouncy Castle has no constant for it. */
    static final ASN1ObjectIdentifier ID_AD_CA_REPOSITORY = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.48.5");

    private final Clock clock;
    private final SecureRandom random;

    public CaCertificateFactory(Clock clock, SecureRandom random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * A self-signed root for {@code keyPair}. The request must carry a caRepository URL
     * (GM/T 0015) and no CRL DP, caIssuers or OCSP URL (a root has no issuer to point at: relying
     * parties trust it as an anchor and never ask for its status).
     *
     * @throws IllegalArgumentException if the request breaks the root profile
     */
    public X509Certificate selfSignedRoot(CaCertificateRequest request, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return selfSignedRoot(request, CaSigner.of(keyPair, random));
    }

    /**
     * A self-signed root for the key {@code signer} holds (a key on a PKCS#11 token is used where
     * it is), under the same rules as {@link #selfSignedRoot(CaCertificateRequest, KeyPair)}.
     */
    public X509Certificate selfSignedRoot(CaCertificateRequest request, CaSigner signer) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(signer, "signer");
        if (request.caRepositoryUrl() == null) {
            throw new IllegalArgumentException("root CA \"" + request.subjectDn()
                    + "\" needs a caRepositoryUrl: a self-signed CA carries subjectInfoAccess caRepository (GM/T 0015)");
        }
        if (request.crlDistributionPointUrl() != null || request.crlLdapUrl() != null
                || request.caIssuersUrl() != null || request.ocspUrl() != null) {
            throw new IllegalArgumentException("root CA \"" + request.subjectDn()
                    + "\" must not carry CRL distribution points, caIssuers or OCSP: it has no issuer; remove them");
        }
        X500Name subject = DistinguishedNames.parse(request.subjectDn());
        Instant notBefore = now();
        Instant notAfter = notAfter("root CA", request, notBefore, MAX_ROOT_VALIDITY);
        byte[] keyId = KeyIdentifiers.subjectKeyIdentifier(signer.publicKey());
        return issue(request, subject, subject, signer.publicKey(), notBefore, notAfter, keyId, signer);
    }

    /**
     * A subordinate CA certificate for {@code subjectKey}, signed by {@code issuerSigner} whose
     * certificate is {@code issuerCert}.
     *
     * @throws IllegalArgumentException if the signer does not hold the issuer certificate's key,
     *     the issuer is no CA or may not have subordinate CAs, the validity is too long or outlives
     *     the issuer, or the subject equals the issuer's
     */
    public X509Certificate subordinate(CaCertificateRequest request, PublicKey subjectKey,
            X509Certificate issuerCert, CaSigner issuerSigner) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(subjectKey, "subjectKey");
        Objects.requireNonNull(issuerCert, "issuerCert");
        Objects.requireNonNull(issuerSigner, "issuerSigner");
        KeyAlgorithm.of(subjectKey);
        requireSignerHoldsIssuerKey(issuerCert, issuerSigner);
        requireMayIssueCa(request, issuerCert);
        X500Name subject = DistinguishedNames.parse(request.subjectDn());
        X500Name issuer = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
        if (subject.equals(issuer)) {
            throw new IllegalArgumentException("subordinate CA subject \"" + request.subjectDn()
                    + "\" equals its issuer's subject; give the subordinate CA its own name");
        }
        Instant notBefore = now();
        Instant issuerNotBefore = issuerCert.getNotBefore().toInstant();
        if (notBefore.isBefore(issuerNotBefore)) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal() + " is not valid before "
                    + issuerNotBefore + " but the subordinate CA would start at " + notBefore + "; check the clock");
        }
        Instant notAfter = notAfter("subordinate CA", request, notBefore, MAX_SUBORDINATE_VALIDITY);
        Instant issuerNotAfter = issuerCert.getNotAfter().toInstant();
        if (notAfter.isAfter(issuerNotAfter)) {
            throw new IllegalArgumentException("subordinate CA \"" + request.subjectDn() + "\" would be valid until "
                    + notAfter + ", past its issuer's notAfter " + issuerNotAfter
                    + "; shorten the validity so it ends by the issuer's notAfter");
        }
        return issue(request, issuer, subject, subjectKey, notBefore, notAfter, KeyIdentifiers.ofIssuer(issuerCert),
                issuerSigner);
    }

    /**
     * A self-issued link certificate of a CA key changeover (RFC 4210 §4.4): subject and issuer
     * are the same CA name, the subject key is one of the CA's two keys and the signer the other.
     * NewWithOld certifies the new key with the old one, OldWithNew the old key with the new one,
     * so a relying party that trusts either key reaches the other. It keeps the CA profile
     * (no path length limit, keyCertSign, cRLSign, digitalSignature; caRepository as given).
     *
     * @param notBefore the link's notBefore (RFC 4210: OldWithNew keeps the old certificate's,
     *                  NewWithOld starts with the new certificate)
     * @param notAfter  the link's notAfter, never past the issuer certificate's
     * @throws IllegalArgumentException if the signer does not hold the issuer certificate's key,
     *     the subject key is the signer's own, the subject name differs from the issuer's, or the
     *     validity is empty, outlives the issuer or has already ended
     */
    public X509Certificate linkCertificate(PublicKey subjectKey, X509Certificate issuerCert, CaSigner issuerSigner,
            Instant notBefore, Instant notAfter, String caRepositoryUrl) {
        Objects.requireNonNull(subjectKey, "subjectKey");
        Objects.requireNonNull(issuerCert, "issuerCert");
        Objects.requireNonNull(issuerSigner, "issuerSigner");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        KeyAlgorithm.of(subjectKey);
        requireSignerHoldsIssuerKey(issuerCert, issuerSigner);
        if (Arrays.equals(subjectKey.getEncoded(), issuerSigner.publicKey().getEncoded())) {
            throw new IllegalArgumentException("a link certificate of " + issuerCert.getSubjectX500Principal()
                    + " certifies one key of the CA with the other; the subject key is the signer's own");
        }
        if (issuerCert.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal()
                    + " is not a CA certificate (no basicConstraints cA=TRUE)");
        }
        Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
        Instant end = notAfter.truncatedTo(ChronoUnit.SECONDS);
        Instant issuerNotAfter = issuerCert.getNotAfter().toInstant();
        if (!end.isAfter(start) || !end.isAfter(now())) {
            throw new IllegalArgumentException("link certificate of " + issuerCert.getSubjectX500Principal()
                    + " would be valid from " + start + " to " + end + ", which is empty or over at " + now());
        }
        if (end.isAfter(issuerNotAfter)) {
            throw new IllegalArgumentException("link certificate of " + issuerCert.getSubjectX500Principal()
                    + " would be valid until " + end + ", past its signing certificate's notAfter " + issuerNotAfter);
        }
        X500Name name = X500Name.getInstance(issuerCert.getSubjectX500Principal().getEncoded());
        String subjectDn = issuerCert.getSubjectX500Principal().getName();
        // The request carries the extensions' inputs only; a link's period is given, not computed.
        CaCertificateRequest request = new CaCertificateRequest(subjectDn, Period.ofDays(1), null, caRepositoryUrl,
                null, null, null, null);
        return issue(request, name, name, subjectKey, start, end, KeyIdentifiers.ofIssuer(issuerCert), issuerSigner);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant notAfter(String kind, CaCertificateRequest request, Instant notBefore, Period maximum) {
        Instant notAfter = plus(notBefore, request.validity());
        if (notAfter.isAfter(plus(notBefore, maximum))) {
            throw new IllegalArgumentException(kind + " \"" + request.subjectDn() + "\": validity " + request.validity()
                    + " exceeds the maximum of " + maximum.getYears() + " years for a " + kind
                    + " (REQUIREMENTS §3); shorten the validity");
        }
        return notAfter;
    }

    private static Instant plus(Instant instant, Period period) {
        return instant.atOffset(ZoneOffset.UTC).plus(period).toInstant();
    }

    private static void requireSignerHoldsIssuerKey(X509Certificate issuerCert, CaSigner issuerSigner) {
        if (!Arrays.equals(issuerCert.getPublicKey().getEncoded(), issuerSigner.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the issuer signer (" + issuerSigner + ") does not hold the key of issuer "
                    + "certificate " + issuerCert.getSubjectX500Principal() + "; pass the signer of that CA");
        }
    }

    private static void requireMayIssueCa(CaCertificateRequest request, X509Certificate issuerCert) {
        int issuerPathLen = issuerCert.getBasicConstraints();
        if (issuerPathLen < 0) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal()
                    + " is not a CA certificate (no basicConstraints cA=TRUE)");
        }
        boolean[] keyUsage = issuerCert.getKeyUsage();
        if (keyUsage != null && !keyUsage[5]) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal()
                    + " has no keyCertSign key usage and cannot sign certificates");
        }
        if (issuerPathLen == 0) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal()
                    + " has pathLenConstraint 0 and may only issue end-entity certificates, not CA \""
                    + request.subjectDn() + "\"");
        }
        Integer pathLen = request.pathLenConstraint();
        if (issuerPathLen != Integer.MAX_VALUE && (pathLen == null || pathLen >= issuerPathLen)) {
            throw new IllegalArgumentException("subordinate CA \"" + request.subjectDn() + "\" asks for pathLenConstraint "
                    + (pathLen == null ? "none" : pathLen) + " but its issuer allows at most " + (issuerPathLen - 1)
                    + " below it; lower the pathLenConstraint");
        }
    }

    private X509Certificate issue(CaCertificateRequest request, X500Name issuer, X500Name subject,
            PublicKey subjectKey, Instant notBefore, Instant notAfter, byte[] authorityKeyId, CaSigner signer) {
        BigInteger serial = SerialNumbers.random(random);
        SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore),
                Date.from(notAfter), subject, keyInfo);
        try {
            Integer pathLen = request.pathLenConstraint();
            builder.addExtension(Extension.basicConstraints, true,
                    pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
            // digitalSignature besides keyCertSign and cRLSign lets the CA sign OCSP responses
            // itself (RFC 6960 §4.2.2.2 case 1) without a delegated responder certificate.
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(KeyIdentifiers.subjectKeyIdentifier(subjectKey)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
            if (request.caRepositoryUrl() != null) {
                builder.addExtension(Extension.subjectInfoAccess, false, new DERSequence(
                        new AccessDescription(ID_AD_CA_REPOSITORY, uri(request.caRepositoryUrl()))));
            }
            List<GeneralName> crlLocations = new ArrayList<>();
            if (request.crlDistributionPointUrl() != null) {
                crlLocations.add(uri(request.crlDistributionPointUrl()));
            }
            if (request.crlLdapUrl() != null) {
                crlLocations.add(uri(request.crlLdapUrl()));
            }
            if (!crlLocations.isEmpty()) {
                // One distribution point, two ways to fetch the same CRL.
                DistributionPointName name = new DistributionPointName(
                        new GeneralNames(crlLocations.toArray(GeneralName[]::new)));
                builder.addExtension(Extension.cRLDistributionPoints, false,
                        new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(name, null, null)}));
            }
            List<AccessDescription> authorityAccess = new ArrayList<>(2);
            if (request.ocspUrl() != null) {
                authorityAccess.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(request.ocspUrl())));
            }
            if (request.caIssuersUrl() != null) {
                authorityAccess.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uri(request.caIssuersUrl())));
            }
            if (!authorityAccess.isEmpty()) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        authorityAccess.toArray(AccessDescription[]::new)));
            }
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode the extensions of CA certificate \"" + request.subjectDn()
                    + "\": " + e.getMessage(), e);
        }
        X509CertificateHolder holder = builder.build(signer.contentSigner());
        return verified(holder, signer.publicKey(), request.subjectDn());
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static X509Certificate verified(X509CertificateHolder holder, PublicKey issuerKey, String subjectDn) {
        try {
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(holder);
            certificate.verify(issuerKey, BouncyCastle.PROVIDER);
            return certificate;
        } catch (CertificateException e) {
            throw new IllegalStateException("Bouncy Castle produced an unreadable certificate for \"" + subjectDn
                    + "\": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the new certificate for \"" + subjectDn
                    + "\" does not verify under its issuer's key; the signer is broken: " + e.getMessage(), e);
        }
    }
}
