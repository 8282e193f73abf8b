package org.egovpki.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditLog;

/**
 * The audit trail for what starts before the trail itself can be opened. The trail is checked
 * against its anchor in the directory, so it opens only once the directory runs; but the
 * directory's bind guard audits lockouts from the moment its LDAP port listens. Events recorded in
 * between are held here, in order, and recorded in the trail when it is {@link #attach attached};
 * after that every event goes straight through. Nothing is lost and nothing is reordered.
 */
public final class PendingAuditLog implements AuditLog {

    private final List<AuditEvent> held = new ArrayList<>();
    private AuditLog trail;

    /**
     * Records the event in the trail, or holds it until the trail is attached.
     *
     * @return the trail's sequence number, or 0 while the event is held
     */
    @Override
    public long record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        AuditLog target;
        synchronized (this) {
            if (trail == null) {
                held.add(event);
                return 0;
            }
            target = trail;
        }
        return target.record(event);
    }

    /** Records the held events in the trail, in order, and sends every later event straight to it. */
    public synchronized void attach(AuditLog opened) {
        Objects.requireNonNull(opened, "opened");
        if (trail != null) {
            throw new IllegalStateException("the audit trail is attached already");
        }
        for (AuditEvent event : held) {
            opened.record(event);
        }
        held.clear();
        trail = opened;
    }
}
