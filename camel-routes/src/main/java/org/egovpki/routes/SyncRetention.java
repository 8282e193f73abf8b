package org.egovpki.routes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTarget;

/**
 * Deletes delivered sync messages older than {@code sync.retentionDays} (the bean of
 * {@link SyncRetentionRoute}). Undelivered messages stay whatever their age: only a delivery or an
 * administrator's skip moves a target past them. Until purged, a message can be replayed and pulled.
 */
public final class SyncRetention {

    private final SyncStore store;
    private final Duration retention;
    private final Clock clock;

    public SyncRetention(SyncStore store, Duration retention, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("sync.retentionDays must be positive, is " + retention.toDays());
        }
    }

    /** @return how many messages were deleted, all targets together */
    public int purge() {
        Instant before = clock.instant().minus(retention);
        int purged = 0;
        for (SyncTarget target : store.targets()) {
            purged += store.purgeDelivered(target.id(), before);
        }
        return purged;
    }
}
