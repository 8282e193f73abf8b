package org.egovpki.core.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One event as the trail holds it, read back: its sequence number and the fields the writer
 * wrote, unchanged (personal data in them is masked by the writers, never by the reader). Type and
 * outcome stay text, so a reader shows an archived trail whatever types it contains.
 */
public record AuditEntry(long sequence, Instant time, String type, String actor, List<String> subjects,
                         Map<String, String> details, String outcome) {

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(outcome, "outcome");
        subjects = List.copyOf(subjects);
        details = Collections.unmodifiableMap(new TreeMap<>(details));
    }
}
