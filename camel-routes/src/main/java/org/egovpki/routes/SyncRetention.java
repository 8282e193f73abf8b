package org.egovpki.routes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.sync.SyncOutbox;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.core.sync.SyncTarget;

/**
 * Deletes delivered sync messages older than {@code sync.retentionDays} (the bean of
 * {@link SyncRetentionRoute}), and outbox events as old that every target has its copy of.
 * Undelivered messages stay whatever their age: only a delivery or an administrator's skip moves a
 * target past them. Until purged, a message can be replayed and pulled.
 */
public final class SyncRetention {

    private final SyncStore store;
    private final SyncOutbox outbox;
    private final Duration retention;
    private final Clock clock;

    public SyncRetention(SyncStore store, SyncOutbox outbox, Duration retention, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("sync.retentionDays must be positive, is " + retention.toDays());
        }
    }

    /** @return how many messages and outbox events were deleted, all targets and CAs together */
    public int purge() {
        Instant before = clock.instant().minus(retention);
        int purged = 0;
        for (SyncTarget target : store.targets()) {
            purged += store.purgeDelivered(target.id(), before);
        }
        for (String ca : outbox.cas()) {
            purged += outbox.purge(ca, outbox.fannedOut(ca), before);
        }
        return purged;
    }
}
