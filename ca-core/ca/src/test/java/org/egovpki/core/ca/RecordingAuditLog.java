package org.egovpki.core.ca;

import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;

/** Keeps audit events in memory so tests can assert what was recorded. */
public final class RecordingAuditLog implements AuditLog {

    public final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized long record(AuditEvent event) {
        events.add(event);
        return events.size();
    }

    public synchronized List<AuditEvent> ofType(AuditEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }
}
