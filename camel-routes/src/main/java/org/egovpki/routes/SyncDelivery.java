package org.egovpki.routes;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each sync target's queue in sequence order, one message in flight per target (the bean
 * of {@link SyncDeliveryRoute}). Every round re-reads the target's settings and {@link TargetState}
 * from the {@link SyncStore}, because an administrator may have edited, re-driven, skipped or
 * replayed it in an LDAP browser; the state is then moved by compare-and-swap, and a swap that
 * fails means an administrator acted meanwhile: the round starts again from what is stored.
 *
 * <ul>
 *   <li>2xx: {@code lastDelivered = sequence}, attempts 0, {@code lastSuccessAt}; the next message follows at once.</li>
 *   <li>a failure: attempts + 1, {@code lastError}, {@code nextAttemptAt} from the {@link Backoff}
 *       (or the receiver's {@code Retry-After}); at {@code maxAttempts} failed attempts the message is
 *       parked and the target pauses — nothing behind it is sent until an administrator re-drives
 *       ({@code parked} false; the attempts count starts again) or skips it.</li>
 *   <li>a disabled target is left alone; a scheduled target (a Quartz cron in {@code schedule},
 *       in the clock's time zone) delivers, at each fire, what was enqueued up to that fire.</li>
 * </ul>
 *
 * Nothing here runs in the thread of an issuance, a revocation or a CRL publication: the capture
 * only calls {@link RoutedSyncDeliveryTrigger}, which queues the target's id in memory.
 */
public final class SyncDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(SyncDelivery.class);

    private final SyncStore store;
    private final SyncTransport transport;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Clock clock;
    private final SyncMetrics metrics;

    /** Targets a worker is delivering now: at most one worker per target. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Targets whose id waits in the route's queue, so a busy target is queued once, not once per event. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Targets told of new messages: the worker delivering them looks once more before it lets go. */
    private final Set<String> woken = ConcurrentHashMap.newKeySet();
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();

    /** A scheduled target's cron, its next fire, and the last sequence the latest fire released. */
    private record Batch(String cron, Instant nextFire, long until) {
    }

    public SyncDelivery(SyncStore store, SyncTransport transport, Backoff backoff, int maxAttempts, Clock clock,
                        SyncMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("sync.retry.maxAttempts must be at least 1, is " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /**
     * The poll: the enabled targets not already waiting in the queue (they are queued now). Cheap —
     * the targets' settings only; each worker reads its target's state.
     */
    public List<String> dueTargets() {
        List<String> due = new ArrayList<>();
        for (SyncTarget target : store.targets()) {
            if (target.enabled() && queued.add(target.id())) {
                due.add(target.id());
            }
        }
        return due;
    }

    /**
     * New messages for {@code targetId}: {@code true} if its id should be put in the queue (it is
     * not there yet), {@code false} if the queue or a running worker will see them anyway.
     */
    boolean wake(String targetId) {
        woken.add(targetId);
        return queued.add(targetId);
    }

    /** The queue refused {@code targetId} (full, or stopping): the poll will queue it again. */
    void unqueued(String targetId) {
        queued.remove(targetId);
    }

    /**
     * A worker's turn at one target: delivers its head messages while they are due and succeed.
     *
     * @return how many messages were delivered
     */
    public int deliver(String targetId) {
        queued.remove(targetId);
        int delivered = 0;
        while (inFlight.add(targetId)) {
            try {
                do {
                    woken.remove(targetId);
                    delivered += drain(targetId);
                } while (woken.contains(targetId));
            } finally {
                inFlight.remove(targetId);
            }
            // Woken after the last look but before letting go: that wake's worker found us in flight.
            if (!woken.contains(targetId)) {
                break;
            }
        }
        return delivered;
    }

    private int drain(String targetId) {
        int delivered = 0;
        Round round;
        while ((round = deliverHead(targetId)) != Round.STOP) {
            if (round == Round.DELIVERED) {
                delivered++;
            }
        }
        return delivered;
    }

    private enum Round { DELIVERED, AGAIN, STOP }

    /** One attempt at the target's head, if one is due. */
    private Round deliverHead(String targetId) {
        Optional<SyncTarget> found = store.target(targetId);
        if (found.isEmpty() || !found.get().enabled()) {
            return Round.STOP;
        }
        SyncTarget target = found.get();
        TargetState state = store.state(targetId);
        Instant now = clock.instant();
        long releasedUpTo = target.realtime() ? Long.MAX_VALUE : released(target, state, now);
        if (state.parked() || state.pending() <= 0 || state.lastDelivered() >= releasedUpTo
                || (state.nextAttemptAt() != null && now.isBefore(state.nextAttemptAt()))) {
            return Round.STOP;
        }
        long sequence = state.lastDelivered() + 1;
        // A parked head that an administrator re-drove starts counting its attempts again.
        int attempt = (state.attempts() >= maxAttempts ? 0 : state.attempts()) + 1;
        Optional<SyncMessage> message = store.message(targetId, sequence);
        SyncTransport.Outcome outcome = message.isPresent()
                ? transport.send(target, message.get(), attempt)
                : SyncTransport.Outcome.failed(0, "message " + sequence + " is not in the queue", null);
        Instant done = clock.instant();
        TargetState next;
        if (outcome.delivered()) {
            next = new TargetState(state.lastEnqueued(), sequence, false, 0, null, done, done, null);
        } else {
            boolean park = attempt >= maxAttempts;
            next = new TargetState(state.lastEnqueued(), state.lastDelivered(), park, attempt, outcome.error(), done,
                    state.lastSuccessAt(), park ? null : done.plus(backoff.delay(attempt, outcome.retryAfter())));
        }
        if (!store.updateState(targetId, state, next)) {
            LOG.info("Sync target {}: its delivery state changed during attempt {} at message {} (an administrator's "
                    + "re-drive, skip or replay); continuing from the stored state", targetId, attempt, sequence);
            return Round.AGAIN;
        }
        metrics.attempt(targetId, outcome);
        if (outcome.delivered()) {
            return Round.DELIVERED;
        }
        if (next.parked()) {
            LOG.warn("Sync target {} paused: message {} parked after {} failed attempts, the last: {}. "
                    + "Re-drive or skip it to go on", targetId, sequence, attempt, outcome.error());
        } else {
            LOG.debug("Sync target {}: attempt {} at message {} failed ({}); next at {}", targetId, attempt, sequence,
                    outcome.error(), next.nextAttemptAt());
        }
        return Round.STOP;
    }

    /** The last sequence a scheduled target may be sent now: what was enqueued when its cron last fired. */
    private long released(SyncTarget target, TargetState state, Instant now) {
        Batch batch = batches.compute(target.id(), (id, old) -> {
            if (old == null || !old.cron().equals(target.schedule())) {
                return new Batch(target.schedule(), nextFire(target, now), old == null ? 0 : old.until());
            }
            if (old.nextFire() != null && !now.isBefore(old.nextFire())) {
                return new Batch(old.cron(), nextFire(target, now), state.lastEnqueued());
            }
            return old;
        });
        return batch.until();
    }

    /** The cron's next fire after {@code now}; {@code null} (never) for a cron Quartz does not accept. */
    private Instant nextFire(SyncTarget target, Instant now) {
        try {
            CronExpression cron = new CronExpression(target.schedule());
            cron.setTimeZone(TimeZone.getTimeZone(clock.getZone()));
            Date next = cron.getNextValidTimeAfter(Date.from(now));
            return next == null ? null : next.toInstant();
        } catch (ParseException e) {
            LOG.warn("Sync target {} is not delivered: its schedule '{}' is neither 'realtime' nor a Quartz cron ({})",
                    target.id(), target.schedule(), e.getMessage());
            return null;
        }
    }
}
