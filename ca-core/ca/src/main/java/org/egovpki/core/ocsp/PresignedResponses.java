package org.egovpki.core.ocsp;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ocsp.CertID;

/**
 * Signed answers to nonce-free single-CertID requests (the RFC 5019 lightweight profile browsers
 * and the JDK use), kept for most of their validity and re-signed ahead of expiry, so that a
 * request for a certificate asked about before is answered without signing.
 *
 * <p>Invariants:
 * <ul>
 * <li>Keyed by the DER of the request's CertID, so the stored answer echoes the CertID exactly
 *     as asked (its hash algorithm and parameters included): the same certificate asked with
 *     SHA-1 and with SHA-256 CertIDs has two entries. Every entry belongs to one (CA, serial).</li>
 * <li>An entry signed at {@code t} with validity {@code v} (nextUpdate - thisUpdate) is due for
 *     re-signing from {@code t + v/2} and served until {@code t + 3v/4}; after that it is a miss
 *     and the request signs afresh. So an answer is never served with less than a quarter of its
 *     validity left, even when the sweep is late or down. (An answer kept ahead is due up to
 *     {@code v/8} later, spread by its key, so one walk's answers do not all fall due together.)</li>
 * <li>Answers signed ahead fill at most nine tenths of {@code maxEntries} ({@link #hasRoomAhead}):
 *     the rest is for answers someone asked for.</li>
 * <li>At most {@code maxEntries} entries: when full, new certificates are not stored (their
 *     answers take the normal path, the short-lived response cache); stored ones are replaced.</li>
 * <li>{@link #invalidate} drops every entry of that (CA, serial) before it returns, and no
 *     answer whose status was read before that call is stored after it: a writer takes a
 *     {@link #ticket()} before it reads the status and {@link #put} refuses a ticket older than
 *     the last invalidation (the discipline of {@link ResponseCache}).</li>
 * <li>An entry nobody asked for since it was last signed is dropped by the sweep instead of
 *     re-signed — unless it was signed ahead of any request ({@code keepUntil}, the certificate's
 *     notAfter) and that time has not come: such an entry is re-signed whether asked for or not,
 *     so a certificate's first request finds its answer; after its notAfter it is treated like
 *     any other. Sweeping costs signatures only for certificates still asked about, or kept
 *     ahead on purpose.</li>
 * </ul>
 *
 * <p>Thread-safe. Lookups never lock; stores, invalidations and sweeps' removals hold one lock.
 */
final class PresignedResponses {

    /** The {@code keepUntil} of an answer signed because someone asked: kept only while asked for. */
    static final long NOT_KEPT = Long.MIN_VALUE;
    /** Validities from which due times are spread ({@link #refreshAt}): ten minutes. */
    private static final long MIN_SPREAD_VALIDITY_MILLIS = 10 * 60_000L;

    private final Clock clock;
    private final long validityMillis;
    private final int maxEntries;

    private final ConcurrentHashMap<DerKey, Entry> entries = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: which CertID forms are stored for a (CA, serial). */
    private final Map<ResponseCache.Serial, List<DerKey>> bySerial = new HashMap<>();
    /** Written under {@code this}, read without: the number of invalidations so far. */
    private volatile long epoch;
    /** Counts every change of the set (stored, replaced, dropped), so its persistence knows when to write. */
    private final AtomicLong changes;

    /**
     * @param validity   nextUpdate - thisUpdate of the stored answers, positive
     * @param maxEntries most answers kept, positive
     */
    PresignedResponses(Clock clock, Duration validity, int maxEntries) {
        this(clock, validity, maxEntries, new AtomicLong());
    }

