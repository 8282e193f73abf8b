package org.egovpki.server.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token bucket per client address — per {@code /64} prefix for IPv6, since one subscriber line is
 * given a whole {@code /64} and picks addresses in it at will ({@link #clientKey}) —: {@code burst}
 * requests at once, refilled at
 * {@code perMinute} per minute. Time comes from the injected clock. At most {@code maxClients}
 * buckets are kept; when that many exist, the buckets that have refilled completely (clients that
 * are not limited now) are dropped first, and if none has, all are — a client spread over that
 * many addresses is not limited by addresses anyway.
 *
 * <p>The server keeps one for every lookup by name (docs/information-services.md, "Rate limit"): the
 * {@code /lookup} page and the RFC 4387 store's queries that reach the published subscriber
 * certificates draw on the same bucket of a client address, so neither channel doubles what the
 * other allows.
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
        client = clientKey(client);
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

    /**
     * The bucket of a client address: an IPv4 address (an IPv4-mapped IPv6 one too) as it is, an IPv6
     * address by its {@code /64} prefix, so rotating addresses inside one {@code /64} does not escape the
     * limit; anything else (not an address literal) as it is.
     */
    static String clientKey(String address) {
        String literal = address.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (literal.indexOf(':') < 0 || !literal.matches("[0-9A-Fa-f:.]+")) {
            return address;
        }
        try {
            // An IPv6 literal is parsed, never looked up in DNS.
            InetAddress parsed = InetAddress.getByName(literal);
            if (parsed instanceof Inet4Address) {
                return parsed.getHostAddress();
            }
            byte[] bytes = parsed.getAddress();
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private long refilled(Bucket bucket, Instant now) {
        long elapsed = Math.max(0, Duration.between(bucket.at(), now).toNanos());
        return Math.min(full, bucket.credit() + Math.min(elapsed, full));
    }
}
