package org.egovpki.core.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;

/**
 * A reader's filter over the audit trail and the page asked for. Every filter is optional and
 * matches exactly: {@code from} (inclusive) and {@code to} (exclusive) the event's time,
 * {@code type} its type, {@code actor} its actor, {@code subject} one of its subjects.
 *
 * @param from    earliest event time, inclusive, or {@code null}
 * @param to      time the events must be before, or {@code null}
 * @param type    the event type, or {@code null}
 * @param actor   the actor as written (an operator DN, a service account, {@code system}), or {@code null}
 * @param subject one of the event's subjects as written, or {@code null}
 * @param limit   at most this many entries, {@value #MIN_LIMIT} to {@value #MAX_LIMIT}
 * @param cursor  the {@code next} token of the previous page (opaque, the reader's), or {@code null}
 * @param order   newest or oldest first
 */
public record AuditQuery(Instant from, Instant to, AuditEventType type, String actor, String subject, int limit,
                         String cursor, Order order) {

    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    /** In which order entries come. */
    public enum Order {
        NEWEST_FIRST,
        OLDEST_FIRST
    }

    public AuditQuery {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            throw DomainException.badRequest("limit", "limit must be a whole number from " + MIN_LIMIT + " to "
                    + MAX_LIMIT);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw DomainException.badRequest("to", "to (" + to + ") must be after from (" + from + ")");
        }
        if (actor != null && actor.isBlank()) {
            throw DomainException.badRequest("actor", "actor must not be empty; leave it out to match every actor");
        }
        if (subject != null && subject.isBlank()) {
            throw DomainException.badRequest("subject", "subject must not be empty; leave it out to match every subject");
        }
        if (order == null) {
            order = Order.NEWEST_FIRST;
        }
    }

    /** Everything, newest first, the default page size. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, DEFAULT_LIMIT, null, Order.NEWEST_FIRST);
    }

    /** Whether an event with these fields passes the filter (not the cursor: that is the reader's). */
    public boolean matches(Instant time, String eventType, String eventActor, Iterable<String> subjects) {
        if (from != null && time.isBefore(from) || to != null && !time.isBefore(to)) {
            return false;
        }
        if (type != null && !type.name().equals(eventType) || actor != null && !actor.equals(eventActor)) {
            return false;
        }
        if (subject == null) {
            return true;
        }
        for (String s : subjects) {
            if (subject.equals(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The filter as audit details. Actor and subject are what the reader typed, which may be a
     * personal number the trail itself holds only masked, so number-like tokens are masked here too.
     */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        if (from != null) {
            d.put("from", from.toString());
        }
        if (to != null) {
            d.put("to", to.toString());
        }
        if (type != null) {
            d.put("type", type.name());
        }
        if (actor != null) {
            d.put("actor", PersonalData.maskNumbersIn(actor));
        }
        if (subject != null) {
            d.put("subject", PersonalData.maskNumbersIn(subject));
        }
        d.put("order", order.name());
        d.put("limit", Integer.toString(limit));
        d.put("page", cursor == null ? "first" : "next");
        return d;
    }
}
