package org.egovpki.core.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.KeyUsageKind;

/**
 * Builds and signs end-entity certificates in the GM/T 0015 end-entity profile, in two steps so
 * the CA can write its intent before it signs (STYLE.md habit 4, Boulder's issuance cycle):
 * {@link #prepare} builds the exact TBSCertificate, whose DER the caller stores; {@link #sign}
 * turns that TBSCertificate, or one read back with {@link #parseTbs} after a crash, into the
 * certificate whose tbsCertificate is byte for byte the stored one.
 *
 * <p>Every TBSCertificate {@link #prepare} returns is v3 and carries, in this order:
 * <ul>
 *   <li>basicConstraints cA=FALSE, <b>non-critical</b>. RFC 5280 §4.2.1.9 requires it critical
 *       only in CA certificates and leaves the end-entity case open; the GM/T 0015 notes
 *       (GM-CRYPTO.md) likewise ask for criticality only in CA certificates. Criticality would protect nothing: cA=FALSE means the same as an absent extension,
 *       so a relying party that ignored it could not be misled. Non-critical keeps keyUsage the
 *       single critical extension of the GM/T 0015 end-entity profile, which is what its
 *       relying parties and lint rules ("no critical extension outside the profile") expect.</li>
 *   <li>keyUsage, <b>critical</b>: signing = digitalSignature + nonRepudiation; encryption =
 *       keyEncipherment + dataEncipherment + keyAgreement (REQUIREMENTS §3).</li>
 *   <li>extendedKeyUsage from the profile, non-critical, if the profile lists any.</li>
 *   <li>SubjectKeyIdentifier = SHA-1 of the subject key bits; AuthorityKeyIdentifier = the
 *       issuer's SKI ({@link KeyIdentifiers#ofIssuer}).</li>
 *   <li>cRLDistributionPoints: one DistributionPoint whose fullName is the HTTP URL then the
 *       LDAP URL of the same CRL, as in the issuing CA's own certificate.</li>
 *   <li>authorityInfoAccess: id-ad-ocsp then id-ad-caIssuers.</li>
 *   <li>certificatePolicies: the profile's policy OID with a CPS URI qualifier.</li>
 *   <li>subjectAltName (dNSName, iPAddress) if the request has names and the profile allows
 *       them; non-critical because the subject DN is never empty.</li>
 *   <li>the GM/T 0015 identity extensions the profile asks for ({@link GmtIdentityExtensions}),
 *       non-critical.</li>
 * </ul>
 *
 * <p>Validity: notBefore is the clock's current second, not backdated. notAfter is notBefore +
 * the profile's validity, or the request's notAfterOverride (a replacement keeps the old
 * certificate's notAfter), and is then <b>clamped to the issuer's notAfter</b>. A CA near the
 * end of its life keeps serving its subscribers with shorter certificates instead of refusing
 * them (the CA key changeover is what restores full validity), and under RFC 5280 path
 * validation the time past the issuer's notAfter would be unusable anyway; the clamped value is
 * in the TBSCertificate for the caller to record or show. Refused: a notAfterOverride not after
 * notBefore (a replacement of an expired certificate is a new application), a notAfter more
 * than {@link CertificateProfile#MAX_VALIDITY} after notBefore, an issuer not valid at
 * notBefore.
 *
 * <p>The subject key may be of any algorithm; the signature algorithm is always the issuer
 * key's (SM3withSM2, SHA256withRSA or SHA256withECDSA), with the AlgorithmIdentifier exactly as
 * the issuer's {@link CaSigner} emits it ({@link #signatureAlgorithm(CaSigner)}).
 *
 * <p>Thread-safe: it holds only the clock.
 */
public final class EndEntityCertificates {

    private static final int SIGNING_USAGE = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    private static final int ENCRYPTION_USAGE =
            KeyUsage.keyEncipherment | KeyUsage.dataEncipherment | KeyUsage.keyAgreement;
    /** RFC 5280 §4.1.2.2: serial numbers are at most 20 octets. */
    private static final int MAX_SERIAL_BITS = 159;

    private final Clock clock;

