package org.egovpki.core.ca;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CertificateStore;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.Issuance;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.RequestKind;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.RequestStore;
import org.egovpki.core.enroll.SubscriberIdentity;
import org.egovpki.core.enroll.SubscriberStore;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.ParsedCsr;
import org.egovpki.core.enroll.validation.SubjectDnPolicy;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.profile.SubjectIdentity;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.x509.EndEntityRequest;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.IssuerContext;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues the certificates of an approved request, writing intent before it signs:
 * <ol>
 *   <li>draw a random serial, build the exact TBSCertificate, store it as an INTENT record (the
 *       directory refuses a second record for the same issuer and serial, so a serial is never
 *       used twice);</li>
 *   <li>sign it;</li>
 *   <li>store the certificate in the record (RECORDED, VALID);</li>
 *   <li>register the subscriber and publish to its entry unless it opted out (PUBLISHED);</li>
 *   <li>for a rekey, modification or replacement, revoke the certificate it follows as superseded
 *       ({@link Supersession});</li>
 *   <li>mark the request ISSUED with the serials.</li>
 * </ol>
 * A crash between any two steps leaves records that {@link #recover()} finishes at the next
 * start: an INTENT is signed from its stored TBS (the first signature, if any, never left the
 * process), a RECORDED one is published, a PUBLISHED one supersedes the original (if its kind
 * does) and completes its request. Nothing is signed that the directory does not know about, and
 * no new certificate of a superseding kind is left beside a still-valid original.
 *
 * <p>The certificate a request follows ({@link EnrollmentRequest#originalSerial()}) is found
 * among the same subscriber's certificate records. A renewal keeps the original valid until it
 * expires; a replacement's notAfter is the original's (a replacement whose original has expired
 * by the time it is issued is refused: a new application is needed).
 */
public final class Issuer implements Issuance {

    private static final Logger LOG = LoggerFactory.getLogger(Issuer.class);
    private static final int SERIAL_ATTEMPTS = 5;

    private final CaRegistry cas;
    private final ProfileCatalog profiles;
    private final EndEntityCertificates certificates;
    private final CertificateStore store;
    private final SubscriberStore subscribers;
    private final RequestStore requests;
    private final PublicationUrls urls;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final IssuanceObserver observer;
    private final CertificationRequests csrs;
    private final SubjectDnPolicy dnPolicy = new SubjectDnPolicy();
    private final Supersession supersession;
    private final KeyManagementLink km;

    /**
     * @param km the key management centre that makes the encryption key pairs of dual profiles, or
     *           {@code null} where there is none (dual profiles are then refused as unavailable)
     */
    public Issuer(CaRegistry cas, ProfileCatalog profiles, EndEntityCertificates certificates, CertificateStore store,
                  SubscriberStore subscribers, RequestStore requests, PublicationUrls urls, AuditLog audit,
                  CertificationRequests csrs, Supersession supersession, Clock clock, SecureRandom random,
                  IssuanceObserver observer, KeyManagementLink km) {
        this.km = km;
        this.supersession = Objects.requireNonNull(supersession, "supersession");
        this.csrs = Objects.requireNonNull(csrs, "csrs");
        this.cas = Objects.requireNonNull(cas, "cas");
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.store = Objects.requireNonNull(store, "store");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Issues every certificate the request's profile calls for and completes the request.
     *
     * @param request an APPROVED request
     * @param actor   who caused the issuance (the reviewer, or the RA operator for auto-approval)
     */
    @Override
    public List<CertificateRecord> issue(EnrollmentRequest request, String actor) {
        if (request.state() != RequestState.APPROVED) {
            throw new IllegalStateException("request " + request.id() + " is " + request.state() + ", not APPROVED");
        }
        ProfileCatalog.Entry entry = profile(request);
        CertificateAuthority ca = issuingCa(entry);
        Optional<String> holder = subscribers.holderOf(request.subjectDn());
        if (holder.isPresent() && !holder.get().equals(request.subscriberId())) {
            // Another subscriber got this DN since the request was approved: it cannot be issued.
            throw refuseAtIssuance(request, actor, "subject DN '" + request.subjectDn() + "' was issued to another "
                    + "subscriber meanwhile; apply again with a distinguishing attribute in the DN", "subject");
        }
        // Registration data is never replaced by another subscriber's, even for a request that got
        // past the RA's check (approved before it existed, or written in a directory browser).
        Optional<String> identityConflict = subscribers.registrationOf(request.subscriberId())
                .flatMap(existing -> SubscriberIdentity.conflict(request.subscriberId(), existing.kind(),
                        existing.registration(), request.type(), request.registration()));
        if (identityConflict.isPresent()) {
            throw refuseAtIssuance(request, actor, identityConflict.get(), "subscriberId");
        }
        Instant notAfter = null;
        if (request.kind() == RequestKind.REPLACEMENT) {
            CertificateRecord original = original(request);
            if (!original.notAfter().isAfter(clock.instant())) {
                throw refuseAtIssuance(request, actor, "certificate " + original.serialHex() + " expired on "
                        + original.notAfter() + "; a replacement keeps the notAfter of the certificate it replaces, "
                        + "so a new application is needed", "serial");
            }
            notAfter = original.notAfter();
        }
        List<CertificateRecord> issued = new ArrayList<>();
        for (KeyUsageKind kind : entry.profile().kinds()) {
            issued.add(finish(writeIntent(request, entry.profile(), ca, kind, notAfter), request, ca, actor));
        }
        supersedeOriginal(request, actor);
        complete(request, issued, actor);
        return issued;
    }

    /** Marks an approved request REJECTED because it can no longer be issued, audits it, and returns the error. */
    private DomainException refuseAtIssuance(EnrollmentRequest request, String actor, String reason, String field) {
        requests.transition(RequestState.APPROVED, request.rejectedAtIssuance(clock.instant(), reason));
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CERTIFICATE_ISSUED, actor,
                List.of(request.id()), Map.of("error", reason)));
        return new DomainException(DomainException.Kind.CONFLICT, reason, field);
    }

    /**
     * The certificate a renewal, rekey, modification or replacement follows: the subscriber's
     * record with the request's original serial.
     */
    private CertificateRecord original(EnrollmentRequest request) {
        List<CertificateRecord> found = store.search(new CertificateQuery(request.originalSerial(), null,
                request.subscriberId(), null, 10));
        if (found.size() != 1) {
            throw DomainException.internal("request " + request.id() + " follows certificate " + request.originalSerial()
                    + " of subscriber " + request.subscriberId() + ", but the records hold " + found.size()
                    + " such certificates", null);
        }
        return found.get(0);
    }

    /**
     * Revokes the original of a rekey, modification or replacement as superseded. Idempotent, so
     * recovery can repeat it: an original already revoked (by an earlier run of this step, or by an
     * operator meanwhile) or already expired is left as it is.
     */
    private void supersedeOriginal(EnrollmentRequest request, String actor) {
        if (!request.kind().supersedesOriginal()) {
            return;
        }
        CertificateRecord original = original(request);
        if (original.status() == CertificateStatus.REVOKED || !original.notAfter().isAfter(clock.instant())) {
            LOG.info("Certificate {} that request {} follows is already {}; nothing to supersede",
                    original.serialHex(), request.id(), original.status() == CertificateStatus.REVOKED
                            ? "revoked" : "expired");
            return;
        }
        CertificateRecord revoked;
        try {
            revoked = supersession.supersede(original, actor);
        } catch (DomainException e) {
            CertificateRecord now = store.find(original.issuer(), original.serial()).orElse(original);
            if (now.status() != CertificateStatus.REVOKED) {
                throw e;
            }
            // Revoked by someone else between the look-up and the revocation: revoked either way.
            return;
        }
        observer.reached(IssuanceStep.SUPERSEDED, revoked);
    }

    private CertificateRecord writeIntent(EnrollmentRequest request, CertificateProfile profile,
                                          CertificateAuthority ca, KeyUsageKind kind, Instant notAfterOverride) {
        if (kind == KeyUsageKind.ENCRYPTION) {
            return writeEncryptionIntent(request, profile, ca, notAfterOverride);
        }
        ParsedCsr csr = csrs.parse(request.csrDer());
        X500Name subject = dnPolicy.check(csr.subject(), request.type(), request.registration());
        RegistrationData registration = request.registration();
        EndEntityRequest content = new EndEntityRequest(subject, csr.publicKey(), kind,
                profile.allowSubjectAltNames() ? registration.hostNames() : List.of(),
                profile.allowSubjectAltNames() ? registration.ipAddresses() : List.of(),
                identity(request.type(), registration), notAfterOverride);
        for (int attempt = 1; attempt <= SERIAL_ATTEMPTS; attempt++) {
            BigInteger serial = SerialNumbers.random(random);
            int shard = crlShard(serial);
            IssuerContext context = issuerContext(ca, shard);
            TBSCertificate tbs = certificates.prepare(profile, content, context, serial,
                    ca.signer().contentSigner().getAlgorithmIdentifier());
            CertificateRecord intent = new CertificateRecord(ca.name(), serial, request.id(), request.subscriberId(),
                    request.subjectDn(), profile.name(), request.type(), kind, request.businessType(),
                    request.region(), CertificateStatus.VALID, IssuanceState.INTENT, encoded(tbs), null,
                    tbs.getStartDate().getDate().toInstant(), tbs.getEndDate().getDate().toInstant(), null,
                    clock.instant(), shard, null);
            if (store.writeIntent(intent)) {
                observer.reached(IssuanceStep.INTENT_WRITTEN, intent);
                return intent;
            }
            LOG.warn("Serial {} of CA {} is already taken; drawing another", SerialNumbers.toHex(serial), ca.name());
        }
        throw DomainException.internal("could not reserve a unique serial for CA " + ca.name() + " after "
                + SERIAL_ATTEMPTS + " attempts", null);
    }

    /**
     * The encryption half of a dual pair: the KM makes the key pair and escrows the private key;
     * the CA gets the public key to certify and the private key enveloped to the subscriber's
     * signing key (from the request's CSR), and stores that envelope with the intent in one write.
     * The KM task is fixed by the request, so a repeat after a crash gets the same key and serial.
     * The notAfter is decided here and given to both the KM (retention counts from it) and the
     * certificate.
     */
    private CertificateRecord writeEncryptionIntent(EnrollmentRequest request, CertificateProfile profile,
                                                    CertificateAuthority ca, Instant notAfterOverride) {
        if (km == null) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "profile '" + profile.name() + "' issues dual "
                    + "certificates, whose encryption key pair comes from the key management centre; this server has "
                    + "none configured");
        }
        ParsedCsr csr = csrs.parse(request.csrDer());
        X500Name subject = dnPolicy.check(csr.subject(), request.type(), request.registration());
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notAfterOverride != null ? notAfterOverride
                : notBefore.atZone(ZoneOffset.UTC).plus(profile.validity()).toInstant();
        BigInteger serial = SerialNumbers.random(random);
        while (store.find(ca.name(), serial).isPresent()) {
            serial = SerialNumbers.random(random);
        }
        KmResponse.RetKey key = km.apply(ca, request.id(), serial, csr.publicKey(), notBefore, notAfter, subject,
                subscribers.entryDn(request.subscriberId()));
        // The KM answers the serial it was first asked for when this request asked before.
        serial = key.userCertNo();
        int shard = crlShard(serial);
        RegistrationData registration = request.registration();
        EndEntityRequest content = new EndEntityRequest(subject, key.publicKey(), KeyUsageKind.ENCRYPTION,
                profile.allowSubjectAltNames() ? registration.hostNames() : List.of(),
                profile.allowSubjectAltNames() ? registration.ipAddresses() : List.of(),
                identity(request.type(), registration), notAfter);
        TBSCertificate tbs = certificates.prepare(profile, content, issuerContext(ca, shard), serial,
                ca.signer().contentSigner().getAlgorithmIdentifier());
        CertificateRecord intent = new CertificateRecord(ca.name(), serial, request.id(), request.subscriberId(),
                request.subjectDn(), profile.name(), request.type(), KeyUsageKind.ENCRYPTION, request.businessType(),
                request.region(), CertificateStatus.VALID, IssuanceState.INTENT, encoded(tbs), null,
                tbs.getStartDate().getDate().toInstant(), tbs.getEndDate().getDate().toInstant(), null,
                clock.instant(), shard, null);
        if (!store.writeIntent(intent, key.envelopedKey())) {
            throw DomainException.internal("serial " + SerialNumbers.toHex(serial) + " of CA " + ca.name()
                    + " was taken between the check and the write; the KM keeps the key for request " + request.id()
                    + ", so approving again retries with it", null);
        }
        observer.reached(IssuanceStep.INTENT_WRITTEN, intent);
        return intent;
    }

    /** Signs, records and publishes an INTENT (or finishes a later state) — the recoverable part. */
    private CertificateRecord finish(CertificateRecord record, EnrollmentRequest request, CertificateAuthority ca,
                                     String actor) {
        CertificateRecord current = record;
        if (current.issuanceState() == IssuanceState.INTENT) {
            X509Certificate certificate = certificates.sign(EndEntityCertificates.parseTbs(current.tbsDer()),
                    ca.signer());
            observer.reached(IssuanceStep.SIGNED, current);
            byte[] der = encoded(certificate);
            current = current.recorded(der, Fingerprints.sha256Hex(der));
            store.update(current);
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.CERTIFICATE_ISSUED, actor,
                    List.of(request.id(), current.id()), Map.of("serial", current.serialHex(), "issuer", ca.name(),
                            "subject", current.subjectDn(), "profile", current.profile(),
                            "kind", current.kind().name(), "sha256", current.sha256())));
            observer.reached(IssuanceStep.RECORDED, current);
        }
        if (current.issuanceState() == IssuanceState.RECORDED) {
            subscribers.register(request.subscriberId(), request.type(), request.subjectDn(), request.registration(),
                    request.businessType(), request.region(), request.publishOptOut(), request.challengeHash());
            if (!request.publishOptOut()) {
                subscribers.publishCertificate(request.subscriberId(), displayName(request), current.certificateDer());
            }
            current = current.inState(IssuanceState.PUBLISHED);
            store.update(current);
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.CERTIFICATE_PUBLISHED, actor,
                    List.of(request.id(), current.id()), Map.of("serial", current.serialHex(),
                            "subscriber", request.subscriberId(),
                            "published", Boolean.toString(!request.publishOptOut()))));
            observer.reached(IssuanceStep.PUBLISHED, current);
        }
        return current;
    }

    private void complete(EnrollmentRequest request, List<CertificateRecord> issued, String actor) {
        List<String> serials = issued.stream().map(CertificateRecord::serialHex).toList();
        if (!requests.transition(RequestState.APPROVED, request.issued(clock.instant(), serials))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "request " + request.id()
                    + " changed state while its certificate was being issued");
        }
        observer.reached(IssuanceStep.COMPLETED, issued.get(issued.size() - 1));
        LOG.info("Issued {} for request {} ({})", serials, request.id(), request.subjectDn());
    }

    /**
     * Finishes or voids every half-done issuance. Run at start-up, before new requests are taken.
     *
     * @return how many requests were completed
     */
    public int recover() {
        return recoverAll().completed();
    }

    /**
     * What start-up recovery did: the requests it completed, and the ids of those it could not
     * finish (they stay {@code APPROVED}; each failure is logged and audited).
     */
    public record Recovery(int completed, List<String> failed) {
        public Recovery {
            failed = List.copyOf(failed);
        }
    }

    /** As {@link #recover()}, reporting the requests that could not be finished, so start-up can refuse to go on. */
    public Recovery recoverAll() {
        int completed = 0;
        List<String> failed = new ArrayList<>();
        for (EnrollmentRequest request : requests.findByState(RequestState.APPROVED, 10_000)) {
            if (request.decidedAt() == null || request.reviewedBy() == null) {
                // Written APPROVED in a browser and not yet checked: DirectoryDecisions handles it,
                // through the two-person rule; recovery only finishes what the CA itself approved.
                continue;
            }
            try {
                List<CertificateRecord> records = store.findByRequest(request.id());
                List<CertificateRecord> finished = new ArrayList<>();
                Optional<ProfileCatalog.Entry> entry = profiles.find(request.profile());
                for (CertificateRecord record : records) {
                    if (record.issuanceState() == IssuanceState.VOID) {
                        continue;
                    }
                    Optional<CertificateAuthority> ca = cas.find(record.issuer());
                    if (ca.isEmpty()) {
                        store.update(record.inState(IssuanceState.VOID));
                        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.ISSUANCE_VOIDED,
                                AuditEvent.SYSTEM, List.of(request.id(), record.id()),
                                Map.of("reason", "CA " + record.issuer() + " is no longer operated")));
                        continue;
                    }
                    finished.add(finish(record, request, ca.get(), AuditEvent.SYSTEM));
                }
                if (!finished.isEmpty() && entry.isPresent()) {
                    // A dual pair whose second half had not been written yet: issue it now.
                    CertificateAuthority ca = issuingCa(entry.get());
                    for (KeyUsageKind kind : entry.get().profile().kinds()) {
                        if (finished.stream().noneMatch(r -> r.kind() == kind)) {
                            Instant notAfter = request.kind() == RequestKind.REPLACEMENT
                                    ? original(request).notAfter() : null;
                            finished.add(finish(writeIntent(request, entry.get().profile(), ca, kind, notAfter),
                                    request, ca, AuditEvent.SYSTEM));
                        }
                    }
                }
                if (!finished.isEmpty()) {
                    supersedeOriginal(request, AuditEvent.SYSTEM);
                }
                if (finished.isEmpty()) {
                    if (entry.isEmpty()) {
                        throw new DomainException(DomainException.Kind.UNAVAILABLE, "profile '" + request.profile()
                                + "' is no longer configured");
                    }
                    // Approved but the crash came before any intent: issue from the start.
                    issue(request, AuditEvent.SYSTEM);
                } else {
                    complete(request, finished, AuditEvent.SYSTEM);
                }
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.ISSUANCE_RECOVERED, AuditEvent.SYSTEM,
                        List.of(request.id()), Map.of("certificates", Integer.toString(Math.max(1, finished.size())))));
                completed++;
            } catch (RuntimeException e) {
                LOG.error("Recovery of request {} failed: {}; it stays APPROVED and is retried at the next start",
                        request.id(), e.getMessage());
                audit.record(AuditEvent.failure(clock.instant(), AuditEventType.ISSUANCE_RECOVERED, AuditEvent.SYSTEM,
                        List.of(request.id()), Map.of("error", DomainException.describe(e))));
                failed.add(request.id());
            }
        }
        return new Recovery(completed, failed);
    }

    /** The CRL partition of a serial: fixed at issuance, named by the certificate's CRL distribution point. */
    private int crlShard(BigInteger serial) {
        int partitions = urls.crlPartitions();
        return partitions <= 1 ? 0 : serial.mod(BigInteger.valueOf(partitions)).intValueExact();
    }

    /** Where the certificate's CRL, delta CRL, OCSP and issuer are found: its partition's CRLs when partitioned. */
    private IssuerContext issuerContext(CertificateAuthority ca, int shard) {
        String name = ca.name();
        if (urls.crlPartitions() <= 1) {
            return new IssuerContext(ca.certificate(), urls.crlUrl(name), urls.crlLdapUrl(name), urls.ocspUrl(name),
                    urls.caCertificateUrl(name), urls.deltaCrlUrl(name) == null ? List.of()
                            : List.of(urls.deltaCrlUrl(name), urls.deltaCrlLdapUrl(name)));
        }
        return new IssuerContext(ca.certificate(), urls.crlUrl(name, shard), urls.crlLdapUrl(name, shard),
                urls.ocspUrl(name), urls.caCertificateUrl(name), urls.deltaCrlUrl(name, shard) == null ? List.of()
                        : List.of(urls.deltaCrlUrl(name, shard), urls.deltaCrlLdapUrl(name, shard)));
    }

    private ProfileCatalog.Entry profile(EnrollmentRequest request) {
        return profiles.find(request.profile()).orElseThrow(() -> DomainException.badRequest("profile",
                "profile '" + request.profile() + "' is not configured"));
    }

    private CertificateAuthority issuingCa(ProfileCatalog.Entry entry) {
        CertificateAuthority ca = cas.find(entry.issuer()).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAVAILABLE, "profile '" + entry.profile().name() + "' issues from CA '"
                        + entry.issuer() + "', which this server does not operate"));
        if (cas.isRevoked(ca.name())) {
            throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + ca.name() + "' has a revoked "
                    + "certificate and issues nothing more; point profile '" + entry.profile().name()
                    + "' at another issuing CA (profiles[].issuer)");
        }
        return ca;
    }

    /**
     * The GM/T 0015 identity values for the certificate: only the ones the certificate type's
     * validation checked (a person's ID document; an organisation's USCC or organisation code).
     */
    private static SubjectIdentity identity(CertificateType type, RegistrationData r) {
        return switch (type) {
            case PERSONAL -> new SubjectIdentity(
                    RegistrationData.RESIDENT_ID.equals(r.idType()) ? r.idNumber() : null,
                    "PASSPORT".equals(r.idType()) ? r.idNumber() : null,
                    "MILITARY_OFFICER".equals(r.idType()) ? r.idNumber() : null, null, null, null, null, null);
            case ORGANIZATION, CODE_SIGNING -> new SubjectIdentity(null, null, null, null, null,
                    r.uscc() == null ? r.organizationCode() : null, null, r.uscc());
            case DEVICE -> SubjectIdentity.none();
        };
    }

    private static String displayName(EnrollmentRequest request) {
        RegistrationData r = request.registration();
        if (r.realName() != null) {
            return r.realName();
        }
        if (r.legalName() != null) {
            return r.legalName();
        }
        return r.hostNames().isEmpty() ? request.subscriberId() : r.hostNames().get(0);
    }

    private static byte[] encoded(TBSCertificate tbs) {
        try {
            return tbs.getEncoded("DER");
        } catch (java.io.IOException e) {
            throw DomainException.internal("a TBSCertificate cannot be encoded", e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw DomainException.internal("a freshly signed certificate cannot be encoded", e);
        }
    }
}
