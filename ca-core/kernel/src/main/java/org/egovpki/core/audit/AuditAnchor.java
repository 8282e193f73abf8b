package org.egovpki.core.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The latest point of an audit trail the CA vouches for, kept outside the trail's file: the
 * sequence number and hash of one event, when it was sealed, and the seal (a MAC over trail name,
 * sequence, hash and time made with the audit seal key). An attacker who shortens or rewrites the
 * file must also move this anchor back and forge its seal.
 *
 * <p>Invariant: the anchor may lag the file (it is written after the event is on disk, by a
 * background writer that coalesces events, so while the server runs it trails by a fraction of a
 * second and a crash can leave it several events behind), it never leads it; an anchor beyond the
 * file's end means lines were removed.
 *
 * @param trail    which trail: {@code server} or {@code cli}
 * @param sequence the sealed event's sequence number (from 1)
 * @param hash     the sealed event's hash, 64 lower-case hex digits
 * @param time     when the anchor was sealed
 * @param seal     the seal bytes (defensively copied)
 */
public record AuditAnchor(String trail, long sequence, String hash, Instant time, byte[] seal) {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TRAIL = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public AuditAnchor {
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(seal, "seal");
        if (!TRAIL.matcher(trail).matches()) {
            throw new IllegalArgumentException("audit trail name '" + trail + "' is not allowed; use " + TRAIL);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("an audit anchor seals an event, sequence >= 1, not " + sequence);
        }
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("audit anchor hash must be 64 lower-case hex digits, not '" + hash + "'");
        }
        seal = seal.clone();
    }

    @Override
    public byte[] seal() {
        return seal.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditAnchor a && a.trail.equals(trail) && a.sequence == sequence && a.hash.equals(hash)
                && a.time.equals(time) && Arrays.equals(a.seal, seal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(trail, sequence, hash, time, Arrays.hashCode(seal));
    }

    @Override
    public String toString() {
        return "AuditAnchor[" + trail + " sequence " + sequence + " hash " + hash + " at " + time + " seal "
                + HexFormat.of().formatHex(seal) + "]";
    }
}
