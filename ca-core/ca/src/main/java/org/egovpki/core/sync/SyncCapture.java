package org.egovpki.core.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.egovpki.core.event.CertificateIssued;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.CrlPublished;
import org.egovpki.core.event.LifecycleEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's capture worker (bean {@value #BEAN}): turns owed-event markers into outbox entries,
 * removes the markers, then fans the new events out to the targets.
 *
 * <p>The markers are the source of truth: the change wrote its marker in its own modify, so a
 * lifecycle event ({@link #on}) only wakes the worker early, and the same pass, run at start-up
 * and every few seconds ({@link #start}), sweeps whatever a crash left behind. One thread does all
 * of it, so outbox sequences are assigned and fanned out in one order; the caller of {@link #on}
 * (issuance, revocation, CRL publication) is never blocked and never sees a failure.
 */
public final class SyncCapture implements AutoCloseable {

    /** The bean name the lifecycle-events route calls. */
    public static final String BEAN = "syncCapture";

    private static final Logger LOG = LoggerFactory.getLogger(SyncCapture.class);
    private static final int BATCH = 500;
    /**
     * How long a stop waits for the pass under way (a million-entry CRL's event takes a few seconds)
     * before interrupting it; an interrupted pass loses nothing, its markers stay for the next start.
     */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final SyncMarkers markers;
    private final SyncMarkers.Resolver source;
    private final SyncOutbox outbox;
    private final SyncFanOut fanOut;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    private volatile boolean closing;

    public SyncCapture(SyncMarkers markers, SyncMarkers.Resolver source, SyncOutbox outbox, SyncFanOut fanOut) {
        this.markers = Objects.requireNonNull(markers, "markers");
        this.source = Objects.requireNonNull(source, "source");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "egov-pki-sync-capture");
            t.setDaemon(true);
            return t;
        });
    }

    /** Sweeps at once, then every {@code every}. */
    public void start(Duration every) {
        worker.scheduleWithFixedDelay(this::passLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A lifecycle event: wakes the worker if it is one the sync sends. Returns at once and never
     * throws; if the wake-up is lost the next sweep captures the event.
     */
    public void on(LifecycleEvent event) {
        if (closing || !(event instanceof CertificateIssued || event instanceof CertificateRevoked
                || event instanceof CrlPublished)) {
            return; // stopping: the marker stays, and the next start's sweep captures the event
        }
        try {
            if (wakeUpQueued.compareAndSet(false, true)) {
                worker.execute(() -> {
                    wakeUpQueued.set(false);
                    passLogged();
                });
            }
        } catch (RuntimeException e) {
            wakeUpQueued.set(false);
            if (closing) {
                LOG.info("Sync capture not woken: stopping; the next start captures the event");
            } else {
                LOG.warn("Sync capture not woken ({}); the next sweep captures the event", e.toString());
            }
        }
    }

    /**
     * One pass, in the caller's thread: every marker to the outbox, then the fan-out. Only for the
     * worker and for tests that drive it step by step; never call it concurrently with the worker.
     *
     * @return how many markers it captured
     */
    public int pass() {
        int captured = 0;
        Set<SyncMarkers.Owed> seen = new HashSet<>();
        List<SyncMarkers.Owed> owed;
        // A marker that cannot be discharged (malformed, written by hand) is seen again: the pass ends
        // when a batch brings nothing new instead of looping on it.
        while (!(owed = markers.owed(BATCH).stream().filter(seen::add).toList()).isEmpty()) {
            List<Captured> batch = new ArrayList<>();
            for (SyncMarkers.Owed o : owed) {
                try {
                    batch.add(new Captured(o, source.resolve(o)));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Sync marker {} of CA {} is not one egov-pki writes; left in place: {}", o.marker(),
                            o.ca(), e.getMessage());
                }
            }
            batch.sort(ORDER);
            for (Captured c : batch) {
                c.event().ifPresent(outbox::append);
                markers.discharge(c.owed());
                captured++;
            }
        }
        fanOut.run();
        return captured;
    }

    private void passLogged() {
        if (closing) {
            // A wake-up queued before the stop: the executor still runs it after shutdown(), but the
            // stop waits only for the pass under way, so this one leaves its markers to the next start.
            return;
        }
        try {
            pass();
        } catch (RuntimeException e) {
            if (closing) {
                LOG.info("Sync capture pass cut short by the stop ({}); the next start captures what it left",
                        e.toString());
            } else {
                LOG.warn("Sync capture pass failed, retried at the next sweep: {}", e.toString());
            }
        }
    }

    /**
     * Stops the worker: no new pass starts, and the pass under way finishes (up to {@link #STOP_WAIT})
     * while the directory is still open, instead of failing half-way with an interrupted LDAP call.
     */
    @Override
    public void close() {
        closing = true;
        worker.shutdown();
        try {
            if (!worker.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.info("Sync capture still busy {} s after the stop began; interrupted, the next start captures "
                        + "what it left", STOP_WAIT.toSeconds());
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** A marker and the event it stands for (none: the marker is discharged without an event). */
    private record Captured(SyncMarkers.Owed owed, Optional<SyncEvent> event) {
    }

    /**
     * The order a sweep appends in: by when the change happened; for one certificate, issued before
     * revoked; a CRL after the revocations it lists (thisUpdate is later than their time).
     */
    private static final Comparator<Captured> ORDER = Comparator
            .comparing((Captured c) -> c.event().map(SyncEvent::time).orElse(java.time.Instant.MIN))
            .thenComparing(c -> c.event().map(e -> e.type().ordinal()).orElse(0));
}
