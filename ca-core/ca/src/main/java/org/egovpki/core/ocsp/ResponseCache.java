package org.egovpki.core.ocsp;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed OCSP responses to nonce-free requests, kept for a short lifetime so that a popular
 * certificate is not signed for again on every request.
 *
 * <p>Invariants:
 * <ul>
 * <li>Keyed by the exact request DER (at most {@value #MAX_KEY_OCTETS} octets; larger requests
 *     are not cached): a request without a nonce always gets the same answer for the same
 *     CertIDs, so equal bytes may share one response. A request with a nonce is never stored
 *     (the nonce is inside the signed data), so its bytes can never be found here.</li>
 * <li>At most {@code maxEntries} responses; when full, the oldest stored is dropped first. All
 *     entries have the same lifetime, so the oldest is also the first to expire.</li>
 * <li>{@link #invalidate} drops every response that answered for that (CA, serial) before it
 *     returns, and no response whose statuses were read before that call can be stored after
 *     it: a reader takes a {@link #ticket()} before it reads any status, and {@link #put} refuses
 *     a ticket older than the last invalidation. Without that, a response signed from a status
 *     read just before a revocation could be stored just after the revocation's invalidation and
 *     be served as "good" for a whole lifetime. Any invalidation refuses every put in flight, not
 *     only those for its serial: revocations are rare, and the cost is one more signature.</li>
 * </ul>
 *
 * <p>Thread-safe. Lookups never lock ({@link ConcurrentHashMap}); stores and invalidations hold
 * one lock, which makes "check the ticket, then store" atomic with "bump the epoch, then drop".
 * Stores happen only on misses, at most once per signature, so the lock is not on the hot path.
 */
final class ResponseCache {

    /** Requests longer than this are not cached: a key must not let a client pin much memory. */
    static final int MAX_KEY_OCTETS = 1024;

    private final Clock clock;
    private final long lifetimeMillis;
    private final int maxEntries;

    private final ConcurrentHashMap<DerKey, Entry> entries = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: which cached requests answered for a (CA, serial). */
    private final Map<Serial, Set<DerKey>> bySerial = new HashMap<>();
    /** Guarded by {@code this}: entries in the order they were stored; may hold replaced ones. */
    private final ArrayDeque<Entry> stored = new ArrayDeque<>();
    /** Written under {@code this}, read without: the number of invalidations so far. */
    private volatile long epoch;

    /**
     * @param lifetime   how long a stored response is served, positive
     * @param maxEntries most responses kept, positive
     */
    ResponseCache(Clock clock, Duration lifetime, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("cache lifetime " + lifetime + " must be positive");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("cache size " + maxEntries + " must be at least 1");
        }
        this.lifetimeMillis = lifetime.toMillis();
        this.maxEntries = maxEntries;
    }

    /**
     * The cache key of {@code requestDer}, or {@code null} when such a request is never cached.
     * The key reads the caller's array until {@link #put} stores its own copy: the caller must not
     * change the array while it uses the key.
     */
    static DerKey keyOf(byte[] requestDer) {
        if (requestDer == null || requestDer.length == 0 || requestDer.length > MAX_KEY_OCTETS) {
            return null;
        }
        return DerKey.of(requestDer);
    }

    /** The stored response for {@code key} if it is still within its lifetime; never to be modified. */
    byte[] get(DerKey key) {
        Entry entry = entries.get(key);
        if (entry == null || clock.millis() >= entry.expiresAt) {
            return null;
        }
        return entry.response;
    }

    /** Taken before the statuses of a response are read, and handed to {@link #put}. */
    long ticket() {
        return epoch;
    }

    /**
     * Stores {@code response} unless an invalidation happened since {@code ticket} was taken.
     *
     * @param serials the (CA name, serial) pairs whose status the response states
     * @return whether it was stored
     */
    synchronized boolean put(DerKey requestKey, long ticket, List<Serial> serials, byte[] response) {
        if (ticket != epoch) {
            return false;
        }
        DerKey key = requestKey.copy();
        while (entries.size() >= maxEntries || stored.size() >= 2 * maxEntries) {
            Entry oldest = stored.pollFirst();
            if (oldest == null) {
                break;
            }
            removeLocked(oldest);
        }
        Entry entry = new Entry(key, response, clock.millis() + lifetimeMillis, List.copyOf(serials));
        Entry previous = entries.put(key, entry);
        if (previous != null) {
            unindexLocked(previous);
        }
        for (Serial serial : entry.serials) {
            bySerial.computeIfAbsent(serial, s -> new HashSet<>()).add(key);
        }
        stored.addLast(entry);
        return true;
    }

    /** Drops every stored response that states the status of {@code serial} of CA {@code issuerName}. */
    synchronized void invalidate(String issuerName, BigInteger serial) {
        epoch++;
        Set<DerKey> keys = bySerial.remove(new Serial(issuerName, serial));
        if (keys == null) {
            return;
        }
        for (DerKey key : keys) {
            Entry entry = entries.remove(key);
            if (entry != null) {
                unindexLocked(entry);
            }
        }
    }

    /** Drops everything (for example when the responder's signers change). */
    synchronized void clear() {
        epoch++;
        entries.clear();
        bySerial.clear();
        stored.clear();
    }

    /** How many responses are stored, expired ones included until they are replaced or evicted. */
    int size() {
        return entries.size();
    }

    private void removeLocked(Entry entry) {
        if (entries.remove(entry.key, entry)) {
            unindexLocked(entry);
        }
    }

    private void unindexLocked(Entry entry) {
        for (Serial serial : entry.serials) {
            Set<DerKey> keys = bySerial.get(serial);
            if (keys != null && keys.remove(entry.key) && keys.isEmpty()) {
                bySerial.remove(serial);
            }
        }
    }

    /** A (CA name, serial) pair a response answers for. */
    record Serial(String issuerName, BigInteger serial) {
        Serial {
            Objects.requireNonNull(issuerName, "issuerName");
            Objects.requireNonNull(serial, "serial");
        }
    }

    /** One stored response; compared by identity, so a replaced entry is never removed in its successor's place. */
    private static final class Entry {
        final DerKey key;
        final byte[] response;
        final long expiresAt;
        final List<Serial> serials;

        Entry(DerKey key, byte[] response, long expiresAt, List<Serial> serials) {
            this.key = key;
            this.response = response;
            this.expiresAt = expiresAt;
            this.serials = serials;
        }
    }
}
