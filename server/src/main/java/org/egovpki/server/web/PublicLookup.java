package org.egovpki.server.web;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.egovpki.core.BusinessTypes;
import org.egovpki.core.DomainException;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.enroll.validation.SubjectDnPolicy;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.StoreKeys;
import org.egovpki.server.http.SubscriberChannels;

/**
 * The certificate status lookup of the public pages, and its rules (docs/information-services.md):
 * <ul>
 *   <li>By exact serial (hex): the status of any issued certificate with that serial — status is
 *       public through OCSP and the CRLs anyway — with issuer, validity and type.</li>
 *   <li>The subject and the downloads only for a certificate the directory publishes now (the
 *       subscriber did not opt out of publication, and it is not revoked): exactly what an
 *       anonymous LDAP or RFC 4387 client can read.</li>
 *   <li>By subject: exact match of the whole DN within one business type, published certificates
 *       only; no wildcards or partial names, so it cannot list subscribers.</li>
 * </ul>
 * Results are built from an allow-list ({@link PublicCertificate}): never registration data,
 * subscriber ids, request ids or anything else of the record.
 */
final class PublicLookup {

    /** At most this many certificates in one answer. */
    static final int MAX_RESULTS = 20;
    static final int MAX_SUBJECT = 1024;
    static final int MAX_BUSINESS_TYPE = BusinessTypes.MAX_LENGTH;

    /** What the public may see of a certificate's state. */
    enum Status { VALID, REVOKED, EXPIRED }

    /**
     * A certificate as the public pages show it.
     *
     * @param subject    the subject DN, {@code null} unless published
     * @param published  whether the directory publishes it now (and so it may be downloaded)
     */
    record PublicCertificate(String issuer, String serialHex, String subject, Instant notBefore, Instant notAfter,
                             CertificateType type, Status status, boolean published) {
    }

    private final CertificateLookup certificates;
    private final PublishedCertificates published;
    private final Clock clock;

    PublicLookup(CertificateLookup certificates, PublishedCertificates published, Clock clock) {
        this.certificates = certificates;
        this.published = published;
        this.clock = clock;
    }

    /** Every issued certificate with this serial (several CAs may have used it). */
    List<PublicCertificate> bySerial(String serial) {
        String hex = SubscriberChannels.serialHex(serial == null ? null : serial.strip());
        if (hex == null) {
            throw DomainException.badRequest("serial", "serial must be 1-40 hexadecimal digits, was ''");
        }
        return certificates.search(new CertificateQuery(hex, null, null, null, MAX_RESULTS)).stream()
                .filter(CertificateRecord::issued).map(this::view).toList();
    }

    /** The published certificates whose subject is exactly {@code subject}, in business type {@code businessType}. */
    List<PublicCertificate> bySubject(String subject, String businessType) {
        if (subject == null || subject.isBlank()) {
            throw DomainException.badRequest("subject", "the subject is empty; give one like \"CN=Zhang San,O=Test,C=CN\"");
        }
        if (subject.length() > MAX_SUBJECT) {
            throw DomainException.badRequest("subject", "the subject is longer than " + MAX_SUBJECT + " characters");
        }
        if (subject.indexOf('*') >= 0) {
            throw DomainException.badRequest("subject", "wildcards are not allowed: give the whole subject exactly "
                    + "as it is in the certificate");
        }
        if (businessType == null || businessType.isBlank()) {
            throw DomainException.badRequest("businessType", "the business type is required for a lookup by subject");
        }
        String business = BusinessTypes.require("businessType", businessType);
        String canonical = SubjectDnPolicy.canonicalString(SubjectDnPolicy.parse(subject.strip()));
        return certificates.search(new CertificateQuery(null, canonical, null, null, MAX_RESULTS)).stream()
                .filter(CertificateRecord::issued)
                .filter(r -> business.equalsIgnoreCase(r.businessType()))
                .map(this::view)
                .filter(PublicCertificate::published)
                .toList();
    }

    /** The record of a certificate the public may download: issued by {@code issuer} and published now. */
    Optional<CertificateRecord> downloadable(String issuer, String serial) {
        String hex = SubscriberChannels.serialHex(serial);
        return certificates.search(new CertificateQuery(hex, null, null, null, MAX_RESULTS)).stream()
                .filter(CertificateRecord::issued)
                .filter(r -> r.issuer().equals(issuer))
                .filter(this::isPublished)
                .findFirst();
    }

    private PublicCertificate view(CertificateRecord r) {
        boolean isPublished = isPublished(r);
        return new PublicCertificate(r.issuer(), r.serialHex(), isPublished ? r.subjectDn() : null, r.notBefore(),
                r.notAfter(), r.type(), status(r), isPublished);
    }

    private Status status(CertificateRecord r) {
        if (r.status() == CertificateStatus.REVOKED || r.status() == CertificateStatus.HOLD) {
            return Status.REVOKED;
        }
        if (r.status() == CertificateStatus.EXPIRED || r.notAfter().isBefore(clock.instant())) {
            return Status.EXPIRED;
        }
        return Status.VALID;
    }

    /** Whether the directory publishes exactly this certificate now, asked through the public store's index. */
    private boolean isPublished(CertificateRecord r) {
        if (r.status() != CertificateStatus.VALID || r.certificateDer() == null) {
            return false;
        }
        byte[] der = r.certificateDer();
        X509Certificate certificate = Pem.parseCertificate(der);
        PublishedCertificates.Found found = published.find(StoreKeys.Key.SUBJECT_HASH,
                StoreKeys.of(certificate).subjectHash(), MAX_RESULTS);
        return found.certificates().stream().anyMatch(d -> Arrays.equals(d, der));
    }

}
