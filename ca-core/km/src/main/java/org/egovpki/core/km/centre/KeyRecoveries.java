package org.egovpki.core.km.centre;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.operator.ChallengePhrases;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.egovpki.core.km.KmRequest;
import org.egovpki.core.km.KmResponse;
import org.egovpki.core.operator.AttemptLimiter;

/**
 * Key recovery (001 §6.2.8, 004 §7.5.2.2): encryption keys only, never signing keys.
 * <ol>
 *   <li>An operator enters the request: for a subscriber (through an RA or KM operator), or for
 *       a judicial authority (through the KM, with the legal document's reference and the
 *       officer's SM2 certificate).</li>
 *   <li>A KM business admin <b>and</b> a KM operator approve it: two approvals, two different
 *       people, neither the one who entered it. Each step is a compare-and-swap on the state.</li>
 *   <li>Subscriber: the second approval returns a one-time challenge code, shown once, stored
 *       only as a PBKDF2 hash, valid for {@code challengeLifetime}. The subscriber's new token
 *       presents it with its public key (through the CA, as a signed GM/T 0014 RestoreKeyReq);
 *       the KM checks it, spends it, and answers the key enveloped to that public key.
 *       Judicial: a KM role fetches, once, the key enveloped to the officer's certificate — a
 *       file only the officer's private key opens.</li>
 * </ol>
 * Every step, and every refusal, is audited with the actor, the subscriber, the serial and the reason.
 */
public final class KeyRecoveries {

    private static final Set<Role> APPROVER_ROLES = EnumSet.of(Role.KM_BUSINESS_ADMIN, Role.KM_OPERATOR);
    /** Who reads recovery requests: the KM roles that decide them, and the auditor (REQUIREMENTS §7, issue 14). */
    private static final Set<Role> READER_ROLES = EnumSet.of(Role.KM_BUSINESS_ADMIN, Role.KM_OPERATOR, Role.AUDITOR);
    private static final String CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final int CODE_LENGTH = 16;
    private static final int MAX_TEXT = 1000;

    private final RecoveryStore store;
    private final KeyEscrow escrow;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration challengeLifetime;
    private final AttemptLimiter codeFailures;

    public KeyRecoveries(RecoveryStore store, KeyEscrow escrow, AuditLog audit, Clock clock, SecureRandom random,
                         Duration challengeLifetime, AttemptLimiter codeFailures) {
        this.store = Objects.requireNonNull(store, "store");
        this.escrow = Objects.requireNonNull(escrow, "escrow");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.challengeLifetime = Objects.requireNonNull(challengeLifetime, "challengeLifetime");
        this.codeFailures = Objects.requireNonNull(codeFailures, "codeFailures");
    }

    /** What an operator enters. {@code legalDocumentRef} and {@code officerCertificate} (DER) are for JUDICIAL only. */
    public record Submission(RecoveryKind kind, String caName, BigInteger serial, String reason,
                             String legalDocumentRef, byte[] officerCertificate) {
    }

    /** An approval's outcome; {@code challengeCode} is set once, on the approval that completes a subscriber recovery. */
    public record Approved(RecoveryRequest request, String challengeCode) {
    }

