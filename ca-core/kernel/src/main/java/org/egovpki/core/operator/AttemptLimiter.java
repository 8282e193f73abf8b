package org.egovpki.core.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Counts failed attempts per key (a client address, a certificate) in a sliding window and says
 * when a key has had too many. Used to stop guessing of challenge phrases: the phrase hash is slow
 * (PBKDF2), and this bounds how many guesses one client, or all clients together on one
 * certificate, get per window.
 *
 * <p>State is in memory and per process: a restart forgets it, which costs an attacker a restart
 * of the CA they do not control. At most {@code maxKeys} keys are tracked; the least recently
 * failed are forgotten first. Thread-safe.
 */
public final class AttemptLimiter {

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final int maxKeys;
    private final Map<String, Deque<Instant>> failures;

    public AttemptLimiter(int maxFailures, Duration window, Clock clock, int maxKeys) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, was " + maxFailures);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxKeys = maxKeys;
        this.failures = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** When {@code key} may try again, or empty if it may try now. */
    public synchronized Optional<Instant> blockedUntil(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        expire(times, now);
        if (times.isEmpty()) {
            failures.remove(key);
            return Optional.empty();
        }
        return times.size() >= maxFailures ? Optional.of(times.peekFirst().plus(window)) : Optional.empty();
    }

    /** Records a failed attempt for each key. */
    public synchronized void failed(String... keys) {
        Instant now = clock.instant();
        for (String key : keys) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            expire(times, now);
            times.addLast(now);
            while (times.size() > maxFailures) {
                times.removeFirst();
            }
        }
        Iterator<String> eldest = failures.keySet().iterator();
        while (failures.size() > maxKeys && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    private void expire(Deque<Instant> times, Instant now) {
        while (!times.isEmpty() && !times.peekFirst().plus(window).isAfter(now)) {
            times.removeFirst();
        }
    }
}
