package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.operator.ChallengePhrases;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.BusinessTypes;
import org.egovpki.core.DomainException;
import org.egovpki.core.RegionCodes;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.ParsedCsr;
import org.egovpki.core.enroll.validation.RegistrationPolicy;
import org.egovpki.core.enroll.validation.SubjectDnPolicy;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.core.profile.CertificateProfile;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.ProfileCatalog;
import org.egovpki.core.profile.Profiles;

/**
 * The enrollment rules, the same for every channel (REST, the directory-approval route, batch):
 * validation before anything is written, two-person review (the entry clerk never approves their
 * own request; only reviewers approve), auto-approval only where a profile allows it for an
 * authenticated RA operator, and an audit event for every decision, refusals included.
 */
public final class EnrollmentService {

    private static final Pattern SUBSCRIBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_REASON = 500;

    private final Profiles profiles;
    private final RequestStore requests;
    private final SubscriberStore subscribers;
    private final Issuance issuance;
    private final CertificationRequests csrs;
    private final CertifiableKeys keys;
    private final SubjectDnPolicy dnPolicy = new SubjectDnPolicy();
    private final RegistrationPolicy registrationPolicy = new RegistrationPolicy();
    private final AuditLog audit;
    private final Clock clock;
    private final ZoneId zone;
    private final SecureRandom random;
    private final SubscriberIds subscriberIds;

