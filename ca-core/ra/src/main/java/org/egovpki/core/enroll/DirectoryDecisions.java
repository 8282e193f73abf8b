package org.egovpki.core.enroll;

import org.egovpki.core.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on decisions reviewers wrote in the directory with an LDAP browser, and undoes state
 * changes the CA did not make.
 *
 * <p>A decision is an entry a reviewer adds below the request ({@link DecisionInbox.Decision}). Its
 * author is the operator the directory recorded when the entry was added — operators can add such
 * entries but never change or remove them, so the author of the entry is the author of the
 * decision value. Each entry is claimed (removed) once, then submitted to
 * {@link EnrollmentService} exactly as a REST call would be, with that operator: a clerk deciding
 * their own request, or a non-reviewer, is refused by the same checks, and {@code egovDecisionNote}
 * on the request says what became of the decision.
 *
 * <p>Nobody is ever credited with a decision for having modified the request last. A request
 * whose shown state differs from the state the CA wrote (the directory administrator, say, edited
 * {@code egovRequestState}) is put back and audited, with the last modifier recorded only as a fact
 * about the entry. The requests shown in an open state are checked at every poll; those shown
 * REJECTED — whose candidates are every rejected request kept, so the check grows with the
 * directory — only at a sweep every {@link #REJECTION_SWEEP} (and at the first poll), which keeps
 * going at every poll while a sweep finds a full batch and puts some of it back.
 */
public final class DirectoryDecisions {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryDecisions.class);
    private static final int BATCH = 100;
    /** The longest decision entry name written to the audit trail and the log; longer ones are cut. */
    static final int MAX_ENTRY_NAME = 300;
    /** How often requests shown REJECTED are checked against the CA's own state. */
    static final Duration REJECTION_SWEEP = Duration.ofMinutes(10);

    private final DecisionInbox inbox;
    private final OperatorDirectory operators;
    private final EnrollmentService enrollment;
    private final AuditLog audit;
    private final Clock clock;
    private Instant nextRejectionSweep = Instant.MIN;

    public DirectoryDecisions(DecisionInbox inbox, OperatorDirectory operators, EnrollmentService enrollment,
                              AuditLog audit, Clock clock) {
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.operators = Objects.requireNonNull(operators, "operators");
        this.enrollment = Objects.requireNonNull(enrollment, "enrollment");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @return how many directory decisions and unattributed state changes were dealt with */
    public synchronized int processPending() {
        int handled = restore(inbox.unconfirmedStates(BATCH));
        Instant now = clock.instant();
        if (!now.isBefore(nextRejectionSweep)) {
            List<DecisionInbox.UnconfirmedState> rejections = inbox.unconfirmedRejections(BATCH);
            int restored = restore(rejections);
            handled += restored;
            // A full batch that put something back may have left more: the next poll sweeps again. One that
            // could put nothing back (every entry changed meanwhile) waits for the next sweep like any other.
            nextRejectionSweep = rejections.size() == BATCH && restored > 0 ? now : now.plus(REJECTION_SWEEP);
        }
        for (DecisionInbox.Decision decision : inbox.decisions(BATCH)) {
            // Claimed first: a decision is acted on at most once, whoever else polls.
            if (inbox.claim(decision)) {
                handled++;
                act(decision);
            }
        }
        return handled;
    }

    /** Puts back the CA's state over each change still there; returns how many were put back. */
    private int restore(List<DecisionInbox.UnconfirmedState> changes) {
        int restored = 0;
        for (DecisionInbox.UnconfirmedState change : changes) {
            if (inbox.restore(change)) {
                restored++;
                undone(change);
            }
        }
        return restored;
    }

    private void undone(DecisionInbox.UnconfirmedState change) {
        String note = "egovRequestState was set to '" + change.shown() + "' by someone other than the CA (last "
                + "modifier of the entry: " + change.modifierDn() + "), so it was put back to " + change.confirmed()
                + "; to decide, add a decision entry (egovRequestDecision) below the request";
        inbox.note(change.requestId(), note);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("shown", change.shown());
        details.put("restored", change.confirmed().name());
        details.put("lastModifier", change.modifierDn());
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.DIRECTORY_CHANGE_REFUSED, AuditEvent.SYSTEM,
                List.of(change.requestId()), details));
        LOG.warn("Put request {} back to {}: its egovRequestState was set to '{}' outside the CA (last modifier {})",
                change.requestId(), change.confirmed(), change.shown(), change.modifierDn());
    }

    private void act(DecisionInbox.Decision decision) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("channel", "ldap");
        // The entry's name is the author's choice, kept short in the trail and the log (the entry itself is removed).
        context.put("decisionEntry", shorten(decision.entry(), MAX_ENTRY_NAME));
        Optional<RequestState> decided = parse(decision.decision());
        if (decision.requestId() == null || decided.isEmpty()) {
            String error = decision.requestId() == null
                    ? "a decision entry must be a direct child of a request entry under ou=requests; it was removed"
                    : "egovDecision must be APPROVED or REJECTED, not '" + shorten(decision.decision())
                            + "'; the entry was removed, add a new one";
            refuse(decision, AuditEventType.DIRECTORY_CHANGE_REFUSED, context, error);
            return;
        }
        AuditEventType type = decided.get() == RequestState.APPROVED ? AuditEventType.REQUEST_APPROVED
                : AuditEventType.REQUEST_REJECTED;
        Optional<Operator> author = operators.findByDn(decision.authorDn());
        if (author.isEmpty()) {
            refuse(decision, type, context, decision.authorDn() + " is not an active egov-pki operator; only "
                    + "reviewers bound with their own operator DN can decide requests, and not while their one-time or "
                    + "expired password is unchanged or their role needs the operator certificate, which an LDAP bind "
                    + "does not present (decide through the API with a two-factor session)");
            return;
        }
        try {
            if (decided.get() == RequestState.APPROVED) {
                enrollment.approve(author.get(), decision.requestId(), context);
            } else {
                enrollment.reject(author.get(), decision.requestId(), decision.reason(), context);
            }
            inbox.note(decision.requestId(), decided.get() + " by " + author.get().dn()
                    + " (decision entry added in the directory) was accepted");
            LOG.info("Acted on {} of request {} by {} from the directory", decided.get(), decision.requestId(),
                    author.get().dn());
        } catch (DomainException e) {
            // EnrollmentService has audited the refusal with the author as actor.
            LOG.info("Refused {} of request {} by {} from the directory: {}", decided.get(), decision.requestId(),
                    author.get().dn(), e.getMessage());
            // The note is readable by every operator: a server fault shows only its incident id.
            inbox.note(decision.requestId(), decided.get() + " by " + author.get().dn() + " was refused: "
                    + e.publicMessage());
        }
    }

    /** Audits a decision the CA would not hand to the enrollment rules at all, and notes why on the request. */
    private void refuse(DecisionInbox.Decision decision, AuditEventType type, Map<String, String> context,
                        String error) {
        Map<String, String> details = new LinkedHashMap<>(context);
        details.put("error", error);
        audit.record(AuditEvent.failure(clock.instant(), type, decision.authorDn(),
                decision.requestId() == null ? List.of() : List.of(decision.requestId()), details));
        if (decision.requestId() != null) {
            inbox.note(decision.requestId(), "the decision '" + shorten(decision.decision()) + "' added by "
                    + decision.authorDn() + " was refused: " + error);
        }
        LOG.info("Refused the directory decision {} by {}: {}", shorten(decision.entry(), MAX_ENTRY_NAME),
                decision.authorDn(), error);
    }

    /** APPROVED or REJECTED, in any case and with surrounding spaces, as a browser may write them. */
    private static Optional<RequestState> parse(String value) {
        String word = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        return switch (word) {
            case "APPROVED" -> Optional.of(RequestState.APPROVED);
            case "REJECTED" -> Optional.of(RequestState.REJECTED);
            default -> Optional.empty();
        };
    }

    private static String shorten(String value) {
        return shorten(value, 40);
    }

    private static String shorten(String value, int max) {
        if (value == null) {
            return "";
        }
        return value.length() > max ? value.substring(0, max) + "..." : value;
    }
}
