package org.egovpki.server.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token bucket per client address: {@code burst} requests at once, refilled at
 * {@code perMinute} per minute. Time comes from the injected clock. At most {@code maxClients}
 * buckets are kept; when that many exist, the buckets that have refilled completely (clients that
 * are not limited now) are dropped first, and if none has, all are — a client spread over that
 * many addresses is not limited by addresses anyway.
 *
 * <p>The server keeps one for every lookup by name (docs/information-services.md, "Rate limit"): the
 * {@code /lookup} page and the RFC 4387 store's name, email and subject-hash queries draw on the same
 * bucket of a client address, so neither channel doubles what the other allows.
 */
public final class TokenBuckets {

    /** Most client addresses remembered at once. */
    public static final int MAX_CLIENTS = 10_000;

    /** A client's credit in nanoseconds of refill time (a token costs {@link #cost}), as of {@code at}. */
    private record Bucket(long credit, Instant at) {
    }

    private final Clock clock;
    /** Nanoseconds to refill one token; whole numbers keep the arithmetic exact. */
    private final long cost;
    private final long full;
    private final int maxClients;
    private final Map<String, Bucket> buckets = new HashMap<>();

    /** The lookups' buckets: {@code info.lookup.perMinute} and {@code info.lookup.burst}, {@link #MAX_CLIENTS}. */
    public static TokenBuckets lookups(Clock clock, int perMinute, int burst) {
        return new TokenBuckets(clock, perMinute, burst, MAX_CLIENTS);
    }

    public TokenBuckets(Clock clock, int perMinute, int burst, int maxClients) {
        if (perMinute < 1 || burst < 1 || maxClients < 1) {
            throw new IllegalArgumentException("perMinute, burst and maxClients must be at least 1");
        }
        this.clock = clock;
        this.cost = Duration.ofMinutes(1).toNanos() / perMinute;
        this.full = cost * burst;
        this.maxClients = maxClients;
    }

    /**
     * Takes one token for {@code client}.
     *
     * @return empty when the request may go ahead; otherwise how long until a token is there
     */
    public synchronized Optional<Duration> take(String client) {
        Instant now = clock.instant();
        Bucket bucket = buckets.get(client);
        long credit = bucket == null ? full : refilled(bucket, now);
        if (credit < cost) {
            buckets.put(client, new Bucket(credit, now));
            return Optional.of(Duration.ofNanos(cost - credit));
        }
        if (bucket == null && buckets.size() >= maxClients) {
            buckets.values().removeIf(b -> refilled(b, now) >= full);
            if (buckets.size() >= maxClients) {
                buckets.clear();
            }
        }
        buckets.put(client, new Bucket(credit - cost, now));
        return Optional.empty();
    }

    private long refilled(Bucket bucket, Instant now) {
        long elapsed = Math.max(0, Duration.between(bucket.at(), now).toNanos());
        return Math.min(full, bucket.credit() + Math.min(elapsed, full));
    }
}