    /** @param changes incremented on every change of the set (shared with the responder across settings) */
    PresignedResponses(Clock clock, Duration validity, int maxEntries, AtomicLong changes) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("pre-signed answer validity " + validity + " must be positive");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("pre-signed answers maximum " + maxEntries + " must be at least 1");
        }
        this.validityMillis = validity.toMillis();
        this.maxEntries = maxEntries;
    }

    /** The key of a request's CertID. */
    static DerKey keyOf(CertID certId) {
        try {
            return DerKey.of(certId.getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a CertID that was just decoded", e);
        }
    }

    /** The stored answer for {@code key} while it may still be served; never to be modified. */
    byte[] get(DerKey key) {
        Entry entry = entries.get(key);
        if (entry == null || clock.millis() >= entry.servableUntil) {
            return null;
        }
        if (!entry.asked) {
            entry.asked = true;
        }
        return entry.response;
    }

    /**
     * When an answer signed at {@code signedAt} is due: half its validity; an answer kept ahead a
     * little later, by up to an eighth of the validity chosen by its key, so that the answers one walk
     * signed together are not all re-signed in one sweep (still due well before three quarters).
     */
    private long refreshAt(DerKey key, long signedAt, long keepUntil) {
        long half = signedAt + validityMillis / 2;
        long spread = validityMillis / 8;
        // Short validities are not spread: the sweep runs every 15 s, and an answer due late in a
        // one-minute validity could pass its three quarters before the next sweep.
        if (keepUntil <= signedAt || validityMillis < MIN_SPREAD_VALIDITY_MILLIS) {
            return half;
        }
        return half + Math.floorMod(key.hashCode(), spread);
    }

    /** Whether an answer for {@code key} is stored (servable or not). */
    boolean contains(DerKey key) {
        return entries.containsKey(key);
    }

    /**
     * Whether another answer may be signed ahead: those fill at most nine tenths of the store, so
     * answers relying parties ask for always find room beside them.
     */
    boolean hasRoomAhead() {
        return entries.size() < maxEntries - Math.max(1, maxEntries / 10);
    }

    /**
     * Keeps the stored answer of {@code key} ahead until {@code keepUntil} (an answer stored because
     * someone asked, for a certificate the walk finds unexpired), without signing it again.
     */
    void keepAhead(DerKey key, long keepUntil) {
        Entry entry = entries.get(key);
        if (entry != null && entry.keepUntil < keepUntil) {
            entry.keepUntil = keepUntil;
        }
    }

    /** Taken before the status of an answer is read, and handed to {@link #put}. */
    long ticket() {
        return epoch;
    }

    /**
     * Stores {@code response} for {@code key} unless an invalidation happened since
     * {@code ticket} was taken, the store is full and {@code key} is new, or a newer answer is
     * already stored.
     *
     * @param signedAtMillis the answer's thisUpdate
     * @param asked          whether a client asked for it (a lazy store) rather than the sweep
     * @param keepUntil      until when the sweep re-signs it though nobody asked (epoch millis; the
     *                       certificate's notAfter for an answer signed ahead, {@link #NOT_KEPT} otherwise)
     * @return whether it was stored
     */
    synchronized boolean put(DerKey key, ResponseCache.Serial serial, long ticket, byte[] response, long signedAtMillis,
            boolean asked, long keepUntil) {
        if (ticket != epoch) {
            return false;
        }
        Entry previous = entries.get(key);
        if (previous == null && entries.size() >= maxEntries) {
            return false;
        }
        if (previous != null && previous.signedAt > signedAtMillis) {
            return false;
        }
        long kept = previous == null ? keepUntil : Math.max(previous.keepUntil, keepUntil);
        Entry entry = new Entry(key, serial, response, signedAtMillis, refreshAt(key, signedAtMillis, kept),
                signedAtMillis + validityMillis / 4 * 3, kept);
        entry.asked = asked;
        entries.put(key, entry);
        changes.incrementAndGet();
        if (previous == null) {
            bySerial.computeIfAbsent(serial, s -> new ArrayList<>(1)).add(key);
        }
        return true;
    }

    /**
     * Drops every answer about {@code serial} of CA {@code issuerName}.
     *
     * @return the answers dropped, to be re-signed with the new status
     */
    synchronized List<Due> invalidate(String issuerName, BigInteger serial) {
        epoch++;
        List<DerKey> keys = bySerial.remove(new ResponseCache.Serial(issuerName, serial));
        if (keys == null) {
            return List.of();
        }
        List<Due> dropped = new ArrayList<>(keys.size());
        for (DerKey key : keys) {
            Entry entry = entries.remove(key);
            if (entry != null) {
                dropped.add(new Due(key, entry.serial, entry.keepUntil));
            }
        }
        changes.incrementAndGet();
        return dropped;
    }

    /**
     * The entries due for re-signing now that someone asked for since they were signed, or that
     * are kept ahead until a time not yet come; other due entries are dropped here.
     */
    List<Due> sweep() {
        long now = clock.millis();
        List<Due> due = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (now < entry.refreshAt) {
                continue;
            }
            if (entry.asked || now < entry.keepUntil) {
                due.add(new Due(entry.key, entry.serial, entry.keepUntil));
            } else {
                remove(entry);
            }
        }
        return due;
    }

    /** Drops the entry of {@code key} (its certificate is no longer known to the CA). */
    synchronized void remove(DerKey key) {
        Entry entry = entries.remove(key);
        if (entry != null) {
            unindexLocked(entry);
            changes.incrementAndGet();
        }
    }

    /** Drops everything (for example when the responder's signers change). */
    synchronized void clear() {
        epoch++;
        entries.clear();
        bySerial.clear();
        changes.incrementAndGet();
    }

    /**
     * The answers stored now whose nextUpdate has not come, for persistence: a locked server
     * serves them until then ({@link LockedOcspResponder}). Entries stored or dropped meanwhile
     * may or may not be in it; each one listed is whole.
     */
    List<PresignedAnswer> snapshot() {
        long now = clock.millis();
        List<PresignedAnswer> answers = new ArrayList<>(entries.size());
        for (Entry entry : entries.values()) {
            long nextUpdate = entry.signedAt + validityMillis;
            if (now < nextUpdate) {
                answers.add(PresignedAnswer.shared(entry.serial.issuerName(), entry.serial.serial(), entry.key.der(),
                        entry.response, Instant.ofEpochMilli(entry.signedAt), Instant.ofEpochMilli(nextUpdate)));
            }
        }
        return answers;
    }

    /** How many answers are stored. */
    int size() {
        return entries.size();
    }

    private synchronized void remove(Entry entry) {
        if (entries.remove(entry.key, entry)) {
            unindexLocked(entry);
            changes.incrementAndGet();
        }
    }

    private void unindexLocked(Entry entry) {
        List<DerKey> keys = bySerial.get(entry.serial);
        if (keys != null && keys.remove(entry.key) && keys.isEmpty()) {
            bySerial.remove(entry.serial);
        }
    }

    /** An entry to re-sign: its CertID as asked, its (CA, serial) and until when it is kept unasked. */
    record Due(DerKey key, ResponseCache.Serial serial, long keepUntil) {
    }

    /** The CertID of a key, decoded again from its DER (kept as bytes: a third of the memory). */
    static CertID certIdOf(DerKey key) {
        return CertID.getInstance(key.der());
    }

    /** One stored answer; compared by identity, so a replaced entry is never removed in its successor's place. */
    private static final class Entry {
        final DerKey key;
        final ResponseCache.Serial serial;
        final byte[] response;
        final long signedAt;
        final long refreshAt;
        final long servableUntil;
        /**
         * Re-signed by the sweep until then even if nobody asked (answers signed ahead); {@link #NOT_KEPT}
         * otherwise. Only raised, by {@link #keepAhead}; a benign race with the sweep's read.
         */
        volatile long keepUntil;
        /** Whether a client asked for this answer since it was signed; a benign race, set once. */
        volatile boolean asked;

        Entry(DerKey key, ResponseCache.Serial serial, byte[] response, long signedAt, long refreshAt,
                long servableUntil, long keepUntil) {
            this.key = key;
            this.serial = serial;
            this.response = response;
            this.signedAt = signedAt;
            this.refreshAt = refreshAt;
            this.servableUntil = servableUntil;
            this.keepUntil = keepUntil;
        }
    }
}
