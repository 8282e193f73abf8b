package org.egovpki.core.dualcontrol;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.operator.Operator;

/**
 * Dual control (003 §5.2.2: operations on sensitive matters are done by two people; 002 §7.2.1.1
 * for CA keys): an operation is carried out only when two different operators of one kind ask for
 * exactly the same thing within {@link #WINDOW}. The first asks and is told the operation is
 * proposed; a second, asking the same with the same terms, confirms it, and only then is it done.
 * The proposer asking again with the same terms, or another operator asking with other terms while
 * a proposal is open, is refused and changes nothing; the proposer asking with other terms replaces
 * its own proposal (a new window). A proposer that may no longer propose when the second operator
 * comes (disabled, or its role taken away: {@code stillEntitled}) no longer counts: its proposal
 * lapses, audited, and the second operator's call becomes the proposal.
 *
 * <p>Proposals are kept in this process only: a restart forgets them (the operation then needs
 * proposing again — nothing is carried out by a restart), and with two CA processes on one
 * directory both calls must reach the same process. Every proposal and every refused confirmation
 * is audited (the event type given); the operation's own event names both operators. Thread-safe.
 */
public class DualControl {

    /** How long a proposal waits for its second operator. */
    public static final Duration WINDOW = Duration.ofHours(1);

    /**
     * An open proposal.
     *
     * @param operation what is proposed and on what, e.g. {@code revoke CA sm2-issuing}
     * @param terms     what the second operator must ask for too (a revocation's reason), or "" for none
     */
    public record Proposal(String operation, String terms, String proposerUid, String proposerDn, Instant proposedAt,
                           Instant expiresAt) {
    }

    /**
     * What a call came to.
     *
     * @param proposal  the proposal this call made or confirmed
     * @param confirmed {@code true}: a second operator confirmed it, carry the operation out (naming
     *                  the proposer); {@code false}: this call proposed it, nothing is to be done yet
     */
    public record Answer(Proposal proposal, boolean confirmed) {
    }

    /**
     * An operation under dual control as its service answers it.
     *
     * @param proposal the proposal made (nothing done: {@code result} is {@code null}) or confirmed
     * @param result   what the confirmed operation gave; {@code null} while it waits for the second operator
     */
    public record Outcome<T>(Proposal proposal, T result) {

        /** Whether the operation was carried out. */
        public boolean done() {
            return result != null;
        }
    }

