package org.egovpki.core.enroll;

import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CertificateRecords;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.ParsedCsr;
import org.egovpki.core.enroll.validation.RekeyProof;
import org.egovpki.core.enroll.validation.SubjectDnPolicy;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.profile.Profiles;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.SerialNumbers;

/**
 * What follows an issued certificate (REQUIREMENTS §5): renewal, rekey, modification and
 * replacement. Each is a request of its {@link RequestKind} that names the original serial, so the
 * directory shows what it follows and the issuance ({@link Issuance}) can finish it after a crash (the CA recovers half-done issuances at start-up).
 *
 * <p>The certificate is always the CA's own record, found by issuer and serial; nothing else the
 * caller sends about it is believed. Every check runs before anything is written: a refusal
 * leaves no request and no record behind, and is audited.
 *
 * <ul>
 *   <li><b>Renewal</b> (001 §6.2.6, 002 §3.6): same key, same data, new validity from now. The
 *       PKCS#10 request carries the certificate's own public key and is signed with it (its proof
 *       of possession is the old key's signature), and its subject is the certificate's. Only
 *       inside the {@link RenewalWindow} and never for a revoked certificate; outside, a new
 *       application is needed. The original is <em>not</em> revoked: it expires naturally (no
 *       seed revokes on renewal, and the holder keeps using it until the new one is installed).</li>
 *   <li><b>Rekey</b> (001 §6.1.3.3, 002 §2.3, 003 §4.7): a request for a new key with the same
 *       subject, plus a {@link RekeyProof} — the new request signed with the old, unexpired key.
 *       Never after revocation (all seeds); after expiry the identity must be checked in full, so
 *       a new application is needed. The new key replaces the old one, so the original is revoked
 *       as superseded when the new certificate is issued.</li>
 *   <li><b>Modification</b> (003 §4.8, 002 §3.8): changed subject or registration data. It is an
 *       application for the same subscriber and certificate type, checked and reviewed exactly
 *       like one ({@link EnrollmentService}: entry clerk, then a different reviewer); on issuance
 *       the original is revoked as superseded.</li>
 *   <li><b>Replacement</b> (002 §3.7): a lost or damaged medium. Entered by an RA or CA admin, who
 *       has checked the holder's identity in person; a new key with the same subject, and the new
 *       certificate ends when the original would have. Nothing the subscriber holds vouches for the
 *       new key, so it follows the application's identity check and acceptance (002 §3.7), with its
 *       two people: it waits {@code SUBMITTED} for a reviewer other than the admin who entered it
 *       ({@link EnrollmentService#approve}, every channel), unless the profile approves automatically
 *       for RA admins as it does for an application. On issuance the original is revoked as
 *       superseded.</li>
 * </ul>
 *
 * <p>Renewal and rekey change nothing that a reviewer would judge — the data are the original's,
 * and they are proven by the subscriber's own key (001 §6.1.3.3 A 3: an online request signed by
 * the holder authenticates it) — so they are approved by these checks and issued at once,
 * recorded with the entering operator as the deciding one. Their registration data, business
 * type, region, publication choice, challenge phrase and agreement acceptance are the original
 * request's, as are a replacement's.
 */
public final class LifecycleService {

    private static final int MAX_REASON = 200;

    private final Profiles profiles;
    private final CertificateRecords certificates;
    private final RequestStore requests;
    private final EnrollmentService enrollment;
    private final Issuance issuance;
    private final CertificationRequests csrs;
    private final SubjectDnPolicy dnPolicy = new SubjectDnPolicy();
    private final RenewalWindow window;
    private final AuditLog audit;
    private final Clock clock;

