package org.egovpki.core.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * What an administrator (or an auditor) sees of a target: its settings, whether its secret is set
 * (never the secret), and where its delivery stands. Built from an allow-list: there is no field a
 * secret could reach.
 *
 * @param target          the settings
 * @param secretSet       whether a password (BASIC) or a PKCS#12 (CLIENT_CERTIFICATE) is stored for it
 * @param state           the delivery cursor
 * @param oldestPendingAt when the head message (the oldest not yet delivered) was enqueued, {@code null} if none
 */
public record SyncTargetStatus(SyncTarget target, boolean secretSet, TargetState state, Instant oldestPendingAt) {

    public SyncTargetStatus {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(state, "state");
    }

    public long lastDeliveredSequence() {
        return state.lastDelivered();
    }

    public long lastEnqueuedSequence() {
        return state.lastEnqueued();
    }

    public long pending() {
        return state.pending();
    }
}