    public EndEntityCertificates(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The signature AlgorithmIdentifier that {@code signer} writes; pass it to {@link #prepare}.
     */
    public static AlgorithmIdentifier signatureAlgorithm(CaSigner signer) {
        Objects.requireNonNull(signer, "signer");
        return signer.contentSigner().getAlgorithmIdentifier();
    }

    /**
     * Builds the TBSCertificate for {@code request} under {@code profile}, to be stored as the
     * intent record and then given to {@link #sign}.
     *
     * @param serial             the reserved serial number (positive, at most 20 octets)
     * @param signatureAlgorithm the issuer signer's AlgorithmIdentifier, see
     *                           {@link #signatureAlgorithm(CaSigner)}
     * @throws DomainException BAD_REQUEST for subscriber input the profile refuses: SAN on a
     *     profile without SAN (field {@code registration.hostNames} or
     *     {@code registration.ipAddresses}), a malformed SAN entry, a notAfterOverride not after
     *     notBefore or beyond the maximum validity (field {@code notAfterOverride}), a subject
     *     equal to the issuer's (field {@code subject}), an identity value the chosen form
     *     cannot encode
     * @throws IllegalArgumentException for inconsistent arguments from the CA itself: a bad
     *     serial, a signature algorithm that does not belong to the issuer key, an issuer not
     *     valid now
     */
    public TBSCertificate prepare(CertificateProfile profile, EndEntityRequest request, IssuerContext issuer,
            BigInteger serial, AlgorithmIdentifier signatureAlgorithm) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        requireSerial(serial);
        X509Certificate issuerCert = issuer.issuerCertificate();
        requireIssuerAlgorithm(issuerCert, signatureAlgorithm);
        X500Name issuerName = issuerName(issuerCert);
        if (request.subject().equals(issuerName)) {
            throw DomainException.badRequest("subject", "subject \"" + DistinguishedNames.format(request.subject())
                    + "\" is the issuing CA's own name; an end-entity certificate needs its own subject");
        }
        GeneralNames subjectAltNames = subjectAltNames(profile, request);

        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notAfter(profile, request, issuerCert, notBefore);

        V3TBSCertificateGenerator generator = new V3TBSCertificateGenerator();
        generator.setSerialNumber(new ASN1Integer(serial));
        generator.setSignature(signatureAlgorithm);
        generator.setIssuer(issuerName);
        generator.setStartDate(new Time(Date.from(notBefore)));
        generator.setEndDate(new Time(Date.from(notAfter)));
        generator.setSubject(request.subject());
        generator.setSubjectPublicKeyInfo(request.publicKey());
        generator.setExtensions(extensions(profile, request, issuer, subjectAltNames).generate());
        return generator.generateTBSCertificate();
    }

    /**
     * Signs {@code tbs} with {@code signer} and returns the certificate, parsed by Bouncy Castle
     * and verified under the signer's public key. Its tbsCertificate is exactly the DER of
     * {@code tbs}.
     *
     * @throws IllegalArgumentException if the TBSCertificate's signature AlgorithmIdentifier is
     *     not exactly the one the signer writes
     * @throws IllegalStateException if the result does not parse or verify (a broken signer)
     */
    public X509Certificate sign(TBSCertificate tbs, CaSigner signer) {
        Objects.requireNonNull(tbs, "tbs");
        Objects.requireNonNull(signer, "signer");
        ContentSigner contentSigner = signer.contentSigner();
        AlgorithmIdentifier algorithm = contentSigner.getAlgorithmIdentifier();
        if (!algorithm.equals(tbs.getSignature())) {
            throw new IllegalArgumentException("the TBSCertificate (serial " + SerialNumbers.toHex(serialOf(tbs))
                    + ") names signature algorithm " + describe(tbs.getSignature()) + " but " + signer + " signs with "
                    + describe(algorithm) + "; prepare it with EndEntityCertificates.signatureAlgorithm(signer)");
        }
        byte[] tbsDer = der(tbs);
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(tbsDer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot feed the TBSCertificate to " + signer + ": " + e.getMessage(), e);
        }
        byte[] signature = contentSigner.getSignature();
        Certificate certificate = new Certificate(tbs, algorithm, new DERBitString(signature));
        X509Certificate parsed = Pem.parseCertificate(der(certificate));
        try {
            parsed.verify(signer.publicKey(), BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the certificate with serial " + SerialNumbers.toHex(parsed.getSerialNumber())
                    + " does not verify under the signer's key; the signer is broken: " + e.getMessage(), e);
        }
        try {
            if (!Arrays.equals(parsed.getTBSCertificate(), tbsDer)) {
                throw new IllegalStateException("the signed certificate's tbsCertificate differs from the prepared one");
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot re-read the signed certificate: " + e.getMessage(), e);
        }
        return parsed;
    }

    /**
     * Reads a TBSCertificate stored as an intent record.
     *
     * @throws IllegalArgumentException unless {@code der} is exactly one DER-encoded
     *     TBSCertificate (no trailing bytes, no BER), since the signature must cover the stored
     *     bytes
     */
    public static TBSCertificate parseTbs(byte[] der) {
        Objects.requireNonNull(der, "der");
        TBSCertificate tbs;
        try {
            tbs = TBSCertificate.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a DER-encoded TBSCertificate (" + der.length + " bytes): "
                    + e.getMessage(), e);
        }
        if (tbs == null || !Arrays.equals(der(tbs), der)) {
            throw new IllegalArgumentException("the " + der.length + " bytes given are not exactly one DER-encoded"
                    + " TBSCertificate (trailing data or a non-DER encoding); pass the stored DER bytes");
        }
        return tbs;
    }

    private static void requireSerial(BigInteger serial) {
        if (serial.signum() <= 0 || serial.bitLength() > MAX_SERIAL_BITS) {
            throw new IllegalArgumentException("serial number " + serial + " must be positive and fit 20 octets"
                    + " (RFC 5280 §4.1.2.2); reserve one with SerialNumbers.random");
        }
    }

    private static void requireIssuerAlgorithm(X509Certificate issuerCert, AlgorithmIdentifier signatureAlgorithm) {
        KeyAlgorithm keyAlgorithm = KeyAlgorithm.of(issuerCert.getPublicKey());
        ASN1ObjectIdentifier expected = new DefaultSignatureAlgorithmIdentifierFinder()
                .find(keyAlgorithm.signatureAlgorithm()).getAlgorithm();
        if (!expected.equals(signatureAlgorithm.getAlgorithm())) {
            throw new IllegalArgumentException("signature algorithm " + describe(signatureAlgorithm)
                    + " does not belong to the " + keyAlgorithm + " key of issuer " + issuerCert.getSubjectX500Principal()
                    + ", which signs with " + keyAlgorithm.signatureAlgorithm() + " (" + expected + ")");
        }
    }

    /** The issuer certificate's subject exactly as encoded there, so name chaining is byte-exact. */
    private static X500Name issuerName(X509Certificate issuerCert) {
        try {
            return Certificate.getInstance(issuerCert.getEncoded()).getSubject();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot read issuer certificate " + issuerCert.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    private static GeneralNames subjectAltNames(CertificateProfile profile, EndEntityRequest request) {
        if (!profile.allowSubjectAltNames()) {
            if (!request.dnsNames().isEmpty()) {
                throw DomainException.badRequest(SubjectAltNames.HOST_NAMES_FIELD, "profile \"" + profile.name()
                        + "\" does not allow subject alternative names but host names " + request.dnsNames()
                        + " were given; remove them or use a device profile");
            }
            if (!request.ipAddresses().isEmpty()) {
                throw DomainException.badRequest(SubjectAltNames.IP_ADDRESSES_FIELD, "profile \"" + profile.name()
                        + "\" does not allow subject alternative names but IP addresses " + request.ipAddresses()
                        + " were given; remove them or use a device profile");
            }
        }
        return SubjectAltNames.of(request.dnsNames(), request.ipAddresses());
    }

    private static Instant notAfter(CertificateProfile profile, EndEntityRequest request, X509Certificate issuerCert,
            Instant notBefore) {
        Instant issuerNotBefore = issuerCert.getNotBefore().toInstant();
        Instant issuerNotAfter = issuerCert.getNotAfter().toInstant();
        if (notBefore.isBefore(issuerNotBefore) || !notBefore.isBefore(issuerNotAfter)) {
            throw new IllegalArgumentException("issuer " + issuerCert.getSubjectX500Principal() + " is valid from "
                    + issuerNotBefore + " to " + issuerNotAfter + ", not at " + notBefore
                    + "; issue from a CA that is valid now, or check the clock");
        }
        Instant maximum = plus(notBefore, CertificateProfile.MAX_VALIDITY);
        Instant notAfter;
        if (request.notAfterOverride() != null) {
            notAfter = request.notAfterOverride().truncatedTo(ChronoUnit.SECONDS);
            if (!notAfter.isAfter(notBefore)) {
                throw DomainException.badRequest("notAfterOverride", "notAfter " + notAfter + " is not after the new"
                        + " certificate's notBefore " + notBefore + "; the certificate it keeps the notAfter of has"
                        + " expired, so submit a new application instead");
            }
            if (notAfter.isAfter(maximum)) {
                throw DomainException.badRequest("notAfterOverride", "notAfter " + notAfter + " is more than 5 years"
                        + " 3 months after notBefore " + notBefore + " (REQUIREMENTS §3, maximum " + maximum + ")");
            }
        } else {
            notAfter = plus(notBefore, profile.validity());
            if (notAfter.isAfter(maximum)) {
                throw new IllegalArgumentException("profile \"" + profile.name() + "\": validity " + profile.validity()
                        + " from " + notBefore + " ends " + notAfter + ", past the end-entity maximum " + maximum);
            }
        }
        return notAfter.isAfter(issuerNotAfter) ? issuerNotAfter : notAfter;
    }

    private static Instant plus(Instant instant, Period period) {
        return instant.atOffset(ZoneOffset.UTC).plus(period).toInstant();
    }

    private static ExtensionsGenerator extensions(CertificateProfile profile, EndEntityRequest request,
            IssuerContext issuer, GeneralNames subjectAltNames) {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        try {
            extensions.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(usage(request.kind())));
            if (!profile.extendedKeyUsages().isEmpty()) {
                KeyPurposeId[] purposes = profile.extendedKeyUsages().stream()
                        .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                        .toArray(KeyPurposeId[]::new);
                extensions.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            extensions.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(keyIdentifier(request.publicKey())));
            extensions.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(KeyIdentifiers.ofIssuer(issuer.issuerCertificate())));
            // One distribution point, two ways to fetch the same CRL: HTTP first, then LDAP.
            DistributionPointName crl = new DistributionPointName(
                    new GeneralNames(new GeneralName[] {uri(issuer.crlHttpUrl()), uri(issuer.crlLdapUrl())}));
            extensions.addExtension(Extension.cRLDistributionPoints, false,
                    new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(crl, null, null)}));
            if (!issuer.freshestCrlUrls().isEmpty()) {
                GeneralName[] deltas = issuer.freshestCrlUrls().stream().map(EndEntityCertificates::uri)
                        .toArray(GeneralName[]::new);
                extensions.addExtension(Extension.freshestCRL, false, new CRLDistPoint(new DistributionPoint[] {
                    new DistributionPoint(new DistributionPointName(new GeneralNames(deltas)), null, null)}));
            }
            extensions.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    new AccessDescription[] {
                        new AccessDescription(AccessDescription.id_ad_ocsp, uri(issuer.ocspUrl())),
                        new AccessDescription(AccessDescription.id_ad_caIssuers, uri(issuer.caIssuersUrl()))}));
            extensions.addExtension(Extension.certificatePolicies, false, new CertificatePolicies(
                    new PolicyInformation(new ASN1ObjectIdentifier(profile.policyOid()),
                            new DERSequence(new PolicyQualifierInfo(profile.cpsUri())))));
            if (subjectAltNames != null) {
                extensions.addExtension(Extension.subjectAlternativeName, false, subjectAltNames);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the extensions of the certificate for \""
                    + DistinguishedNames.format(request.subject()) + "\": " + e.getMessage(), e);
        }
        List<Extension> identity = GmtIdentityExtensions.extensions(profile.identityExtensions(), request.identity());
        identity.forEach(extensions::addExtension);
        return extensions;
    }

    private static int usage(KeyUsageKind kind) {
        return switch (kind) {
            case SIGNING -> SIGNING_USAGE;
            case ENCRYPTION -> ENCRYPTION_USAGE;
        };
    }

    /** RFC 5280 §4.2.1.2 method 1, as {@link KeyIdentifiers#subjectKeyIdentifier} computes it. */
    private static byte[] keyIdentifier(SubjectPublicKeyInfo key) {
        try {
            return MessageDigest.getInstance("SHA-1", BouncyCastle.PROVIDER).digest(key.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle has no SHA-1", e);
        }
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static BigInteger serialOf(TBSCertificate tbs) {
        return tbs.getSerialNumber().getValue();
    }

    private static String describe(AlgorithmIdentifier algorithm) {
        return algorithm.getAlgorithm().getId()
                + (algorithm.getParameters() == null ? " (no parameters)" : " (parameters " + algorithm.getParameters() + ")");
    }

    private static byte[] der(ASN1Object object) {
        try {
            return object.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode " + object.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }
}
