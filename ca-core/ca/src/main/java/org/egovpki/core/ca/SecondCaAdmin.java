package org.egovpki.core.ca;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.operator.Operator;

/**
 * The multi-person control of operations on a CA's key (002 §7.2.1.1: generating, updating and
 * revoking a CA private key need several people present): revoking an issuing CA and rolling a CA
 * to a new key are carried out only when two different CA admins ask for exactly the same thing
 * within {@link #WINDOW}. The first asks and is told the operation is proposed; a second, asking
 * the same with the same terms, confirms it, and only then is it done. The proposer asking again
 * with the same terms, or another admin asking with other terms while a proposal is open, is refused
 * and changes nothing; the proposer asking with other terms replaces its own proposal (a new window).
 *
 * <p>Proposals are kept in this process only: a restart forgets them (the operation then needs
 * proposing again — nothing is carried out by a restart), and with two CA processes on one
 * directory both calls must reach the same process. Every proposal and every refused confirmation
 * is audited ({@link AuditEventType#CA_OPERATION_PROPOSED}); the operation's own event names both
 * admins. Thread-safe.
 */
public final class SecondCaAdmin {

    /** How long a proposal waits for its second CA admin. */
    public static final Duration WINDOW = Duration.ofHours(1);

    /**
     * An open proposal.
     *
     * @param operation what is proposed and on which CA, e.g. {@code revoke ca sm2-issuing}
     * @param terms     what the second admin must ask for too (a revocation's reason), or "" for none
     */
    public record Proposal(String operation, String terms, String proposerUid, String proposerDn, Instant proposedAt,
                           Instant expiresAt) {
    }

    /**
     * What a call came to.
     *
     * @param proposal  the proposal this call made or confirmed
     * @param confirmed {@code true}: a second CA admin confirmed it, carry the operation out (naming
     *                  the proposer); {@code false}: this call proposed it, nothing is to be done yet
     */
    public record Answer(Proposal proposal, boolean confirmed) {
    }

    private final Map<String, Proposal> open = new HashMap<>();
    private final AuditLog audit;
    private final Clock clock;

    public SecondCaAdmin(AuditLog audit, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Call once every other check of the operation has passed, just before carrying it out.
     *
     * @param ca        the CA the operation is on, for the audit trail
     * @param operation the operation and its CA, the key proposals are kept by
     * @param terms     what both admins must agree on, "" for nothing more than the operation
     * @return the proposal made (the first call, or the proposer's with new terms) or confirmed (the second)
     * @throws DomainException CONFLICT for the proposer asking again with the same terms, or another admin
     *     asking with other terms than the open proposal's
     */
    public synchronized Answer ask(Operator operator, String ca, String operation, String terms) {
        Instant now = clock.instant();
        Proposal proposal = open.get(operation);
        if (proposal != null && !now.isBefore(proposal.expiresAt())) {
            open.remove(operation);
            proposal = null;
        }
        boolean ownProposal = proposal != null && operator.isSamePersonAs(proposal.proposerDn());
        if (proposal == null || ownProposal && !proposal.terms().equals(terms)) {
            // The proposer asking with other terms corrects its own proposal (a CA found compromised after a
            // SUPERSEDED proposal): nobody has agreed to the old terms, and waiting for them to lapse would
            // leave only the wrong reason for an hour.
            Proposal made = new Proposal(operation, terms, operator.uid(), operator.dn(), now, now.plus(WINDOW));
            open.put(operation, made);
            Map<String, String> details = details(made);
            if (proposal != null) {
                details.put("replaces", proposal.terms());
            }
            audit.record(AuditEvent.success(now, AuditEventType.CA_OPERATION_PROPOSED, operator.dn(), List.of(ca),
                    details));
            return new Answer(made, false);
        }
        if (ownProposal) {
            throw refused(operator, ca, proposal, operation + " was proposed by you at " + proposal.proposedAt()
                    + "; it needs a second CA admin, another person, to ask for the same before "
                    + proposal.expiresAt());
        }
        if (!proposal.terms().equals(terms)) {
            throw refused(operator, ca, proposal, operation + " was proposed by " + proposal.proposerUid() + " with "
                    + proposal.terms() + ", not " + terms + "; ask with the same terms to confirm it, or wait until "
                    + proposal.expiresAt() + " when it lapses");
        }
        open.remove(operation);
        return new Answer(proposal, true);
    }

    /** The proposals still open, for a look before confirming. */
    public synchronized List<Proposal> open() {
        Instant now = clock.instant();
        open.values().removeIf(p -> !now.isBefore(p.expiresAt()));
        return List.copyOf(open.values());
    }

    private DomainException refused(Operator operator, String ca, Proposal proposal, String message) {
        Map<String, String> details = details(proposal);
        details.put("error", message);
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.CA_OPERATION_PROPOSED, operator.dn(),
                List.of(ca), details));
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
