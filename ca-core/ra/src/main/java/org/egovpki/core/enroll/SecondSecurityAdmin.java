package org.egovpki.core.enroll;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.SeparationOfDuties;

/**
 * The operator changes that hand out a credential for another operator — creating an operator,
 * resetting its password, binding a certificate to it — done only when two security admins (or
 * super admins) ask for exactly the same ({@link DualControl}, audited as
 * {@link AuditEventType#OPERATOR_CHANGE_PROPOSED}; 003 §5.2.2). A proposer disabled or no longer a
 * security admin when the second comes no longer counts. Where no other enabled security admin could
 * confirm — none but the caller and the operator the change concerns, who may not confirm a change
 * to itself — the call is refused at once, naming the local bootstrap that creates one, rather than
 * leaving a proposal nobody can take up. Thread-safe.
 */
final class SecondSecurityAdmin {

    private final OperatorAccounts accounts;
    private final DualControl proposals;
    private final AuditLog audit;
    private final Clock clock;

    SecondSecurityAdmin(OperatorAccounts accounts, AuditLog audit, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.proposals = new DualControl("security admin", AuditEventType.OPERATOR_CHANGE_PROPOSED,
                uid -> accounts.enabledAnd(uid, SeparationOfDuties::managesOperators), audit, clock);
    }

    /**
     * Proposes or confirms; call once every other check of the change has passed. Once confirmed,
     * {@code change} is carried out; if it fails, the proposal is open again ({@link DualControl#decide}).
     *
     * @param subject   the operator's DN (or login, before it exists), for the audit trail
     * @param target    the operator the change is made to, which may not confirm a change to itself
     *                  (it may not reset its own password, change its own roles or replace its own
     *                  certificate); {@code null} for a creation
     * @param operation the change and its operator, the key proposals are kept by
     * @param terms     what both must agree on, "" for nothing more than the operation
     * @param change    the change, given the confirmed proposal (whose proposer the audit names)
     * @throws DomainException CONFLICT where no other security admin could confirm, or as
     *     {@link DualControl#ask} refuses
     */
    <T> DualControl.Outcome<T> decide(Operator actor, String subject, Operator target, String operation, String terms,
                                      Function<DualControl.Proposal, T> change) {
        boolean another = accounts.list().stream().anyMatch(a -> a.enabled()
                && !actor.isSamePersonAs(a.operator().dn())
                && (target == null || !target.isSamePersonAs(a.operator().dn()))
                && SeparationOfDuties.managesOperators(a.operator()));
        if (!another) {
            // The operator a change concerns may not confirm it (no change to oneself), so with two security
            // admins one of them cannot have its password reset or certificate replaced: say so now.
            String others = target != null && SeparationOfDuties.managesOperators(target)
                    ? "and the only enabled ones are operator '" + actor.uid() + "' and operator '" + target.uid()
                            + "', whom it concerns and who may not confirm a change to itself"
                    : "and operator '" + actor.uid() + "' is the only enabled one";
            DomainException refusal = DomainException.conflict(operation + " needs a second security admin, another "
                    + "person, " + others + ": create another on the CA host with egov-pki operator add --role "
                    + "SECURITY_ADMIN (docs/operations.md, \"Managing operators\")");
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                    List.of(subject), Map.of("action", operation, "reason", refusal.getMessage())));
            throw refusal;
        }
        return proposals.decide(actor, subject, operation, terms, change);
    }
}
