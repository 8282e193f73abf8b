package org.egovpki.routes;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When a sync target's head message is tried again after a failed attempt: exponential backoff
 * {@code min(maxDelay, initialDelay·2^(attempts-1))} with equal jitter (the delay is drawn from its
 * upper half, so retries of many targets spread out but never come sooner than half the backoff),
 * or the receiver's {@code Retry-After}, capped at {@code maxDelay}.
 */
public final class Backoff {

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final DoubleSupplier random;

    /**
     * @param random draws from {@code [0, 1)}; {@code ThreadLocalRandom} in production, a fixed value in tests
     */
    public Backoff(Duration initialDelay, Duration maxDelay, DoubleSupplier random) {
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.random = Objects.requireNonNull(random, "random");
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("the retry delays must satisfy 0 < initialDelay (" + initialDelay
                    + ") <= maxDelay (" + maxDelay + ")");
        }
    }

    /** The largest delay: also the cap on a receiver's {@code Retry-After}. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The delay before the next attempt.
     *
     * @param attempts   failed attempts so far, from 1
     * @param retryAfter what the receiver asked for, or {@code null}
     */
    public Duration delay(int attempts, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.isNegative() ? Duration.ZERO : min(retryAfter, maxDelay);
        }
        long ceiling = exponential(Math.max(1, attempts)).toMillis();
        long half = ceiling / 2;
        return Duration.ofMillis(ceiling - half + (long) (random.getAsDouble() * half));
    }

    private Duration exponential(int attempts) {
        // 2^(attempts-1) overflows long millis soon after 60 doublings: cap before multiplying.
        int doublings = Math.min(attempts - 1, 40);
        Duration d = initialDelay.multipliedBy(1L << doublings);
        return min(d, maxDelay);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
