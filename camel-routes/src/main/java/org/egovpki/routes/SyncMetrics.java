package org.egovpki.routes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;

/**
 * The sync's Prometheus metrics, per target, in the text exposition format 0.0.4: the gauges are
 * read from the {@link SyncStore} at each scrape (what an administrator sees in the directory), the
 * attempt counters are this process's since it started. Nothing in them is personal data: target
 * ids, counts and times.
 */
public final class SyncMetrics {

    /** The content type of {@link #render()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final SyncStore store;
    private final Clock clock;
    private final Map<String, Map<String, LongAdder>> attempts = new ConcurrentHashMap<>();

    public SyncMetrics(SyncStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts one attempt: {@code delivered}, {@code retry_after} (failed with a Retry-After) or {@code failed}. */
    void attempt(String targetId, SyncTransport.Outcome outcome) {
        String label = outcome.delivered() ? "delivered" : outcome.retryAfter() != null ? "retry_after" : "failed";
        attempts.computeIfAbsent(targetId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(label, l -> new LongAdder()).increment();
    }

    /** Every metric of every target, as {@code GET /metrics} answers it. */
    public String render() {
        Instant now = clock.instant();
        StringBuilder lag = header("egovpki_sync_lag_events", "gauge",
                "Messages enqueued for the target and not yet delivered.");
        StringBuilder age = header("egovpki_sync_oldest_pending_age_seconds", "gauge",
                "Seconds since the oldest undelivered message was enqueued; 0 when none.");
        StringBuilder parked = header("egovpki_sync_parked", "gauge",
                "1 when the target's head message is parked and the target paused, else 0.");
        StringBuilder success = header("egovpki_sync_last_success_timestamp_seconds", "gauge",
                "Unix time of the target's last delivery; 0 when none yet.");
        StringBuilder counted = header("egovpki_sync_delivery_attempts_total", "counter",
                "Delivery attempts since the server started, by outcome (delivered, failed, retry_after).");
        for (SyncTarget target : store.targets()) {
            String id = target.id();
            TargetState state = store.state(id);
            String labels = "{target=\"" + escape(id) + "\"}";
            sample(lag, "egovpki_sync_lag_events", labels, Math.max(0, state.pending()));
            sample(age, "egovpki_sync_oldest_pending_age_seconds", labels, oldestPendingAge(id, state, now));
            sample(parked, "egovpki_sync_parked", labels, state.parked() ? 1 : 0);
            sample(success, "egovpki_sync_last_success_timestamp_seconds", labels,
                    state.lastSuccessAt() == null ? 0 : state.lastSuccessAt().toEpochMilli() / 1000.0);
            Map<String, LongAdder> byOutcome = attempts.getOrDefault(id, Map.of());
            for (String outcome : new String[] {"delivered", "failed", "retry_after"}) {
                LongAdder n = byOutcome.get(outcome);
                sample(counted, "egovpki_sync_delivery_attempts_total",
                        "{target=\"" + escape(id) + "\",outcome=\"" + outcome + "\"}", n == null ? 0 : n.sum());
            }
        }
        return lag.append(age).append(parked).append(success).append(counted).toString();
    }

    private double oldestPendingAge(String targetId, TargetState state, Instant now) {
        if (state.pending() <= 0) {
            return 0;
        }
        return store.message(targetId, state.lastDelivered() + 1).map(SyncMessage::enqueuedAt)
                .map(at -> Math.max(0, Duration.between(at, now).toMillis() / 1000.0)).orElse(0.0);
    }

    private static StringBuilder header(String name, String type, String help) {
        return new StringBuilder("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    /** A label value as the format requires: backslash, double quote and line feed escaped. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