    public RecoveryRequest submit(Submission submission, Operator actor) {
        Objects.requireNonNull(submission, "submission");
        if (submission.kind() == null) {
            throw DomainException.badRequest("kind", "kind is required: SUBSCRIBER or JUDICIAL");
        }
        boolean judicial = submission.kind() == RecoveryKind.JUDICIAL;
        if (judicial ? !isApprover(actor) : !(actor.mayEnterRequests() || isApprover(actor))) {
            throw refused(AuditEventType.KM_RECOVERY_REQUESTED, actor.dn(), List.of(), Map.of(),
                    judicial ? "a judicial key recovery is entered by a KM business admin or KM operator"
                            : "a key recovery is entered by an entry clerk, RA admin, CA admin or a KM role");
        }
        String reason = text(submission.reason(), "reason", true);
        if (submission.caName() == null || submission.serial() == null) {
            throw DomainException.badRequest("serial", "issuer and serial of the encryption certificate are required");
        }
        EscrowedKey key = escrow.find(submission.caName(), submission.serial());
        if (key.state() == KeyState.DESTROYED) {
            throw DomainException.conflict("the escrowed key of certificate " + key.serialHex() + " was destroyed on "
                    + key.destroyedAt() + "; it cannot be recovered");
        }
        String legal = null;
        X509Certificate officer = null;
        if (judicial) {
            legal = text(submission.legalDocumentRef(), "legalDocumentRef", true);
            officer = officerCertificate(submission.officerCertificate());
        }
        RecoveryRequest request = new RecoveryRequest("kr-" + hex(10), submission.kind(), key.caName(), key.serial(),
                key.keyId(), key.subscriberDn(), reason, legal, judicial ? submission.officerCertificate() : null, actor.dn(), clock.instant(), List.of(),
                RecoveryState.SUBMITTED, null, null, null, null, null);
        store.create(request);
        Map<String, String> details = details(request);
        details.put("reason", reason);
        if (legal != null) {
            details.put("legalDocumentRef", legal);
            details.put("officer", officer.getSubjectX500Principal().getName());
        }
        audit.record(AuditEvent.success(request.submittedAt(), AuditEventType.KM_RECOVERY_REQUESTED, actor.dn(),
                subjects(request), details));
        return request;
    }

    /** Which encryption certificate a recovery is about: the CA's name and the serial. */
    public record RecoveredCertificate(String caName, BigInteger serial) {
    }

    /**
     * For the subscriber's download, which has no operator (the one-time code is the authority,
     * and the KM checks it): the certificate the CA names in its RestoreKeyReq — and nothing else
     * of the request (who asked, why, the approvals), which only {@link #get(String, Operator)} shows.
     */
    public RecoveredCertificate certificateOf(String id) {
        RecoveryRequest request = get(id);
        return new RecoveredCertificate(request.caName(), request.serial());
    }