    public LifecycleService(Profiles profiles, CertificateRecords certificates, RequestStore requests,
                            EnrollmentService enrollment, Issuance issuance, CertificationRequests csrs,
                            RenewalWindow window, AuditLog audit, Clock clock) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.enrollment = Objects.requireNonNull(enrollment, "enrollment");
        this.issuance = Objects.requireNonNull(issuance, "issuance");
        this.csrs = Objects.requireNonNull(csrs, "csrs");
        this.window = Objects.requireNonNull(window, "window");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Renews a certificate with the same key.
     *
     * @param csr a PKCS#10 request (DER or PEM) over the certificate's public key, signed with it
     * @return the request, ISSUED with the new serial
     */
    public EnrollmentRequest renew(Operator operator, String issuerName, BigInteger serial, byte[] csr) {
        return reissue(RequestKind.RENEWAL, operator, issuerName, serial, Map.of(), original -> {
            requireNotRevoked(original, "renewed");
            Instant now = clock.instant();
            if (!window.contains(original.notAfter(), now)) {
                throw new DomainException(DomainException.Kind.CONFLICT, "certificate " + original.serialHex()
                        + " expires at " + original.notAfter() + " and can be renewed only from "
                        + window.opens(original.notAfter()) + " to " + window.closes(original.notAfter())
                        + "; it is now " + now + ". Outside that window a new application is needed"
                        + (now.isBefore(window.opens(original.notAfter())) ? " (or wait for the window to open)" : ""),
                        "serial");
            }
            ParsedCsr parsed = csrs.parse(csr);
            if (!sameKey(parsed, original)) {
                throw DomainException.badRequest(CertificationRequests.FIELD, "the request's public key is not the "
                        + "key of certificate " + original.serialHex() + ": a renewal keeps the key, so make the "
                        + "request over that key and sign it with it (a new key is a rekey)");
            }
            return parsed;
        });
    }

    /**
     * Certifies a new key for the same subject, proven by the old key.
     *
     * @param csr   a PKCS#10 request (DER or PEM) for the new key
     * @param proof a {@link RekeyProof}: the new request's DER signed with the certificate's key
     * @return the request, ISSUED with the new serial; the original is revoked as superseded
     */
    public EnrollmentRequest rekey(Operator operator, String issuerName, BigInteger serial, byte[] csr, byte[] proof) {
        return reissue(RequestKind.REKEY, operator, issuerName, serial, Map.of(), original -> {
            requireNotRevoked(original, "rekeyed");
            if (!original.notAfter().isAfter(clock.instant())) {
                throw new DomainException(DomainException.Kind.CONFLICT, "certificate " + original.serialHex()
                        + " expired at " + original.notAfter() + ": its key can no longer vouch for a new one, so the "
                        + "holder's identity must be checked in full: a new application is needed", "serial");
            }
            ParsedCsr parsed = csrs.parse(csr);
            requireNewKey(parsed, original, "a rekey certifies a new key (to keep this one, renew)");
            RekeyProof.verify(proof, parsed.der(), certificate(original));
            return parsed;
        });
    }

    /**
     * Replaces a certificate whose medium was lost or damaged: a new key, the same data, the same notAfter.
     *
     * @param operator an RA or CA admin, who has checked the holder's identity
     * @param csr      a PKCS#10 request (DER or PEM) for the key on the new medium
     * @param reason   what happened to the medium, for the audit trail, or {@code null}
     * @return the request, SUBMITTED for a reviewer other than {@code operator} (ISSUED at once only where the
     *         profile approves automatically for RA admins); at issuance the original is revoked as superseded
     */
    public EnrollmentRequest replace(Operator operator, String issuerName, BigInteger serial, byte[] csr,
                                     String reason) {
        // Free text for the audit trail: numbers in it masked, as everywhere the trail quotes personal data.
        Map<String, String> facts = reason == null || reason.isBlank() ? Map.of()
                : Map.of("reason", PersonalData.maskNumbersIn(reason.strip()));
        return reissue(RequestKind.REPLACEMENT, operator, issuerName, serial, facts, original -> {
            if (reason != null && reason.strip().length() > MAX_REASON) {
                throw DomainException.badRequest("reason", "reason is at most " + MAX_REASON + " characters");
            }
            requireValid(original, "replaced");
            ParsedCsr parsed = csrs.parse(csr);
            requireNewKey(parsed, original, "a replacement certifies the key on the new medium");
            return parsed;
        });
    }

