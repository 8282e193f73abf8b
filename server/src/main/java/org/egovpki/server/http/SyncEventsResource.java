package org.egovpki.server.http;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.DomainException;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTargets;

/**
 * {@code GET /sync/targets/{id}/events?after=N&limit=M}, the pull endpoint (docs/sync.md): a
 * receiver catches up by itself on the very bytes and signatures that are pushed to it, in
 * sequence order. Who may read a target's queue is {@link SyncTargets#messages}'s rule (CA_ADMIN
 * or AUDITOR). Delivered messages
 * stay for {@code sync.retentionDays}; a receiver asking for older ones sees the first sequence it
 * gets jump past {@code after + 1}.
 */
final class SyncEventsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final SyncTargets targets;

    /**
     * @param targets the targets' administration; with {@code sync.enabled: false} nothing new is
     *                enqueued, and what is held can still be pulled. {@code null}: no sync store at all.
     */
    SyncEventsResource(SyncTargets targets) {
        this.targets = targets;
    }

    void events(ApiCall call) {
        if (targets == null) {
            throw DomainException.unavailable("sync targets are not available: this server runs without the sync "
                    + "store", null);
        }
        String id = call.param("id");
        long after = after(call);
        int limit = QueryParams.intParam(call, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<Map<String, Object>> events = new ArrayList<>();
        long next = after;
        Base64.Encoder b64 = Base64.getEncoder();
        for (SyncMessage message : targets.messages(call.operator(), id, after, limit)) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("sequence", message.sequence());
            event.put("eventId", message.eventId());
            event.put("body", b64.encodeToString(message.body()));
            event.put("signature", b64.encodeToString(message.signature()));
            events.add(event);
            next = message.sequence();
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("events", events);
        v.put("next", next);
        call.json(200, v);
    }

    private static long after(ApiCall call) {
        String value = call.query("after");
        if (value == null) {
            return 0;
        }
        try {
            long after = Long.parseLong(value);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw DomainException.badRequest("after", "after must be a sequence number, 0 or more (the last one received)");
    }
}