    public EnrollmentService(Profiles profiles, RequestStore requests, SubscriberStore subscribers, Issuance issuance,
                             CertificationRequests csrs, CertifiableKeys keys, AuditLog audit, Clock clock, ZoneId zone,
                             SecureRandom random, SubscriberIds subscriberIds) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.requests = Objects.requireNonNull(requests, "requests");
        this.subscribers = Objects.requireNonNull(subscribers, "subscribers");
        this.issuance = Objects.requireNonNull(issuance, "issuance");
        this.csrs = Objects.requireNonNull(csrs, "csrs");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.random = Objects.requireNonNull(random, "random");
        this.subscriberIds = Objects.requireNonNull(subscriberIds, "subscriberIds");
    }

    /**
     * Validates and stores an application. Nothing is written if any check fails. When the
     * profile allows automatic approval and the operator is an RA admin, the request is approved
     * and issued at once.
     */
    public EnrollmentRequest submit(Operator clerk, Submission submission) {
        return submit(clerk, submission, null);
    }

    /**
     * What a modification (003 §4.8) carries over from the certificate it changes.
     *
     * @param original      the certificate being modified (issued, VALID, unexpired: the caller checked)
     * @param challengeHash the original request's challenge phrase hash, used when no new phrase is given
     */
    record Modification(CertificateRecord original, String challengeHash) {
    }

    /**
     * Validates and stores an application, or with {@code modification} a modification of an
     * existing certificate: the same checks, review and audit as an application, for the same
     * subscriber and certificate type (the profile defaults to the original's), recorded as
     * {@link RequestKind#MODIFICATION} with the original serial so that issuance supersedes it.
     */
    EnrollmentRequest submit(Operator clerk, Submission submission, Modification modification) {
        AuditEventType event = modification == null ? AuditEventType.REQUEST_SUBMITTED
                : AuditEventType.MODIFICATION_REQUESTED;
        try {
            // One catalogue for the whole submission, even if a reload replaces the profiles meanwhile.
            ProfileCatalog catalog = profiles.current();
            EnrollmentRequest request = validate(catalog, clerk, submission, modification);
            ProfileCatalog.Entry entry = catalog.find(request.profile()).orElseThrow();
            boolean autoApprove = entry.profile().autoApproveForRa() && clerk.has(Role.RA_ADMIN);
            // An auto-approved request is stored approved in one write: there is no second person to wait for.
            EnrollmentRequest stored = autoApprove ? request.approved(clerk.dn(), request.submittedAt()) : request;
            requests.create(stored);
            Map<String, String> details = new LinkedHashMap<>(Map.of("profile", request.profile(),
                    "subject", request.subjectDn(), "subscriber", request.subscriberId()));
            List<String> subjects = List.of(request.id());
            if (modification != null) {
                CertificateRecord original = modification.original();
                details.put("originalIssuer", original.issuer());
                details.put("originalSerial", original.serialHex());
                details.put("originalSubject", original.subjectDn());
                subjects = List.of(request.id(), original.id());
            }
            audit.record(AuditEvent.success(request.submittedAt(), event, clerk.dn(), subjects, details));
            if (autoApprove) {
                audit.record(AuditEvent.success(request.submittedAt(), AuditEventType.REQUEST_APPROVED, clerk.dn(),
                        List.of(request.id()), Map.of("note", "auto-approved: profile " + request.profile()
                                + " allows automatic approval for RA operators")));
                issuance.issue(stored, clerk.dn());
                return get(request.id());
            }
            return request;
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), event, clerk.dn(),
                    modification == null ? List.of() : List.of(modification.original().id()), failureDetails(e)));
            throw e;
        }
    }

    /** Most applications in one batch. */
    public static final int MAX_BATCH = 1000;

    /** The outcome of one application in a batch: the request, or why it was refused. */
    public record BatchResult(int index, EnrollmentRequest request, DomainException error) {
    }

    /**
     * Bulk application by an RA (seed 001 §6.2.1.2): each item is validated and stored on its own,
     * so one bad item does not lose the others. The server runs batches through the bulk enrollment
     * route (camel-routes), which makes the same single {@link #submit} calls one by one so it can
     * report progress; this is the same rule for callers without Camel.
     */
    public List<BatchResult> submitBatch(Operator clerk, List<Submission> submissions) {
        if (submissions.isEmpty() || submissions.size() > MAX_BATCH) {
            throw DomainException.badRequest("requests", "a batch holds 1 to " + MAX_BATCH + " applications, this one has "
                    + submissions.size());
        }
        List<BatchResult> results = new ArrayList<>();
        for (int i = 0; i < submissions.size(); i++) {
            try {
                results.add(new BatchResult(i, submit(clerk, submissions.get(i)), null));
            } catch (DomainException e) {
                results.add(new BatchResult(i, null, e));
            }
        }
        return results;
    }

    public EnrollmentRequest approve(Operator reviewer, String requestId) {
        return approve(reviewer, requestId, Map.of());
    }

    /**
     * Approves with {@code context} (e.g. the channel and the directory decision entry) added to
     * the audit events of the approval or its refusal.
     */
    EnrollmentRequest approve(Operator reviewer, String requestId, Map<String, String> context) {
        EnrollmentRequest request = get(requestId);
        try {
            checkReviewer(reviewer, request, "approve");
            requireSameIdentity(request.subscriberId(), request.kind(), request.type(), request.registration());
            requireRegisteredName(request.subscriberId(), request.kind(), request.type(), request.registration(),
                    request.subjectDn());
            requireDnFree(request.subjectDn(), request.subscriberId());
            return decideApproval(request, reviewer, context);
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.REQUEST_APPROVED, reviewer.dn(),
                    List.of(requestId), with(context, failureDetails(e))));
            throw e;
        }
    }

    public EnrollmentRequest reject(Operator reviewer, String requestId, String reason) {
        return reject(reviewer, requestId, reason, Map.of());
    }

    /** Rejects with {@code context} added to the audit events, as {@link #approve(Operator, String, Map)}. */
    EnrollmentRequest reject(Operator reviewer, String requestId, String reason, Map<String, String> context) {
        EnrollmentRequest request = get(requestId);
        try {
            checkReviewer(reviewer, request, "reject");
            if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
                throw DomainException.badRequest("reason", "a rejection needs a reason of 1 to " + MAX_REASON
                        + " characters; the subscriber is told it");
            }
            // The reviewer sees the numbers whole and may quote one; the reason goes to the clerk, the auditor, the
            // audit trail and the subscriber, so it is kept with its numbers masked, the product's one rule.
            EnrollmentRequest rejected = request.rejected(reviewer.dn(), clock.instant(),
                    PersonalData.maskNumbersIn(reason.strip()));
            transition(request, rejected);
            audit.record(AuditEvent.success(rejected.decidedAt(), AuditEventType.REQUEST_REJECTED, reviewer.dn(),
                    List.of(requestId), with(context, Map.of("reason", rejected.rejectionReason()))));
            return rejected;
        } catch (DomainException e) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.REQUEST_REJECTED, reviewer.dn(),
                    List.of(requestId), with(context, failureDetails(e))));
            throw e;
        }
    }

    public EnrollmentRequest cancel(Operator operator, String requestId) {
        EnrollmentRequest request = get(requestId);
        if (!operator.isSamePersonAs(request.enteredBy()) && !operator.has(Role.RA_ADMIN)
                && !operator.has(Role.CA_ADMIN)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN,
                    "only the operator who entered request " + requestId + " or an RA/CA admin may cancel it");
        }
        requireState(request, RequestState.SUBMITTED, "cancelled");
        EnrollmentRequest cancelled = request.cancelled(clock.instant());
        transition(request, cancelled);
        audit.record(AuditEvent.success(cancelled.decidedAt(), AuditEventType.REQUEST_CANCELLED, operator.dn(),
                List.of(requestId), Map.of()));
        return cancelled;
    }

    /**
     * A request for the server's own steps (issuance, the directory-approval route, tests), with no
     * operator to check; an operator reads through {@link #get(Operator, String)}.
     */
    public EnrollmentRequest get(String requestId) {
        return requests.find(requestId).orElseThrow(() -> DomainException.notFound("no request '" + requestId + "'"));
    }

    /**
     * A request as {@code viewer} may read it: the RA's operators (entry clerk, reviewer, RA
     * admin, CA admin) who enter, decide and answer for requests, and the auditor, who checks
     * the two-person rule on them. A request carries the subscriber's registration data (names,
     * organisation, contacts; identity numbers masked unless {@link #registrationAsSeenBy} shows
     * them whole), which the KM roles, key custodians and the system, security and super admins
     * have no business reading (seed 001 §6.4.2: access by role). The role is checked before the
     * lookup, so a refusal says nothing about whether the request exists.
     */
    public EnrollmentRequest get(Operator viewer, String requestId) {
        requireRequestReader(viewer);
        return get(requestId);
    }

    /** Requests in {@code state} (every state when null), for a viewer as {@link #get(Operator, String)}. */
    public List<EnrollmentRequest> list(Operator viewer, RequestState state, int limit) {
        requireRequestReader(viewer);
        return requests.findByState(state, limit);
    }

    private static void requireRequestReader(Operator viewer) {
        if (!viewer.mayEnterRequests() && !viewer.has(Role.REVIEWER) && !viewer.has(Role.AUDITOR)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, viewer.uid() + " may not read requests: that "
                    + "needs the ENTRY_CLERK, REVIEWER, RA_ADMIN, CA_ADMIN or AUDITOR role");
        }
    }

    /**
     * The request's registration data as {@code viewer} may see it. Reviewers (who decide the
     * request by comparing the registration with the documents presented) and RA admins (who answer
     * for the RA's records) see identity and phone numbers whole; everyone else, the entry clerk
     * included once the application is entered, sees them masked (seed 001 §6.4.2: access by role).
     */
    public RegistrationData registrationAsSeenBy(Operator viewer, EnrollmentRequest request) {
        RegistrationData g = request.registration();
        if (viewer.readsRegistrationWhole()) {
            return g;
        }
        return new RegistrationData(g.realName(), g.idType(), PersonalData.mask(g.idNumber()),
                PersonalData.mask(g.phone()), g.email(), g.organization(), g.legalName(), g.uscc(),
                g.organizationCode(), g.agentName(), PersonalData.mask(g.agentPhone()), g.agentEmail(),
                PersonalData.mask(g.agentIdNumber()), g.hostNames(), g.ipAddresses(), g.owner());
    }

    private void checkReviewer(Operator reviewer, EnrollmentRequest request, String verb) {
        if (!reviewer.has(Role.REVIEWER)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, reviewer.uid() + " is not a reviewer: only "
                    + "reviewers may " + verb + " requests");
        }
        if (reviewer.isSamePersonAs(request.enteredBy())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "the entry clerk cannot " + verb
                    + " their own request " + request.id() + ": a second person must review it");
        }
        requireState(request, RequestState.SUBMITTED, verb.equals("approve") ? "approved" : "rejected");
    }

    private EnrollmentRequest decideApproval(EnrollmentRequest request, Operator reviewer, Map<String, String> context) {
        requireState(request, RequestState.SUBMITTED, "approved");
        EnrollmentRequest approved = request.approved(reviewer.dn(), clock.instant());
        transition(request, approved);
        audit.record(AuditEvent.success(approved.decidedAt(), AuditEventType.REQUEST_APPROVED, reviewer.dn(),
                List.of(request.id()), context));
        issuance.issue(approved, reviewer.dn());
        return get(request.id());
    }

    private void transition(EnrollmentRequest from, EnrollmentRequest to) {
        if (!requests.transition(from.state(), to)) {
            throw DomainException.conflict("request " + from.id() + " was changed by someone else meanwhile; "
                    + "reload it and decide again");
        }
    }

    private static void requireState(EnrollmentRequest request, RequestState expected, String verb) {
        if (request.state() != expected) {
            throw DomainException.conflict("request " + request.id() + " is " + request.state()
                    + "; only a " + expected + " request can be " + verb);
        }
    }

    private EnrollmentRequest validate(ProfileCatalog profiles, Operator clerk, Submission s,
                                       Modification modification) {
        if (!clerk.mayEnterRequests()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, clerk.uid()
                    + " may not enter requests (needs ENTRY_CLERK, RA_ADMIN or CA_ADMIN)");
        }
        CertificateRecord original = modification == null ? null : modification.original();
        String profileName = s.profile() != null ? s.profile() : original != null ? original.profile() : null;
        if (profileName == null) {
            throw DomainException.badRequest("profile", "profile is required");
        }
        CertificateProfile profile = profiles.find(profileName).map(ProfileCatalog.Entry::profile).orElseThrow(() ->
                DomainException.badRequest("profile", "unknown profile '" + profileName + "'; configured: "
                        + profiles.all().stream().map(e -> e.profile().name()).toList()));
        if (original != null && profile.type() != original.type()) {
            throw DomainException.badRequest("profile", "certificate " + original.serialHex() + " is a "
                    + original.type() + " certificate and profile '" + profileName + "' issues " + profile.type()
                    + " ones; a modification keeps the certificate type (apply anew for another type)");
        }
        if (original != null && s.subscriberId() != null && !s.subscriberId().equals(original.subscriberId())) {
            throw DomainException.badRequest("subscriberId", "certificate " + original.serialHex() + " belongs to "
                    + "subscriber '" + original.subscriberId() + "'; a modification changes that subscriber's data "
                    + "and cannot move the certificate to '" + s.subscriberId() + "'");
        }
        if (!s.agreementAccepted()) {
            throw DomainException.badRequest("agreementAccepted", "the subscriber must accept the subscriber "
                    + "agreement before applying (001 §6.2.1); record the acceptance and submit again");
        }
        char[] phrase = s.challengePhrase();
        // A modification keeps the phrase the subscriber already has unless a new one is given.
        String inheritedHash = phrase == null && modification != null ? modification.challengeHash() : null;
        // Persons and organisations revoke their own certificates with the phrase (001 §6.2.7);
        // device certificates are revoked by their owner through the CA/RA, so for them it is optional.
        boolean phraseRequired = profile.type() != CertificateType.DEVICE && inheritedHash == null;
        if ((phrase == null && phraseRequired) || (phrase != null && phrase.length < ChallengePhrases.MIN_LENGTH)) {
            throw DomainException.badRequest("challengePhrase", "a challenge phrase of at least "
                    + ChallengePhrases.MIN_LENGTH + " characters is required (it lets the subscriber revoke later)");
        }
        if (s.csr() == null) {
            throw DomainException.badRequest("csr", "csr (a PKCS#10 request, PEM or base64 DER) is required");
        }
        ParsedCsr csr = csrs.parse(s.csr());
        requireCertifiableKey(csr);
        if (profile.dual() && KeyAlgorithm.of(csr.publicKey()) != KeyAlgorithm.SM2) {
            throw DomainException.badRequest("csr", "profile '" + profile.name() + "' issues dual certificates: the key "
                    + "management centre envelopes the encryption private key to the signing key (GM/T 0009), so the "
                    + "CSR must carry an SM2 key, not " + KeyAlgorithm.of(csr.publicKey()));
        }
        CertificateType type = profile.type();
        // Both are optional; given, they are a business type identifier and a GB/T 2260 code (every channel).
        String businessType = s.businessType() == null || s.businessType().isBlank() ? null
                : BusinessTypes.require("businessType", s.businessType());
        String region = s.region() == null || s.region().isBlank() ? null : RegionCodes.require("region", s.region());
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        registrationPolicy.check(type, s.registration(), today);
        X500Name subject = dnPolicy.check(csr.subject(), type, s.registration());
        String canonical = SubjectDnPolicy.canonicalString(subject);
        RegistrationData registration = Registrations.normalised(s.registration());
        String subscriberId = original != null ? original.subscriberId()
                : subscriberId(s.subscriberId(), registration, type, canonical);
        requireSameIdentity(subscriberId, original == null ? RequestKind.NEW : RequestKind.MODIFICATION, type,
                registration);
        requireRegisteredName(subscriberId, original == null ? RequestKind.NEW : RequestKind.MODIFICATION, type,
                registration, canonical);
        requireDnFree(canonical, subscriberId);
        Instant now = clock.instant();
        String challengeHash = phrase != null ? ChallengePhrases.hash(phrase, random) : inheritedHash;
        return new EnrollmentRequest(newRequestId(), RequestState.SUBMITTED, csr.der(), profile.name(), type,
                subscriberId, canonical, registration, businessType, region,
                s.publishOptOut(), challengeHash, now, clerk.dn(), null, now, null, null, null, List.of(),
                original == null ? RequestKind.NEW : RequestKind.MODIFICATION,
                original == null ? null : original.serialHex());
    }

    /** A fresh request id. */
    String newRequestId() {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        return "r-" + HexFormat.of().formatHex(bytes);
    }

    /** A subject DN belongs to one subscriber (REQUIREMENTS §4): first come keeps it. */
    private void requireDnFree(String canonicalDn, String subscriberId) {
        Optional<String> holder = subscribers.holderOf(canonicalDn);
        if (holder.isPresent() && !holder.get().equals(subscriberId)) {
            throw new DomainException(DomainException.Kind.CONFLICT, "subject DN '" + canonicalDn
                    + "' already belongs to another subscriber; add a distinguishing attribute (e.g. an OU or L) "
                    + "to the DN and submit again", "subject");
        }
    }

    /**
     * A key revoked for compromise, or a CA's, is never certified ({@link CertifiableKeys}): refused
     * (400, field {@code csr}) before anything is stored. Asked of every application, and by
     * {@link LifecycleService} of every renewal, rekey and replacement, so the operator hears it when
     * entering the request rather than when it is refused at issuance.
     */
    void requireCertifiableKey(ParsedCsr csr) {
        keys.refusal(csr.publicKey()).ifPresent(refusal -> {
            throw DomainException.badRequest("csr", refusal);
        });
    }

    /**
     * An RA-chosen subscriber id (or a modification's) must belong to the same kind of subscriber
     * with the same identity, and a request of any kind but a modification must carry the registered
     * name ({@link SubscriberIdentity#nameConflict}): issuance would otherwise replace that
     * subscriber's registration data, or rename it without a modification's review. Also asked by
     * {@link LifecycleService} before it stores a renewal, rekey or replacement.
     */
    void requireSameIdentity(String subscriberId, RequestKind kind, CertificateType type,
                             RegistrationData registration) {
        Optional<SubscriberStore.Registered> existing = subscribers.registrationOf(subscriberId);
        if (existing.isEmpty()) {
            return;
        }
        SubscriberIdentity.conflict(subscriberId, existing.get().kind(), existing.get().registration(), type,
                registration).ifPresent(problem -> {
                    throw new DomainException(DomainException.Kind.CONFLICT, problem, "subscriberId");
                });
        SubscriberIdentity.nameConflict(kind, type, existing.get().registration(), registration)
                .ifPresent(refusal -> {
                    throw new DomainException(DomainException.Kind.CONFLICT, refusal.message(), refusal.field());
                });
    }

    /**
     * A new application under an RA-chosen subscriber id: the subscriber its documents name (the keyed id
     * derived from the ID document, USCC or organisation code) must not be registered under another name
     * either, else a fresh id would give a registered ID number a second subscriber, and a certificate,
     * under another name.
     */
    private void requireRegisteredName(String subscriberId, RequestKind kind, CertificateType type,
                                       RegistrationData registration, String canonicalDn) {
        if (kind != RequestKind.NEW || type == CertificateType.DEVICE) {
            return;
        }
        String derived = subscriberIds.derive(type, registration, canonicalDn);
        if (derived.equals(subscriberId)) {
            return; // asked already by requireSameIdentity
        }
        subscribers.registrationOf(derived).flatMap(existing -> SubscriberIdentity.nameConflict(kind, type,
                existing.registration(), registration)).ifPresent(refusal -> {
                    throw new DomainException(DomainException.Kind.CONFLICT, refusal.message(), refusal.field());
                });
    }

    private String subscriberId(String given, RegistrationData r, CertificateType type, String canonicalDn) {
        if (given != null) {
            if (!SUBSCRIBER_ID.matcher(given).matches()) {
                throw DomainException.badRequest("subscriberId", "subscriberId must be 1-64 letters, digits, '.', "
                        + "'_' or '-', starting with a letter or digit");
            }
            // The id is the RDN of a public entry: it must not spell out personal data, in any spelling.
            if (SubscriberIdPrivacy.spellsOutPersonalNumber(given, r)) {
                throw DomainException.badRequest("subscriberId", "subscriberId contains an ID or phone number of "
                        + "the registration (separators and short forms included); it names a public directory "
                        + "entry, so choose an id without personal data, or leave it out to have one derived");
            }
            // A client that kept an id from before ids were keyed would otherwise re-create it.
            if (given.equalsIgnoreCase(SubscriberIds.legacy(type, r, canonicalDn))) {
                throw DomainException.badRequest("subscriberId", "subscriberId is the unkeyed id derived from this "
                        + "registration's identity data, which subscribers no longer have; leave subscriberId out to "
                        + "have the subscriber found from the documents");
            }
            return given;
        }
        return subscriberIds.derive(type, r, canonicalDn);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Map<String, String> with(Map<String, String> context, Map<String, String> details) {
        if (context.isEmpty()) {
            return details;
        }
        Map<String, String> all = new LinkedHashMap<>(context);
        all.putAll(details);
        return all;
    }

    private static Map<String, String> failureDetails(DomainException e) {
        // publicMessage: a server fault's message may quote the directory (entry dumps), never audited.
        return e.field() == null ? Map.of("error", e.kind().name(), "message", e.publicMessage())
                : Map.of("error", e.kind().name(), "message", e.publicMessage(), "field", e.field());
    }
}
