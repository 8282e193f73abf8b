package org.egovpki.core.ca;

import java.time.Clock;
import java.util.function.Predicate;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.dualcontrol.DualControl;

/**
 * The multi-person control of operations on a CA's key (002 §7.2.1.1: generating, updating and
 * revoking a CA private key need several people present): revoking an issuing CA and rolling a CA
 * to a new key are carried out only when two different CA admins ask for exactly the same thing
 * within {@link #WINDOW} ({@link DualControl}, audited as {@link AuditEventType#CA_OPERATION_PROPOSED}).
 */
public final class SecondCaAdmin extends DualControl {

    /** Every proposer still counts when the second CA admin comes (tests). */
    public SecondCaAdmin(AuditLog audit, Clock clock) {
        this(uid -> true, audit, clock);
    }

    /** @param stillCaAdmin whether the operator with this login is still an enabled CA admin */
    public SecondCaAdmin(Predicate<String> stillCaAdmin, AuditLog audit, Clock clock) {
        super("CA admin", AuditEventType.CA_OPERATION_PROPOSED, stillCaAdmin, audit, clock);
    }
}
