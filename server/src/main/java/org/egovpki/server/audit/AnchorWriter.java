package org.egovpki.server.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an audit trail's directory anchor behind the file, on a thread of its own, so that
 * recording an event never waits for the directory. {@link #offer} only notes the newest line on
 * disk; the thread seals and writes the newest line it finds, so one directory write covers every
 * event that arrived since the previous one (a burst of events costs a few anchor writes, not one
 * each). Between two writes it waits at least {@code spacing} (default {@value #SPACING_MILLIS} ms),
 * so under load the anchor costs the directory at most a few writes a second, whatever the event
 * rate; an event after a quiet spell is written at once.
 *
 * <p>Invariants: only lines already forced to disk are offered, so the anchor may lag the file,
 * never lead it; {@link #anchored()} only ever reports a sequence the directory accepted, so a
 * checkpoint that records it never claims more than the directory holds. A failed write is logged
 * (once per run of failures, and again when it recovers) and retried after a pause that doubles
 * up to {@code maxPause}, also when no new event arrives. {@link #flush} writes in the caller's
 * thread, for start and stop; {@link #close} stops the thread and writes the final anchor.
 */
final class AnchorWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnchorWriter.class);
    static final long SPACING_MILLIS = 200;
    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** A line on disk: its sequence and the hash the anchor seals. */
    private record Line(long sequence, String hash) {
    }

    private final String trail;
    private final AuditSeal seal;
    private final AuditAnchors anchors;
    private final Clock clock;
    private final Duration spacing;
    private final Duration firstPause;
    private final Duration maxPause;
    private final Thread thread;

    /** Guards {@link #newest} and {@link #closed}; held only for moments, never over a directory write. */
    private final Object state = new Object();
    private Line newest;
    private boolean closed;

    /** Serialises directory writes between the thread and {@link #flush}; guards {@link #failing}. */
    private final Object writing = new Object();
    /** The sequence the directory anchor is known to seal (0: none, or not known); written under {@link #writing}. */
    private volatile long anchored;
    private boolean failing;

    AnchorWriter(String trail, AuditSeal seal, AuditAnchors anchors, Clock clock, long anchored) {
        this(trail, seal, anchors, clock, anchored, Duration.ofMillis(SPACING_MILLIS), FIRST_PAUSE, MAX_PAUSE);
    }

    AnchorWriter(String trail, AuditSeal seal, AuditAnchors anchors, Clock clock, long anchored, Duration spacing,
                 Duration firstPause, Duration maxPause) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.anchors = Objects.requireNonNull(anchors, "anchors");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.spacing = Objects.requireNonNull(spacing, "spacing");
        this.firstPause = Objects.requireNonNull(firstPause, "firstPause");
        this.maxPause = Objects.requireNonNull(maxPause, "maxPause");
        if (spacing.isNegative() || firstPause.isNegative() || firstPause.isZero() || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("the anchor spacing must be >= 0 and the retry pauses positive, first "
                    + "<= max: " + spacing + ", " + firstPause + ", " + maxPause);
        }
        this.anchored = anchored;
        this.thread = new Thread(this::run, "audit-anchor-" + trail);
        thread.setDaemon(true);
        thread.start();
    }

    /** The sequence the directory anchor is known to seal (0: none, or not known). */
    long anchored() {
        return anchored;
    }

    /** Notes that line {@code sequence} with {@code hash} is on disk; returns at once. */
    void offer(long sequence, String hash) {
        synchronized (state) {
            if (newest == null || sequence > newest.sequence()) {
                newest = new Line(sequence, hash);
            }
            state.notifyAll();
        }
    }

    /**
     * Writes the anchor for the newest offered line now, in the caller's thread (waiting for a
     * write under way). A failure is logged and left to the thread to retry.
     *
     * @return whether the directory anchor now seals the newest offered line
     */
    boolean flush() {
        return writeNewest();
    }

    /** Stops the thread (after the write under way, if any) and writes the final anchor. */
    @Override
    public void close() {
        synchronized (state) {
            closed = true;
            state.notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writeNewest()) {
            LOG.error("The directory anchor of audit trail {} stays at sequence {}, behind the file; the next start "
                    + "moves it on (a lagging anchor is not a finding)", trail, anchored);
        }
    }

    private void run() {
        Duration pause = Duration.ZERO;
        while (true) {
            try {
                synchronized (state) {
                    long until = System.nanoTime() + pause.toNanos();
                    // The pause (spacing after a write, back-off after a failure) is waited out whatever
                    // arrives, then until there is work.
                    while (!closed && (behind() == null || System.nanoTime() < until)) {
                        long left = until - System.nanoTime();
                        state.wait(left > 0 ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)) : 0);
                    }
                    if (closed) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            pause = writeNewest() ? spacing : next(pause);
        }
    }

    private Duration next(Duration pause) {
        if (pause.compareTo(firstPause) < 0) {
            return firstPause;
        }
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(maxPause) > 0 ? maxPause : doubled;
    }

    /** The newest offered line if the anchor is behind it, else {@code null}. Call holding {@link #state}. */
    private Line behind() {
        return newest != null && newest.sequence() > anchored ? newest : null;
    }

    private boolean writeNewest() {
        synchronized (writing) {
            Line goal;
            synchronized (state) {
                goal = behind();
            }
            if (goal == null) {
                return true;
            }
            try {
                AuditAnchor next = seal.anchor(trail, goal.sequence(), goal.hash(), clock.instant());
                if (anchors.advance(anchored, next)) {
                    anchored = goal.sequence();
                    if (failing) {
                        LOG.info("The directory anchor of audit trail {} is up to date again (sequence {})", trail,
                                goal.sequence());
                    }
                    failing = false;
                    return true;
                }
                failing(goal, "someone else moved it (another process on the same trail, or the directory was "
                        + "changed); run 'egov-pki audit verify'");
                anchors.latest(trail).ifPresent(stored -> anchored = stored.sequence());
            } catch (RuntimeException e) {
                failing(goal, e.getMessage() + "; retrying until the directory answers");
            }
            return false;
        }
    }

    private void failing(Line goal, String why) {
        if (!failing) {
            LOG.error("The directory anchor of audit trail {} was not moved to sequence {}: {}", trail,
                    goal.sequence(), why);
        } else {
            LOG.debug("The directory anchor of audit trail {} is still not moved to sequence {}: {}", trail,
                    goal.sequence(), why);
        }
        failing = true;
    }
}