    private final Map<String, Proposal> open = new HashMap<>();
    private final String who;
    private final AuditEventType proposed;
    private final Predicate<String> stillEntitled;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param who           the kind of operator both must be, for the messages ({@code CA admin})
     * @param proposed      the audit event of a proposal and of a refused confirmation
     * @param stillEntitled whether the operator with this login may still propose, asked of the proposer
     *                      when the second operator comes
     */
    public DualControl(String who, AuditEventType proposed, Predicate<String> stillEntitled, AuditLog audit,
                       Clock clock) {
        this.who = Objects.requireNonNull(who, "who");
        this.proposed = Objects.requireNonNull(proposed, "proposed");
        this.stillEntitled = Objects.requireNonNull(stillEntitled, "stillEntitled");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Call once every other check of the operation has passed, just before carrying it out.
     *
     * @param subject   what the operation is on (a CA, an operator's DN), for the audit trail
     * @param operation the operation and what it is on, the key proposals are kept by
     * @param terms     what both operators must agree on, "" for nothing more than the operation
     * @return the proposal made (the first call, or the proposer's with new terms) or confirmed (the second)
     * @throws DomainException CONFLICT for the proposer asking again with the same terms, or another
     *     operator asking with other terms than the open proposal's
     */
    public synchronized Answer ask(Operator operator, String subject, String operation, String terms) {
        Instant now = clock.instant();
        Proposal proposal = open.get(operation);
        if (proposal != null && !now.isBefore(proposal.expiresAt())) {
            open.remove(operation);
            proposal = null;
        }
        boolean ownProposal = proposal != null && operator.isSamePersonAs(proposal.proposerDn());
        if (proposal != null && !ownProposal && !stillEntitled.test(proposal.proposerUid())) {
            // The proposer was disabled or lost its role meanwhile: one person's word is left, not two.
            Map<String, String> details = details(proposal);
            details.put("error", "lapsed: " + proposal.proposerUid() + " may no longer propose it");
            audit.record(AuditEvent.failure(now, proposed, operator.dn(), List.of(subject), details));
            open.remove(operation);
            proposal = null;
        }
        if (proposal == null || ownProposal && !proposal.terms().equals(terms)) {
            // The proposer asking with other terms corrects its own proposal (a CA found compromised after a
            // SUPERSEDED proposal): nobody has agreed to the old terms, and waiting for them to lapse would
            // leave only the wrong terms for an hour.
            Proposal made = new Proposal(operation, terms, operator.uid(), operator.dn(), now, now.plus(WINDOW));
            open.put(operation, made);
            Map<String, String> details = details(made);
            if (proposal != null) {
                details.put("replaces", proposal.terms());
            }
            audit.record(AuditEvent.success(now, proposed, operator.dn(), List.of(subject), details));
            return new Answer(made, false);
        }
        if (ownProposal) {
            throw refused(operator, subject, proposal, operation + " was proposed by you at " + proposal.proposedAt()
                    + "; it needs a second " + who + ", another person, to ask for the same before "
                    + proposal.expiresAt());
        }
        if (!proposal.terms().equals(terms)) {
            throw refused(operator, subject, proposal, operation + " was proposed by " + proposal.proposerUid()
                    + " with " + proposal.terms() + ", not " + terms + "; ask with the same terms to confirm it, or "
                    + "wait until " + proposal.expiresAt() + " when it lapses");
        }
        open.remove(operation);
        return new Answer(proposal, true);
    }

    /**
     * {@link #ask}, then, once confirmed, carries the operation out with {@code action}. If the action
     * fails (the directory down, a conflict found only now), the proposal is open again until it would
     * have lapsed, so the confirmer's retry confirms it rather than proposing anew; the failure is
     * audited and rethrown.
     *
     * @param action the operation, given the confirmed proposal; returns what it gave (never {@code null})
     */
    public <T> Outcome<T> decide(Operator operator, String subject, String operation, String terms,
                                 Function<Proposal, T> action) {
        Answer answer = ask(operator, subject, operation, terms);
        if (!answer.confirmed()) {
            return new Outcome<>(answer.proposal(), null);
        }
        try {
            return new Outcome<>(answer.proposal(), Objects.requireNonNull(action.apply(answer.proposal()),
                    "the operation's result"));
        } catch (RuntimeException e) {
            reopen(answer.proposal(), operator, subject, e);
            throw e;
        }
    }

    /**
     * A confirmed proposal whose operation failed: open again (unless another was made meanwhile or
     * its hour is over), audited with the failure, so the same confirmation can be made again.
     */
    public synchronized void reopen(Proposal proposal, Operator confirmer, String subject, RuntimeException failure) {
        Instant now = clock.instant();
        boolean reopened = now.isBefore(proposal.expiresAt()) && open.putIfAbsent(proposal.operation(), proposal) == null;
        Map<String, String> details = details(proposal);
        details.put("error", "confirmed by " + confirmer.uid() + " but not carried out: " + DomainException.describe(failure)
                + (reopened ? "; the proposal is open again until " + proposal.expiresAt() : ""));
        audit.record(AuditEvent.failure(now, proposed, confirmer.dn(), List.of(subject), details));
    }

    /** The proposals still open, for a look before confirming. */
    public synchronized List<Proposal> open() {
        Instant now = clock.instant();
        open.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        return List.copyOf(open.values());
    }

    private DomainException refused(Operator operator, String subject, Proposal proposal, String message) {
        Map<String, String> details = details(proposal);
        details.put("error", message);
        audit.record(AuditEvent.failure(clock.instant(), proposed, operator.dn(), List.of(subject), details));
        return DomainException.conflict(message);
    }

    private static Map<String, String> details(Proposal proposal) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("operation", proposal.operation());
        if (!proposal.terms().isEmpty()) {
            details.put("terms", proposal.terms());
        }
        details.put("proposedBy", proposal.proposerDn());
        details.put("expiresAt", proposal.expiresAt().toString());
        return details;
    }
}
