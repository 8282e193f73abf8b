package org.egovpki.core.sync;

import java.time.Instant;

/**
 * Where a target's delivery stands (the {@code egovSyncCursor} on its entry). Messages
 * {@code lastDelivered + 1 … lastEnqueued} are pending; the first of them is the head, the only
 * one in flight. A parked head pauses the target until an administrator re-drives or skips it.
 *
 * @param lastEnqueued  the highest sequence enqueued (0: none)
 * @param lastDelivered the highest sequence delivered, or skipped, in order (0: none)
 * @param parked        whether the head is parked
 * @param attempts      failed attempts at the head since it became the head
 * @param lastError     what the last failed attempt got, {@code null} if none since the last success
 * @param lastAttemptAt when the head was last tried
 * @param lastSuccessAt when a message was last delivered
 * @param nextAttemptAt when the head may be tried again, {@code null}: at once
 */
public record TargetState(long lastEnqueued, long lastDelivered, boolean parked, int attempts, String lastError,
                          Instant lastAttemptAt, Instant lastSuccessAt, Instant nextAttemptAt) {

    public static final TargetState EMPTY = new TargetState(0, 0, false, 0, null, null, null, null);

    public long pending() {
        return lastEnqueued - lastDelivered;
    }
}