    /**
     * Enters a modification: an application with changed data for the holder of the certificate,
     * reviewed like any application. The profile defaults to the certificate's, the subscriber is
     * the certificate's, and without a new challenge phrase the subscriber keeps the old one.
     *
     * @return the stored request, SUBMITTED (or issued at once where the profile auto-approves for RA admins)
     */
    public EnrollmentRequest modify(Operator clerk, String issuerName, BigInteger serial, Submission submission) {
        CertificateRecord original;
        EnrollmentRequest originalRequest;
        try {
            requireMayEnter(clerk);
            original = existing(issuerName, serial);
            requireValid(original, "modified");
            originalRequest = originalRequest(original);
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.MODIFICATION_REQUESTED, clerk.dn(),
                    List.of(CertificateRecord.id(String.valueOf(issuerName), serial)),
                    failure(issuerName, serial, RequestKind.MODIFICATION, e)));
            throw e;
        }
        return enrollment.submit(clerk, submission,
                new EnrollmentService.Modification(original, originalRequest.challengeHash()));
    }

    /** The checks of one kind, given the original certificate; returns the accepted request. */
    @FunctionalInterface
    private interface Check {
        ParsedCsr accept(CertificateRecord original);
    }

    /**
     * Renewal, rekey and replacement: check, store the request, audit; renewal and rekey (and a
     * replacement the profile approves automatically) are stored APPROVED and issued, a replacement
     * otherwise waits SUBMITTED for a second person. Nothing is written before every check has passed.
     */
    private EnrollmentRequest reissue(RequestKind kind, Operator operator, String issuerName, BigInteger serial,
                                      Map<String, String> facts, Check check) {
        AuditEventType event = event(kind);
        EnrollmentRequest request;
        CertificateRecord original;
        boolean reviewed;
        try {
            authorise(kind, operator);
            original = existing(issuerName, serial);
            ParsedCsr csr = check.accept(original);
            enrollment.requireCertifiableKey(csr);
            EnrollmentRequest before = originalRequest(original);
            requireSameSubject(csr, original, before);
            // The original request's data go back on the registration at issuance: never a former name.
            enrollment.requireSameIdentity(original.subscriberId(), kind, original.type(), before.registration());
            ProfileCatalog.Entry profile = profiles.current().find(original.profile()).orElseThrow(() ->
                    new DomainException(DomainException.Kind.CONFLICT, "certificate " + original.serialHex()
                            + " was issued under profile '" + original.profile() + "', which is no longer configured: "
                            + "a new application under a current profile is needed", "serial"));
            // A replacement's new key is vouched for by nobody but the admin: a second person reviews it,
            // as an application, unless the profile approves applications of RA admins automatically.
            reviewed = kind == RequestKind.REPLACEMENT
                    && !(profile.profile().autoApproveForRa() && operator.has(Role.RA_ADMIN));
            Instant now = clock.instant();
            request = new EnrollmentRequest(enrollment.newRequestId(),
                    reviewed ? RequestState.SUBMITTED : RequestState.APPROVED, csr.der(),
                    original.profile(), original.type(), original.subscriberId(), original.subjectDn(),
                    before.registration(), before.businessType(), before.region(), before.publishOptOut(),
                    before.challengeHash(), before.agreementAcceptedAt(), operator.dn(), reviewed ? null : operator.dn(),
                    now, reviewed ? null : now, null, null, List.of(), kind, original.serialHex());
        } catch (DomainException e) {
            Map<String, String> details = failure(issuerName, serial, kind, e);
            details.putAll(facts);
            audit.record(AuditEvent.failure(clock.instant(), event, operator.dn(),
                    List.of(CertificateRecord.id(String.valueOf(issuerName), serial)), details));
            throw e;
        }
        requests.create(request);
        Map<String, String> details = new LinkedHashMap<>(facts);
        details.put("kind", kind.name());
        details.put("originalIssuer", original.issuer());
        details.put("originalSerial", original.serialHex());
        details.put("subject", original.subjectDn());
        details.put("profile", original.profile());
        details.put("approval", reviewed ? "by a reviewer other than the operator who entered it: nothing the "
                + "subscriber holds vouches for the new key (002 §3.7: the application's identity check and acceptance)"
                : kind == RequestKind.REPLACEMENT ? "automatic: profile " + original.profile() + " allows automatic "
                + "approval for RA operators"
                : "automatic: the CA's checks of a " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + " replace a review (the data are the original's)");
        audit.record(AuditEvent.success(request.submittedAt(), event, operator.dn(),
                List.of(request.id(), original.id()), details));
        if (reviewed) {
            return request;
        }
        issuance.issue(request, operator.dn());
        return requests.find(request.id()).orElseThrow(() -> DomainException.internal("request " + request.id()
                + " vanished during issuance", null));
    }

    private CertificateRecord existing(String issuerName, BigInteger serial) {
        if (issuerName == null || serial == null) {
            throw DomainException.badRequest("serial", "the issuer and serial of the certificate are required");
        }
        CertificateRecord record = certificates.find(issuerName, serial).filter(CertificateRecord::issued)
                .orElseThrow(() -> DomainException.notFound("CA " + issuerName + " has issued no certificate with "
                        + "serial " + SerialNumbers.toHex(serial)));
        if (record.kind() != KeyUsageKind.SIGNING) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "certificate " + record.serialHex()
                    + " is an encryption certificate; it follows its signing certificate through the key "
                    + "management centre, which is not available yet");
        }
        return record;
    }

    private EnrollmentRequest originalRequest(CertificateRecord original) {
        return requests.find(original.requestId()).orElseThrow(() -> new DomainException(
                DomainException.Kind.CONFLICT, "request " + original.requestId() + ", under which certificate "
                + original.serialHex() + " was issued, is no longer in the directory, so its data cannot be carried "
                + "over: a new application is needed", "serial"));
    }

    /** Renewal and rekey: whoever may enter requests. Replacement: an RA or CA admin (002 §3.7). */
    private static void authorise(RequestKind kind, Operator operator) {
        if (kind != RequestKind.REPLACEMENT) {
            requireMayEnter(operator);
        } else if (!operator.has(Role.RA_ADMIN) && !operator.has(Role.CA_ADMIN)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, operator.uid() + " may not replace "
                    + "certificates: an RA or CA admin enters a replacement after checking the holder's identity "
                    + "documents in person (002 §3.7)");
        }
    }

    private static void requireMayEnter(Operator operator) {
        if (!operator.mayEnterRequests()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, operator.uid()
                    + " may not enter requests (needs ENTRY_CLERK, RA_ADMIN or CA_ADMIN)");
        }
    }

    private static void requireNotRevoked(CertificateRecord original, String verb) {
        if (original.status() == CertificateStatus.REVOKED) {
            throw new DomainException(DomainException.Kind.CONFLICT, "certificate " + original.serialHex()
                    + " was revoked at " + original.revocation().time() + " (" + original.revocation().reason()
                    + "); a revoked certificate is never " + verb + ": a new application is needed", "serial");
        }
    }

    private void requireValid(CertificateRecord original, String verb) {
        requireNotRevoked(original, verb);
        if (!original.notAfter().isAfter(clock.instant())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "certificate " + original.serialHex()
                    + " expired at " + original.notAfter() + "; an expired certificate is not " + verb
                    + ": a new application is needed", "serial");
        }
    }

    private void requireSameSubject(ParsedCsr csr, CertificateRecord original, EnrollmentRequest before) {
        String requested = SubjectDnPolicy.canonicalString(dnPolicy.check(csr.subject(), original.type(),
                before.registration()));
        if (!requested.equals(original.subjectDn())) {
            throw DomainException.badRequest("subject", "the request's subject '" + requested + "' is not the "
                    + "subject '" + original.subjectDn() + "' of certificate " + original.serialHex()
                    + "; this keeps the data unchanged (changed data is a modification)");
        }
    }

    private static void requireNewKey(ParsedCsr csr, CertificateRecord original, String why) {
        if (sameKey(csr, original)) {
            throw DomainException.badRequest(CertificationRequests.FIELD, "the request's public key is the key of "
                    + "certificate " + original.serialHex() + "; " + why);
        }
    }

    private static boolean sameKey(ParsedCsr csr, CertificateRecord original) {
        SubjectPublicKeyInfo certified = Certificate.getInstance(original.certificateDer()).getSubjectPublicKeyInfo();
        try {
            return java.util.Arrays.equals(certified.getEncoded(ASN1Encoding.DER),
                    csr.publicKey().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw DomainException.internal("a public key cannot be encoded", e);
        }
    }

    private static X509Certificate certificate(CertificateRecord record) {
        try {
            return Pem.parseCertificate(record.certificateDer());
        } catch (RuntimeException e) {
            throw DomainException.internal("certificate record " + record.id() + " holds an unreadable certificate", e);
        }
    }

    private static AuditEventType event(RequestKind kind) {
        return switch (kind) {
            case RENEWAL -> AuditEventType.RENEWAL_REQUESTED;
            case REKEY -> AuditEventType.REKEY_REQUESTED;
            case REPLACEMENT -> AuditEventType.REPLACEMENT_REQUESTED;
            case MODIFICATION -> AuditEventType.MODIFICATION_REQUESTED;
            case NEW -> AuditEventType.REQUEST_SUBMITTED;
        };
    }

    private static Map<String, String> failure(String issuerName, BigInteger serial, RequestKind kind,
                                               DomainException e) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", kind.name());
        details.put("originalIssuer", String.valueOf(issuerName));
        details.put("originalSerial", serial == null ? "null" : SerialNumbers.toHex(serial));
        details.put("error", e.kind().name());
        details.put("message", e.publicMessage());
        if (e.field() != null) {
            details.put("field", e.field());
        }
        return details;
    }
}
