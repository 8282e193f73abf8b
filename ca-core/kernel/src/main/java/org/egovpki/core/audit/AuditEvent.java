package org.egovpki.core.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One structured audit record: what happened, when, who did it, to which entities, with which
 * outcome. The sequence number and the tamper-evidence are the store's job, not the caller's.
 *
 * @param time     when the action happened (from the injected clock)
 * @param type     the event type
 * @param actor    who acted: an operator DN, a service account, or {@code "system"}
 * @param subjects the entities acted on (CA names, serials, request ids, DNs)
 * @param details  further facts as sorted key/value pairs; never secrets
 * @param outcome  success or failure
 */
public record AuditEvent(
        Instant time,
        AuditEventType type,
        String actor,
        List<String> subjects,
        Map<String, String> details,
        AuditOutcome outcome) {

    /** The actor recorded for actions the server takes on its own (start-up, schedules). */
    public static final String SYSTEM = "system";

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        subjects = List.copyOf(subjects);
        details = Collections.unmodifiableMap(new TreeMap<>(details));
    }

    public static AuditEvent success(Instant time, AuditEventType type, String actor,
                                     List<String> subjects, Map<String, String> details) {
        return new AuditEvent(time, type, actor, subjects, details, AuditOutcome.SUCCESS);
    }

    public static AuditEvent failure(Instant time, AuditEventType type, String actor,
                                     List<String> subjects, Map<String, String> details) {
        return new AuditEvent(time, type, actor, subjects, details, AuditOutcome.FAILURE);
    }
}
