package org.egovpki.core.sync;

/**
 * Wakes the delivery of a target when the fan-out has enqueued a message for it. Only a hint: the
 * delivery also finds its work without one (start-up, an administrator's re-drive, scheduled
 * targets), so a lost wake-up delays a message, never loses it.
 */
@FunctionalInterface
public interface SyncDeliveryTrigger {

    /** Nobody to wake: for tests and tools. */
    SyncDeliveryTrigger NONE = id -> { };

    void enqueued(String targetId);
}
