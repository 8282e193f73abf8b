package org.egovpki.core.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateQuery;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.CertificateStore;
import org.egovpki.core.certificate.CompromisedKey;
import org.egovpki.core.certificate.CompromisedKeys;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.enroll.EnrollmentRequest;
import org.egovpki.core.enroll.RequestKind;
import org.egovpki.core.enroll.RequestState;
import org.egovpki.core.enroll.RequestStore;
import org.egovpki.core.enroll.SubscriberIdentity;
import org.egovpki.core.enroll.SubscriberStore;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.ParsedCsr;
import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.enroll.validation.SubjectDnPolicy;
import org.egovpki.core.event.CertificateIssued;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.profile.Profiles;
import org.egovpki.core.profile.SubjectIdentity;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.x509.EndEntityRequest;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.IssuerContext;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of an issuance, one method each, every one taking and returning an {@link IssuanceJob}:
 * <ol>
 *   <li>{@link #check}: the request may still be issued (profile, CA not revoked, DN not taken by
 *       another subscriber meanwhile, registration data not another's, the registered name not
 *       changed by anything but a modification, a replacement's original not expired, the key neither
 *       known compromised nor a CA's — {@link CertifiableKeys}); the CSR is parsed and the DN policy
 *       applied once for all its certificates;</li>
 *   <li>per certificate of the profile, in order — {@link #intent}: draw a random serial, build the
 *       exact TBSCertificate and store it as an INTENT record (the directory refuses a second record
 *       for the same issuer and serial, so a serial is never used twice); {@link #sign} it (memory
 *       only); {@link #record} it: register the subscriber, publish the certificate to its entry
 *       unless it opted out, then store it in the record, PUBLISHED and VALID, in one write;
 *       {@link #publish} counts it as issued (and finishes a RECORDED record an older version
 *       left);</li>
 *   <li>{@link #supersede}: for a rekey, modification or replacement, revoke the certificate it
 *       follows as superseded ({@link Supersession});</li>
 *   <li>{@link #complete}: mark the request ISSUED with the serials and publish the
 *       {@link CertificateIssued} events.</li>
 * </ol>
 * Each step looks at the job's record state and does nothing when its work is already done, so
 * recovery ({@link #resume}) enters the same steps with the records a crash left: an INTENT whose
 * certificate the subscriber entry already holds (same TBS, signature valid under the CA) has that
 * certificate recorded; any other INTENT is signed from its stored TBS (the first signature, if any,
 * never left the process); a RECORDED one (older versions) is published; a PUBLISHED one supersedes
 * the original (if its kind does) and completes its request. Nothing is signed that the directory does not know about, and no new certificate of a
 * superseding kind is left beside a still-valid original.
 *
 * <p>The issuance route (camel-routes) calls these methods one by one; {@link #runInOrder} calls
 * the same methods in the same order where there is no Camel (unit tests, tools).
 *
 * <p>The certificate a request follows ({@link EnrollmentRequest#originalSerial()}) is found
 * among the same subscriber's certificate records. A renewal keeps the original valid until it
 * expires; a replacement's notAfter is the original's (a replacement whose original has expired
 * by the time it is issued is refused: a new application is needed).
 */
public final class IssuanceSteps {

    private static final Logger LOG = LoggerFactory.getLogger(IssuanceSteps.class);
    private static final int SERIAL_ATTEMPTS = 5;

    /** What the CA signs with and how: the CAs, the profiles, the certificate builder, the URLs it embeds, serials. */
    public record Signing(CaRegistry cas, Profiles profiles, EndEntityCertificates certificates,
                          PublicationUrls urls, SecureRandom random) {
        public Signing {
            Objects.requireNonNull(cas, "cas");
            Objects.requireNonNull(profiles, "profiles");
            Objects.requireNonNull(certificates, "certificates");
            Objects.requireNonNull(urls, "urls");
            Objects.requireNonNull(random, "random");
        }
    }

    /**
     * The stores issuance writes — certificate records (the writer), subscribers, requests — and the
     * keys known to be compromised, which it only reads.
     */
    public record Stores(CertificateStore certificates, SubscriberStore subscribers, RequestStore requests,
                         CompromisedKeys compromisedKeys) {
        public Stores {
            Objects.requireNonNull(certificates, "certificates");
            Objects.requireNonNull(subscribers, "subscribers");
            Objects.requireNonNull(requests, "requests");
            Objects.requireNonNull(compromisedKeys, "compromisedKeys");
        }
    }

    /**
     * What issuance asks of its neighbours: the CSR parser, the revocation of a superseded
     * original, and the key management centre that makes the encryption key pairs of dual
     * profiles ({@code km} is {@code null} where there is none: dual profiles are then refused as
     * unavailable).
     */
    public record Links(CertificationRequests csrs, Supersession supersession, KeyManagementLink km) {
        public Links {
            Objects.requireNonNull(csrs, "csrs");
            Objects.requireNonNull(supersession, "supersession");
        }
    }

    private final CaRegistry cas;
    private final Profiles profiles;
    private final EndEntityCertificates certificates;
    private final PublicationUrls urls;
    private final SecureRandom random;
    private final CertificateStore store;
    private final SubscriberStore subscribers;
    private final RequestStore requests;
    private final CertificationRequests csrs;
    private final Supersession supersession;
    private final KeyManagementLink km;
    private final AuditLog audit;
    private final LifecycleEvents events;
    private final Clock clock;
    private final IssuanceObserver observer;
    private final CertifiableKeys keys;
    private final SubjectDnPolicy dnPolicy = new SubjectDnPolicy();

    /** @param observer told after each durable step; production passes {@link IssuanceObserver#NONE} */
    public IssuanceSteps(Signing signing, Stores stores, Links links, AuditLog audit, LifecycleEvents events,
                         Clock clock, IssuanceObserver observer) {
        this.cas = signing.cas();
        this.profiles = signing.profiles();
        this.certificates = signing.certificates();
        this.urls = signing.urls();
        this.random = signing.random();
        this.store = stores.certificates();
        this.subscribers = stores.subscribers();
        this.requests = stores.requests();
        this.csrs = links.csrs();
        this.supersession = links.supersession();
        this.km = links.km();
        this.audit = Objects.requireNonNull(audit, "audit");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.keys = new CertifiableKeys(stores.compromisedKeys(), caKeys(cas));
    }

    /**
     * The id of every CA key in service (each CA's current key and those a changeover retired), to
     * the CA's name: an end-entity certificate never certifies one. Also the RA's, through the wiring.
     */
    public static Map<String, String> caKeys(CaRegistry cas) {
        Map<String, String> keys = new HashMap<>();
        for (CertificateAuthority ca : cas.all()) {
            keys.put(CompromisedKey.keyIdOf(encoded(ca.certificate())), ca.name());
            for (RetiredCaKey retired : ca.retiredKeys()) {
                keys.put(CompromisedKey.keyIdOf(encoded(retired.certificate())), ca.name());
            }
        }
        return keys;
    }

    /** Every step in the route's order, without Camel: what the issuance route does, for tests and tools. */
    public IssuanceJob runInOrder(IssuanceJob job) {
        IssuanceJob current = check(job);
        while (current.hasNext()) {
            current = publish(record(sign(intent(current))));
        }
        return complete(supersede(current));
    }

    /**
     * Checks that an approved request can still be issued, decides the issuing CA and notAfter, and
     * parses the CSR once. Refusals mark the request REJECTED and are audited. A job recovery
     * resumed passes untouched: its request was checked when it was first issued.
     */
    public IssuanceJob check(IssuanceJob job) {
        if (job.recovering()) {
            return job;
        }
        EnrollmentRequest request = job.request();
        String actor = job.actor();
        if (request.state() != RequestState.APPROVED) {
            throw new IllegalStateException("request " + request.id() + " is " + request.state() + ", not APPROVED");
        }
        ProfileCatalog.Entry entry = profile(request, actor);
        CertificateAuthority ca = issuingCa(entry);
        Optional<String> holder = subscribers.holderOf(request.subjectDn());
        if (holder.isPresent() && !holder.get().equals(request.subscriberId())) {
            // Another subscriber got this DN since the request was approved: it cannot be issued.
            throw refuseAtIssuance(request, actor, "subject DN '" + request.subjectDn() + "' was issued to another "
                    + "subscriber meanwhile; apply again with a distinguishing attribute in the DN", "subject");
        }
        // Registration data is never replaced by another subscriber's, even for a request that got
        // past the RA's check (approved before it existed, or written in a directory browser).
        Optional<SubscriberStore.Registered> registered = subscribers.registrationOf(request.subscriberId());
        Optional<String> identityConflict = registered
                .flatMap(existing -> SubscriberIdentity.conflict(request.subscriberId(), existing.kind(),
                        existing.registration(), request.type(), request.registration()));
        if (identityConflict.isPresent()) {
            throw refuseAtIssuance(request, actor, identityConflict.get(), "subscriberId");
        }
        // Nor is the registered name replaced by any request but a reviewed modification.
        Optional<SubscriberIdentity.Refusal> rename = registered.flatMap(existing -> SubscriberIdentity
                .nameConflict(request.kind(), request.type(), existing.registration(), request.registration()));
        if (rename.isPresent()) {
            throw refuseAtIssuance(request, actor, rename.get().message(), rename.get().field());
        }
        Instant notAfter = null;
        CertificateRecord original = request.originalSerial() == null ? null : original(request);
        // A request that follows a certificate (renewal, rekey, modification, replacement) may have
        // waited for its review while that certificate was revoked: a modification or renewal would
        // certify its key again (perhaps compromised), a rekey or replacement rests on its holder.
        if (original != null && original.status() == CertificateStatus.REVOKED) {
            throw refuseAtIssuance(request, actor, "certificate " + original.serialHex() + " was revoked at "
                    + original.revocation().time() + " (" + original.revocation().reason() + ") after the "
                    + request.kind().name().toLowerCase(java.util.Locale.ROOT) + " was entered; nothing follows a "
                    + "revoked certificate: a new application is needed", "serial");
        }
        if (request.kind() == RequestKind.REPLACEMENT) {
            if (!original.notAfter().isAfter(clock.instant())) {
                throw refuseAtIssuance(request, actor, "certificate " + original.serialHex() + " expired on "
                        + original.notAfter() + "; a replacement keeps the notAfter of the certificate it replaces, "
                        + "so a new application is needed", "serial");
            }
            notAfter = original.notAfter();
        }
        ParsedCsr csr = csrs.parse(request.csrDer());
        // Read now, not only at submission: the key may have been reported compromised while the
        // request waited for its review (one read of one entry by name).
        Optional<String> keyRefusal = keys.refusal(csr.publicKey());
        if (keyRefusal.isPresent()) {
            throw refuseAtIssuance(request, actor, keyRefusal.get(), "csr");
        }
        X500Name subject = dnPolicy.check(csr.subject(), request.type(), request.registration());
        if (holder.isEmpty()) {
            claimSubjectDn(request, actor, registered.isEmpty());
        }
        return job.checked(holder.isEmpty(), entry, ca, notAfter, csr, subject);
    }

    /**
     * Claims the subject DN for the request's subscriber before anything is signed: registers the
     * subscriber (which records the DN), then looks again. Another holder now means another issuance
     * — in another thread or another CA process on the same directory — claimed the DN at the same
     * moment: this one gives its claim back and is refused. Of two concurrent claimants the later
     * look-up sees both, so at most one goes on (both may be refused; never both issued).
     */
    private void claimSubjectDn(EnrollmentRequest request, String actor, boolean newSubscriber) {
        if (!newSubscriber || !subscribers.registerNew(request.subscriberId(), request.type(), request.subjectDn(),
                request.registration(), request.businessType(), request.region(), request.publishOptOut(),
                request.challengeHash())) {
            subscribers.register(request.subscriberId(), request.type(), request.subjectDn(), request.registration(),
                    request.businessType(), request.region(), request.publishOptOut(), request.challengeHash());
        }
        List<String> others = subscribers.holdersOf(request.subjectDn()).stream()
                .filter(holder -> !holder.equals(request.subscriberId())).toList();
        if (!others.isEmpty()) {
            subscribers.releaseSubjectDn(request.subscriberId(), request.subjectDn());
            throw refuseAtIssuance(request, actor, "subject DN '" + request.subjectDn() + "' was claimed by another "
                    + "subscriber at the same moment; apply again with a distinguishing attribute in the DN", "subject");
        }
    }

    /**
     * Takes up the next certificate: a record recovery found (voided instead when its CA is no
     * longer operated), or else the profile's next kind, whose intent it writes.
     */
    public IssuanceJob intent(IssuanceJob job) {
        if (!job.resume().isEmpty()) {
            CertificateRecord record = job.resume().get(0);
            Optional<CertificateAuthority> ca = cas.find(record.issuer());
            if (ca.isEmpty()) {
                store.update(record.inState(IssuanceState.VOID));
                audit.record(AuditEvent.failure(clock.instant(), AuditEventType.ISSUANCE_VOIDED, AuditEvent.SYSTEM,
                        List.of(job.request().id(), record.id()),
                        Map.of("reason", "CA " + record.issuer() + " is no longer operated")));
            }
            return job.takeResumed(ca.orElse(null));
        }
        KeyUsageKind kind = job.pendingKinds().get(0);
        if (!job.checked()) {
            // Recovery's second half of a dual pair whose first was found: decided now, as at first issuance.
            job = job.withIssuingCa(issuingCa(job.entry()), job.request().kind() == RequestKind.REPLACEMENT
                    ? original(job.request()).notAfter() : null);
        }
        if (kind == KeyUsageKind.ENCRYPTION && km == null) {
            throw new DomainException(DomainException.Kind.UNAVAILABLE, "profile '" + job.entry().profile().name()
                    + "' issues dual certificates, whose encryption key pair comes from the key management centre; "
                    + "this server has none configured");
        }
        job = withCsr(job);
        CertificateRecord intent = kind == KeyUsageKind.ENCRYPTION ? writeEncryptionIntent(job) : writeIntent(job, kind);
        return job.withCurrent(intent, job.ca());
    }

    /**
     * Signs an INTENT from its stored TBSCertificate; the signature stays in memory until
     * {@link #record}. A recovered INTENT whose certificate the subscriber entry already holds (a
     * crash between publishing it and recording it) is not signed again: that certificate is taken
     * up, so a serial never has two certificates.
     */
    public IssuanceJob sign(IssuanceJob job) {
        CertificateRecord current = job.current();
        if (current == null || current.issuanceState() != IssuanceState.INTENT) {
            return job;
        }
        if (job.recovering()) {
            Optional<byte[]> published = publishedFor(job.request().subscriberId(), current, job.currentCa());
            if (published.isPresent()) {
                LOG.info("Certificate {} of request {} was published before a crash; recording it, not signing again",
                        current.serialHex(), job.request().id());
                return job.withSigned(published.get());
            }
        }
        TBSCertificate tbs = EndEntityCertificates.parseTbs(current.tbsDer());
        if (job.recovering()) {
            // Recovery skips the check (the request was checked when first issued), but the key may have
            // been revoked for compromise since the intent was written — a crash, then a report before the
            // next start, or another CA process's recovery after the grace. Never sign it then.
            Optional<String> keyRefusal = keys.refusal(tbs.getSubjectPublicKeyInfo());
            if (keyRefusal.isPresent()) {
                store.update(current.inState(IssuanceState.VOID));
                audit.record(AuditEvent.failure(clock.instant(), AuditEventType.ISSUANCE_VOIDED, AuditEvent.SYSTEM,
                        List.of(job.request().id(), current.id()), Map.of("reason", keyRefusal.get())));
                throw refuseAtIssuance(job.request(), job.actor(), keyRefusal.get(), "csr");
            }
        }
        X509Certificate certificate = certificates.sign(tbs, job.currentCa().signer());
        observer.reached(IssuanceStep.SIGNED, current);
        return job.withSigned(encoded(certificate));
    }

    /**
     * Persists the signed certificate in as few writes as the directory allows: first on the
     * subscriber's entry (registering the subscriber unless this job's check just did; nothing is
     * published for a subscriber that opted out), then one modify of the
     * record that stores the certificate and says PUBLISHED (with the sync marker, when sync
     * capture is on). The entry goes first because LDAP has no write across two entries: a crash
     * between the two leaves an INTENT record whose certificate the entry holds, which recovery
     * takes up ({@link #sign}); the other order would leave a recorded certificate unpublished,
     * needing a third write. Audited as issued and published.
     */
    public IssuanceJob record(IssuanceJob job) {
        byte[] der = job.signed();
        if (job.current() == null || der == null) {
            return job;
        }
        EnrollmentRequest request = job.request();
        CertificateRecord current = job.current().recorded(der, Fingerprints.sha256Hex(der));
        publishToSubscriber(request, der, !job.subscriberRegistered());
        if (!request.publishOptOut()) {
            observer.reached(IssuanceStep.ENTRY_PUBLISHED, current);
        }
        current = current.inState(IssuanceState.PUBLISHED);
        store.update(current);
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.CERTIFICATE_ISSUED, job.actor(),
                List.of(request.id(), current.id()), Map.of("serial", current.serialHex(),
                        "issuer", job.currentCa().name(), "subject", current.subjectDn(), "profile", current.profile(),
                        "kind", current.kind().name(), "sha256", current.sha256())));
        auditPublished(job, current);
        observer.reached(IssuanceStep.PUBLISHED, current);
        return job.withCurrent(current, job.currentCa());
    }

    /**
     * Finishes the current certificate. A RECORDED record — left by a crash in a version that
     * recorded before publishing, found by recovery in an older directory — is published to the
     * subscriber's entry and marked PUBLISHED here; a PUBLISHED one (from {@link #record} or
     * recovery) only counts as issued.
     */
    public IssuanceJob publish(IssuanceJob job) {
        CertificateRecord current = job.current();
        if (current == null) {
            return job;
        }
        if (current.issuanceState() == IssuanceState.RECORDED) {
            publishToSubscriber(job.request(), current.certificateDer(), true);
            current = current.inState(IssuanceState.PUBLISHED);
            store.update(current);
            auditPublished(job, current);
            observer.reached(IssuanceStep.PUBLISHED, current);
        }
        return job.finished(current);
    }

    /**
     * Registers the subscriber (idempotent; a holder's data may have changed since the check) and
     * puts the certificate on its entry unless it opted out. {@code register} is false when this
     * job's check registered the subscriber with the same data moments before (a new holder of the
     * DN): registering again would write nothing and cost two directory reads.
     */
    private void publishToSubscriber(EnrollmentRequest request, byte[] der, boolean register) {
        if (register) {
            subscribers.register(request.subscriberId(), request.type(), request.subjectDn(), request.registration(),
                    request.businessType(), request.region(), request.publishOptOut(), request.challengeHash());
        }
        if (!request.publishOptOut()) {
            subscribers.publishCertificate(request.subscriberId(), displayName(request), der);
        }
    }

    private void auditPublished(IssuanceJob job, CertificateRecord current) {
        EnrollmentRequest request = job.request();
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.CERTIFICATE_PUBLISHED, job.actor(),
                List.of(request.id(), current.id()), Map.of("serial", current.serialHex(),
                        "subscriber", request.subscriberId(),
                        "published", Boolean.toString(!request.publishOptOut()))));
    }

    /**
     * The certificate of an INTENT record that the subscriber's entry already holds: the one whose
     * TBSCertificate is exactly the stored one and whose signature verifies under the record's CA.
     * Nothing else on the entry counts (another certificate of the subscriber, or bytes that were
     * not signed by this CA).
     */
    private Optional<byte[]> publishedFor(String subscriberId, CertificateRecord intent, CertificateAuthority ca) {
        for (byte[] der : subscribers.publishedCertificates(subscriberId)) {
            try {
                Certificate parsed = Certificate.getInstance(der);
                if (Arrays.equals(parsed.getTBSCertificate().getEncoded("DER"), intent.tbsDer())
                        && new X509CertificateHolder(parsed).isSignatureValid(
                                new JcaContentVerifierProviderBuilder()
                                        .setProvider(BouncyCastle.PROVIDER)
                                        .build(ca.certificate()))) {
                    return Optional.of(der);
                }
            } catch (IllegalArgumentException | IOException | CertException
                     | OperatorCreationException e) {
                LOG.debug("A certificate on subscriber {}'s entry is not the one of {}: {}", subscriberId, intent.id(),
                        e.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Revokes the original of a rekey, modification or replacement as superseded. Idempotent, so
     * recovery can repeat it: an original already revoked (by an earlier run of this step, or by an
     * operator meanwhile) or already expired is left as it is.
     */
    public IssuanceJob supersede(IssuanceJob job) {
        EnrollmentRequest request = job.request();
        if (job.issued().isEmpty() || !request.kind().supersedesOriginal()) {
            return job;
        }
        CertificateRecord original = original(request);
        if (original.status() == CertificateStatus.REVOKED || !original.notAfter().isAfter(clock.instant())) {
            LOG.info("Certificate {} that request {} follows is already {}; nothing to supersede",
                    original.serialHex(), request.id(), original.status() == CertificateStatus.REVOKED
                            ? "revoked" : "expired");
            return job;
        }
        CertificateRecord revoked;
        try {
            revoked = supersession.supersede(original, job.actor());
        } catch (DomainException e) {
            CertificateRecord now = store.find(original.issuer(), original.serial()).orElse(original);
            if (now.status() != CertificateStatus.REVOKED) {
                throw e;
            }
            // Revoked by someone else between the look-up and the revocation: revoked either way.
            return job;
        }
        observer.reached(IssuanceStep.SUPERSEDED, revoked);
        return job;
    }

    /** Marks the request ISSUED with the serials, then tells the lifecycle events of each certificate. */
    public IssuanceJob complete(IssuanceJob job) {
        EnrollmentRequest request = job.request();
        List<CertificateRecord> issued = job.issued();
        if (issued.isEmpty()) {
            throw DomainException.internal("request " + request.id() + " reached completion with no certificate "
                    + "issued", null);
        }
        List<String> serials = issued.stream().map(CertificateRecord::serialHex).toList();
        if (!requests.transition(RequestState.APPROVED, request.issued(clock.instant(), serials))) {
            throw new DomainException(DomainException.Kind.CONFLICT, "request " + request.id()
                    + " changed state while its certificate was being issued");
        }
        observer.reached(IssuanceStep.COMPLETED, issued.get(issued.size() - 1));
        // Not the subject: it names a person, and the log is no place for personal data (the audit trail has it).
        LOG.info("Issued {} for request {} (profile {})", serials, request.id(), request.profile());
        CertificateIssued.Occasion occasion = switch (request.kind()) {
            case NEW -> CertificateIssued.Occasion.NEW;
            case RENEWAL -> CertificateIssued.Occasion.RENEWED;
            case REKEY, MODIFICATION, REPLACEMENT -> CertificateIssued.Occasion.REISSUED;
        };
        for (CertificateRecord record : issued) {
            try {
                events.publish(new CertificateIssued(record, request.id(), occasion));
            } catch (RuntimeException e) {
                LOG.error("A consumer of the issuance of {} failed; the issuance stands: {}", record.id(), e.toString());
            }
        }
        return job;
    }

    /**
     * The job that finishes an approved request a crash left half-done, or empty when recovery must
     * leave it alone (written APPROVED in a browser and not yet checked: {@code DirectoryDecisions}
     * handles it, through the two-person rule; recovery only finishes what the CA itself approved).
     * Records are taken up first, then the profile's missing certificates; a request with no
     * record left to finish is issued from the start, checks included.
     */
    public Optional<IssuanceJob> resume(EnrollmentRequest request) {
        if (request.state() != RequestState.APPROVED || request.decidedAt() == null || request.reviewedBy() == null) {
            return Optional.empty();
        }
        List<CertificateRecord> unfinished = new ArrayList<>();
        for (CertificateRecord record : store.findByRequest(request.id())) {
            if (record.issuanceState() != IssuanceState.VOID) {
                unfinished.add(record);
            }
        }
        Optional<ProfileCatalog.Entry> entry = profiles.current().find(request.profile());
        if (unfinished.stream().noneMatch(r -> cas.find(r.issuer()).isPresent())) {
            // Nothing a crash left to finish (records of CAs no longer operated are voided on the way).
            IssuanceJob voiding = IssuanceJob.resuming(request, AuditEvent.SYSTEM, null, unfinished);
            while (!voiding.resume().isEmpty()) {
                voiding = intent(voiding);
            }
            if (entry.isEmpty()) {
                throw new DomainException(DomainException.Kind.UNAVAILABLE, "profile '" + request.profile()
                        + "' is no longer configured");
            }
            // Approved but the crash came before any intent: issue from the start.
            return Optional.of(IssuanceJob.start(request, AuditEvent.SYSTEM));
        }
        return Optional.of(IssuanceJob.resuming(request, AuditEvent.SYSTEM, entry.orElse(null), unfinished));
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

    /** The CSR and the subject the DN policy made of it, computed once per job. */
    private IssuanceJob withCsr(IssuanceJob job) {
        if (job.csr() != null) {
            return job;
        }
        ParsedCsr csr = csrs.parse(job.request().csrDer());
        return job.withCsr(csr, dnPolicy.check(csr.subject(), job.request().type(), job.request().registration()));
    }

    private CertificateRecord writeIntent(IssuanceJob job, KeyUsageKind kind) {
        EnrollmentRequest request = job.request();
        CertificateProfile profile = job.entry().profile();
        CertificateAuthority ca = job.ca();
        EndEntityRequest content = content(job, job.csr().publicKey(), kind, job.notAfter());
        for (int attempt = 1; attempt <= SERIAL_ATTEMPTS; attempt++) {
            BigInteger serial = SerialNumbers.random(random);
            int shard = crlShard(serial);
            TBSCertificate tbs = certificates.prepare(profile, content, issuerContext(ca, shard), serial,
                    ca.signer().contentSigner().getAlgorithmIdentifier());
            CertificateRecord intent = intentRecord(request, profile, ca, kind, serial, tbs, shard);
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
    private CertificateRecord writeEncryptionIntent(IssuanceJob job) {
        CertificateProfile profile = job.entry().profile();
        EnrollmentRequest request = job.request();
        CertificateAuthority ca = job.ca();
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = job.notAfter() != null ? job.notAfter()
                : notBefore.atZone(ZoneOffset.UTC).plus(profile.validity()).toInstant();
        BigInteger serial = SerialNumbers.random(random);
        while (store.find(ca.name(), serial).isPresent()) {
            serial = SerialNumbers.random(random);
        }
        KmResponse.RetKey key = km.apply(ca, request.id(), serial, job.csr().publicKey(), notBefore, notAfter,
                job.subject(), subscribers.entryDn(request.subscriberId()));
        // The KM answers the serial it was first asked for when this request asked before.
        serial = key.userCertNo();
        int shard = crlShard(serial);
        TBSCertificate tbs = certificates.prepare(profile,
                content(job, key.publicKey(), KeyUsageKind.ENCRYPTION, notAfter), issuerContext(ca, shard), serial,
                ca.signer().contentSigner().getAlgorithmIdentifier());
        CertificateRecord intent = intentRecord(request, profile, ca, KeyUsageKind.ENCRYPTION, serial, tbs,
                shard);
        if (!store.writeIntent(intent, key.envelopedKey())) {
            throw DomainException.internal("serial " + SerialNumbers.toHex(serial) + " of CA " + ca.name()
                    + " was taken between the check and the write; the KM keeps the key for request " + request.id()
                    + ", so approving again retries with it", null);
        }
        observer.reached(IssuanceStep.INTENT_WRITTEN, intent);
        return intent;
    }

    /** What goes into a certificate of the request: the checked subject, the key, the SANs its profile allows, the identity. */
    private static EndEntityRequest content(IssuanceJob job, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo key,
                                            KeyUsageKind kind, Instant notAfter) {
        EnrollmentRequest request = job.request();
        RegistrationData registration = request.registration();
        boolean sans = job.entry().profile().allowSubjectAltNames();
        return new EndEntityRequest(job.subject(), key, kind, sans ? registration.hostNames() : List.of(),
                sans ? registration.ipAddresses() : List.of(), identity(request.type(), registration), notAfter);
    }

    /** The INTENT record of a prepared TBSCertificate: the one place that builds it. */
    private CertificateRecord intentRecord(EnrollmentRequest request, CertificateProfile profile, CertificateAuthority ca,
                                           KeyUsageKind kind, BigInteger serial, TBSCertificate tbs, int shard) {
        return new CertificateRecord(ca.name(), serial, request.id(), request.subscriberId(),
                request.subjectDn(), profile.name(), request.type(), kind, request.businessType(), request.region(),
                CertificateStatus.VALID, IssuanceState.INTENT, encoded(tbs), null,
                tbs.getStartDate().getDate().toInstant(), tbs.getEndDate().getDate().toInstant(), null,
                clock.instant(), shard, null);
    }

    /** The CRL partition of a serial: fixed at issuance, named by the certificate's CRL distribution point. */
    private int crlShard(BigInteger serial) {
        int partitions = urls.crlPartitions();
        return partitions <= 1 ? 0 : serial.mod(BigInteger.valueOf(partitions)).intValueExact();
    }

    /**
     * Where the certificate's CRL, delta CRL, OCSP and issuer are found: its partition's CRLs when
     * partitioned. After a key changeover the new key's certificates name that key's one CRL
     * ({@link CertificateAuthority#crlUrl}), without partitions or delta: the CRL at a URL is signed
     * by the key whose certificates name it, and the main URLs stay the first key's.
     */
    private IssuerContext issuerContext(CertificateAuthority ca, int shard) {
        String name = ca.name();
        if (!ca.firstKeyIssues()) {
            return new IssuerContext(ca.certificate(), ca.crlUrl(urls), ca.crlLdapUrl(urls), urls.ocspUrl(name),
                    urls.caCertificateUrl(name));
        }
        if (urls.crlPartitions() <= 1) {
            return new IssuerContext(ca.certificate(), urls.crlUrl(name), urls.crlLdapUrl(name), urls.ocspUrl(name),
                    urls.caCertificateUrl(name), urls.deltaCrlUrl(name) == null ? List.of()
                            : List.of(urls.deltaCrlUrl(name), urls.deltaCrlLdapUrl(name)));
        }
        return new IssuerContext(ca.certificate(), urls.crlUrl(name, shard), urls.crlLdapUrl(name, shard),
                urls.ocspUrl(name), urls.caCertificateUrl(name), urls.deltaCrlUrl(name, shard) == null ? List.of()
                        : List.of(urls.deltaCrlUrl(name, shard), urls.deltaCrlLdapUrl(name, shard)));
    }

    /**
     * The profile the request is issued under: the one of that name in force now (the job keeps it
     * to the end). A request approved under a profile that a configuration reload has since
     * removed, or changed to another certificate type, is refused here (REJECTED, audited, with the
     * reason): it was validated against rules no longer configured, so it is never issued under
     * rules it was not checked against, and the subscriber applies again under a current profile.
     */
    private ProfileCatalog.Entry profile(EnrollmentRequest request, String actor) {
        Optional<ProfileCatalog.Entry> entry = profiles.current().find(request.profile());
        if (entry.isEmpty()) {
            throw refuseAtIssuance(request, actor, "profile '" + request.profile() + "' is no longer configured (it "
                    + "was removed after this request was approved); submit a new application under a configured "
                    + "profile", "profile");
        }
        if (entry.get().profile().type() != request.type()) {
            throw refuseAtIssuance(request, actor, "profile '" + request.profile() + "' now issues "
                    + entry.get().profile().type() + " certificates and this request was approved for a "
                    + request.type() + " certificate; submit a new application under a matching profile", "profile");
        }
        return entry.get();
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