    /**
     * One request as {@code reader} may read it: a KM business admin or KM operator (who decide
     * recoveries) or an auditor. Who asked for whose key, why and under which legal document is
     * the KM's record; an RA operator who entered a request sees it in the answer to the entry
     * and no more. Every read, and every refusal, is audited ({@code KM_RECOVERY_READ}); the role
     * is checked before the lookup, so a refusal says nothing about whether the request exists.
     */
    public RecoveryRequest get(String id, Operator reader) {
        requireReader(reader, List.of(id), Map.of());
        RecoveryRequest request = get(id);
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.KM_RECOVERY_READ, reader.dn(),
                subjects(request), details(request)));
        return request;
    }

    /** Requests in {@code state} (every state when null), for a reader as {@link #get(String, Operator)}; audited. */
    public List<RecoveryRequest> list(RecoveryState state, int limit, Operator reader) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("state", state == null ? "ANY" : state.name());
        query.put("limit", Integer.toString(limit));
        requireReader(reader, List.of(), query);
        List<RecoveryRequest> found = store.list(state, limit);
        query.put("count", Integer.toString(found.size()));
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.KM_RECOVERY_READ, reader.dn(),
                found.stream().map(RecoveryRequest::id).toList(), query));
        return found;
    }

    /** The stored request, for this class's own steps (each checks its actor's roles) and tests. */
    RecoveryRequest get(String id) {
        return store.find(id).orElseThrow(() -> DomainException.notFound("no key recovery request " + id));
    }

    private void requireReader(Operator reader, List<String> subjects, Map<String, String> details) {
        if (READER_ROLES.stream().noneMatch(reader::has)) {
            throw refused(AuditEventType.KM_RECOVERY_READ, reader.dn(), subjects, details, reader.uid()
                    + " may not read key recovery requests: that needs the KM_BUSINESS_ADMIN, KM_OPERATOR or "
                    + "AUDITOR role");
        }
    }

    /**
     * Records {@code approver}'s approval in the KM role still missing. Refused: a non-KM operator,
     * the operator who entered the request, an operator who approved it already (whatever roles
     * they hold: the two approvals are two people), a request no longer awaiting approval.
     */
    public Approved approve(String id, Operator approver) {
        RecoveryRequest request = get(id);
        if (!isApprover(approver)) {
            throw refused(AuditEventType.KM_RECOVERY_APPROVED, approver.dn(), subjects(request), details(request),
                    "a key recovery is approved by a KM business admin and a KM operator; " + approver.uid()
                            + " is neither");
        }
        if (request.state() != RecoveryState.SUBMITTED && request.state() != RecoveryState.APPROVING) {
            throw DomainException.conflict("key recovery " + id + " is " + request.state() + "; only SUBMITTED or "
                    + "APPROVING requests are approved");
        }
        if (approver.isSamePersonAs(request.enteredBy())) {
            throw refused(AuditEventType.KM_RECOVERY_APPROVED, approver.dn(), subjects(request), details(request),
                    approver.uid() + " entered key recovery " + id + " and cannot approve it");
        }
        for (Approval earlier : request.approvals()) {
            if (approver.isSamePersonAs(earlier.operatorDn())) {
                throw refused(AuditEventType.KM_RECOVERY_APPROVED, approver.dn(), subjects(request), details(request),
                        approver.uid() + " already approved key recovery " + id + " as " + earlier.role()
                                + "; the other approval must come from a different person");
            }
        }
        Set<Role> missing = EnumSet.copyOf(APPROVER_ROLES);
        request.approvals().forEach(a -> missing.remove(a.role()));
        Role role = missing.stream().filter(approver::has).findFirst().orElseThrow(() -> refused(
                AuditEventType.KM_RECOVERY_APPROVED, approver.dn(), subjects(request), details(request),
                "key recovery " + id + " still needs a " + missing.iterator().next() + " approval; " + approver.uid()
                        + " does not hold that role"));
        Instant now = clock.instant();
        Approval approval = new Approval(role, approver.dn(), now);
        boolean complete = request.approvals().size() + 1 == APPROVER_ROLES.size();
        String code = null;
        RecoveryRequest updated;
        if (!complete) {
            updated = request.approved(approval, RecoveryState.APPROVING, null, null, null);
        } else if (request.kind() == RecoveryKind.SUBSCRIBER) {
            code = newCode();
            updated = request.approved(approval, RecoveryState.APPROVED,
                    ChallengePhrases.hash(normalized(code).toCharArray(), random), now.plus(challengeLifetime), now);
        } else {
            updated = request.approved(approval, RecoveryState.APPROVED, null, null, now);
        }
        if (!store.transition(request.state(), updated)) {
            throw DomainException.conflict("key recovery " + id + " changed while it was being approved; reload it");
        }
        Map<String, String> details = details(updated);
        details.put("role", role.name());
        details.put("approvals", Integer.toString(updated.approvals().size()));
        if (code != null) {
            details.put("challengeExpires", updated.challengeExpires().toString());
        }
        audit.record(AuditEvent.success(now, AuditEventType.KM_RECOVERY_APPROVED, approver.dn(), subjects(updated),
                details));
        return new Approved(updated, code);
    }

    public RecoveryRequest reject(String id, Operator approver, String reason) {
        RecoveryRequest request = get(id);
        if (!isApprover(approver)) {
            throw refused(AuditEventType.KM_RECOVERY_REJECTED, approver.dn(), subjects(request), details(request),
                    "a key recovery is rejected by a KM business admin or KM operator");
        }
        String why = text(reason, "reason", true);
        if (request.state() != RecoveryState.SUBMITTED && request.state() != RecoveryState.APPROVING) {
            throw DomainException.conflict("key recovery " + id + " is " + request.state() + " and cannot be rejected");
        }
        RecoveryRequest updated = request.rejected(clock.instant(), why);
        if (!store.transition(request.state(), updated)) {
            throw DomainException.conflict("key recovery " + id + " changed while it was being rejected; reload it");
        }
        Map<String, String> details = details(updated);
        details.put("reason", why);
        audit.record(AuditEvent.success(updated.decidedAt(), AuditEventType.KM_RECOVERY_REJECTED, approver.dn(),
                subjects(updated), details));
        return updated;
    }

    /**
     * The subscriber's side of a recovery, relayed by the CA as a signed RestoreKeyReq: checks the
     * one-time code and spends it, then answers the key enveloped to the new token's key.
     *
     * @return the key's public key and the DER SM2EnvelopedKey to the new token's key
     */
    public KmResponse.RetKey redeem(String caName, KmRequest.RestoreKey restore) {
        String actor = "subscriber via ca:" + caName;
        RecoveryRequest request = store.find(restore.recoveryId()).orElseThrow(() -> DomainException.notFound(
                "no key recovery request " + restore.recoveryId()));
        List<String> subjects = subjects(request);
        Map<String, String> details = details(request);
        if (request.kind() != RecoveryKind.SUBSCRIBER || !request.caName().equals(caName)
                || !request.serial().equals(restore.userCertNo())) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details, "key recovery " + request.id()
                    + " is not a subscriber recovery of certificate " + restore.userCertNo().toString(16) + " of CA "
                    + caName);
        }
        java.util.Optional<Instant> blocked = codeFailures.blockedUntil(request.id());
        if (blocked.isPresent()) {
            throw new DomainException(DomainException.Kind.RATE_LIMITED, "too many wrong challenge codes for key "
                    + "recovery " + request.id() + "; try again after " + blocked.get());
        }
        if (request.state() == RecoveryState.RECOVERED) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details, "the challenge code of key recovery "
                    + request.id() + " was already used at " + request.completedAt() + "; a new recovery request is needed");
        }
        if (request.state() != RecoveryState.APPROVED) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details, "key recovery " + request.id()
                    + " is " + request.state() + ": it needs the approval of a KM business admin and a KM operator");
        }
        Instant now = clock.instant();
        if (!now.isBefore(request.challengeExpires())) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details, "the challenge code of key recovery "
                    + request.id() + " expired at " + request.challengeExpires() + "; a new recovery request is needed");
        }
        if (!ChallengePhrases.matches(normalized(restore.challenge()).toCharArray(), request.challengeHash())) {
            codeFailures.failed(request.id());
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details,
                    "wrong challenge code for key recovery " + request.id());
        }
        requireSm2(restore.newKey(), "publicKey", "the new token's key");
        EscrowedKey key = escrow.find(request.caName(), request.serial());
        byte[] envelope = escrow.envelope(key, restore.newKey());
        if (!store.transition(RecoveryState.APPROVED, request.recovered(now))) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, actor, subjects, details, "the challenge code of key recovery "
                    + request.id() + " was used meanwhile");
        }
        details.put("newPublicKeySha256", sha256(restore.newKey()));
        audit.record(AuditEvent.success(now, AuditEventType.KM_KEY_RECOVERED, actor, subjects, details));
        return new KmResponse.RetKey(key.serial(), SubjectPublicKeyInfo.getInstance(key.publicKeyInfo()), envelope);
    }

    /**
     * The judicial recovery file: the key enveloped (DER SM2EnvelopedKey) to the officer's
     * certificate, fetched once by a KM role after both approvals.
     */
    public byte[] judicialFile(String id, Operator operator) {
        RecoveryRequest request = get(id);
        List<String> subjects = subjects(request);
        Map<String, String> details = details(request);
        if (!isApprover(operator)) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, operator.dn(), subjects, details,
                    "the judicial recovery file is fetched by a KM business admin or KM operator");
        }
        if (request.kind() != RecoveryKind.JUDICIAL) {
            throw DomainException.badRequest("id", "key recovery " + id + " is a subscriber recovery: the subscriber "
                    + "downloads the key with the challenge code");
        }
        if (request.state() != RecoveryState.APPROVED) {
            throw refused(AuditEventType.KM_KEY_RECOVERED, operator.dn(), subjects, details, "key recovery " + id
                    + " is " + request.state() + (request.state() == RecoveryState.RECOVERED
                    ? "; its file was fetched at " + request.completedAt() + " and is made only once"
                    : "; the file is made after a KM business admin and a KM operator approved it"));
        }
        X509Certificate officer = officerCertificate(request.officerCertificate());
        SubjectPublicKeyInfo officerKey = SubjectPublicKeyInfo.getInstance(officer.getPublicKey().getEncoded());
        byte[] file = escrow.envelope(escrow.find(request.caName(), request.serial()), officerKey);
        Instant now = clock.instant();
        if (!store.transition(RecoveryState.APPROVED, request.recovered(now))) {
            throw DomainException.conflict("the file of key recovery " + id + " was fetched meanwhile");
        }
        details.put("officer", officer.getSubjectX500Principal().getName());
        details.put("legalDocumentRef", request.legalDocumentRef());
        details.put("fileSha256", HexFormat.of().formatHex(digest(file)));
        audit.record(AuditEvent.success(now, AuditEventType.KM_KEY_RECOVERED, operator.dn(), subjects, details));
        return file;
    }

    /** Upper case, without the dashes and spaces people type in a code. */
    static String normalized(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    private String newCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < CODE_LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    private X509Certificate officerCertificate(byte[] der) {
        if (der == null || der.length == 0) {
            throw DomainException.badRequest("officerCertificate", "a judicial recovery needs the officer's certificate");
        }
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw DomainException.badRequest("officerCertificate", "the officer's certificate is not an X.509 "
                    + "certificate: " + e.getMessage());
        }
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw DomainException.badRequest("officerCertificate", "the officer's certificate is not valid now ("
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant() + ")");
        }
        requireSm2(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()), "officerCertificate",
                "the officer's certificate");
        return certificate;
    }

    private static void requireSm2(SubjectPublicKeyInfo key, String field, String what) {
        KeyAlgorithm algorithm;
        try {
            algorithm = KeyAlgorithm.of(key);
        } catch (IllegalArgumentException e) {
            throw DomainException.badRequest(field, what + " has an unusable key: " + e.getMessage());
        }
        if (algorithm != KeyAlgorithm.SM2) {
            throw DomainException.badRequest(field, what + " has an " + algorithm + " key; the key is delivered in a "
                    + "GM/T 0009 SM2 envelope, which needs an SM2 public key");
        }
    }

    private DomainException refused(AuditEventType type, String actor, List<String> subjects,
                                    Map<String, String> details, String why) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("error", why);
        audit.record(AuditEvent.failure(clock.instant(), type, actor, subjects, all));
        return new DomainException(DomainException.Kind.FORBIDDEN, why);
    }

    private static boolean isApprover(Operator operator) {
        return operator.has(Role.KM_BUSINESS_ADMIN) || operator.has(Role.KM_OPERATOR);
    }

    private static String text(String value, String field, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw DomainException.badRequest(field, field + " is required");
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw DomainException.badRequest(field, field + " is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    private static List<String> subjects(RecoveryRequest request) {
        List<String> subjects = new ArrayList<>(List.of(request.id(), request.keyId()));
        if (request.subscriberDn() != null) {
            subjects.add(request.subscriberDn());
        }
        return subjects;
    }

    private static Map<String, String> details(RecoveryRequest request) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("kind", request.kind().name());
        details.put("serial", request.serialHex());
        details.put("issuer", request.caName());
        return details;
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String sha256(SubjectPublicKeyInfo key) {
        try {
            return HexFormat.of().formatHex(digest(key.getEncoded("DER")));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("public key cannot be encoded", e);
        }
    }

    private static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
