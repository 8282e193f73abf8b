package org.egovpki.server.audit;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * When {@link FileAuditLog} closes the file it writes and continues the trail in a new one
 * ({@code audit.rotation.*}).
 *
 * @param maxBytes rotate once the file holds at least this many bytes; 0: never by size
 * @param daily    rotate at the first event of a day (in {@code zone}) after the file's first event
 * @param zone     the zone whose midnight starts a day
 */
public record AuditRotation(long maxBytes, boolean daily, ZoneId zone) {

    /** One file for ever (the trail before rotation existed). */
    public static final AuditRotation NEVER = new AuditRotation(0, false, ZoneId.of("UTC"));

    public AuditRotation {
        Objects.requireNonNull(zone, "zone");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
    }

    /** From {@code audit.rotation.maxSizeMb}, {@code daily} and {@code timeZone}. */
    public static AuditRotation of(int maxSizeMb, boolean daily, ZoneId zone) {
        return new AuditRotation(maxSizeMb * 1024L * 1024L, daily, zone);
    }

    /**
     * Whether a file of {@code size} bytes whose first event is from {@code firstEvent} ({@code null}:
     * the file is empty) is to be closed before an event at {@code now} is written.
     */
    boolean due(long size, Instant firstEvent, Instant now) {
        if (firstEvent == null || size == 0) {
            return false;
        }
        if (maxBytes > 0 && size >= maxBytes) {
            return true;
        }
        return daily && now.atZone(zone).toLocalDate().isAfter(firstEvent.atZone(zone).toLocalDate());
    }
}
