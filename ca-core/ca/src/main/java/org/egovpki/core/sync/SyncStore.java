package org.egovpki.core.sync;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sync's directory port ({@code ou=sync}): target settings as an administrator edits them,
 * each target's message queue, and its delivery state. Implemented over LDAP in the directory
 * module; {@code InMemorySyncStore} in this module's test-jar for tests.
 */
public interface SyncStore {

    // Targets

    List<SyncTarget> targets();

    Optional<SyncTarget> target(String id);

    /** Adds a target with an empty state; {@code false} if one with this id exists (nothing changed). */
    boolean addTarget(SyncTarget target);

    /** Replaces the settings of an existing target; its queue and state stay. {@code false} if absent. */
    boolean replaceTarget(SyncTarget target);

    /** Deletes a target with its queue and state. {@code false} if absent. */
    boolean deleteTarget(String id);

    // Queue

    /**
     * Stores a message under its target and sequence; {@code false}, nothing changed, if that
     * sequence is taken (the caller's idea of the last sequence was stale). Also raises the
     * state's {@code lastEnqueued}, in the same or a later write: {@link #state} reports the
     * highest stored sequence even after a crash between the two.
     */
    boolean enqueue(SyncMessage message);

    Optional<SyncMessage> message(String targetId, long sequence);

    /** Up to {@code limit} messages with sequences after {@code afterSequence}, ascending. */
    List<SyncMessage> messages(String targetId, long afterSequence, int limit);

    /** Deletes delivered messages enqueued before {@code before}; returns how many. */
    int purgeDelivered(String targetId, Instant before);

    // Delivery state

    TargetState state(String targetId);

    /**
     * Replaces the delivery state if it is still {@code expected} (compare-and-swap on
     * {@code lastDelivered} and {@code parked}); {@code false} if someone (an administrator's
     * re-drive, skip or replay) changed it meanwhile.
     */
    boolean updateState(String targetId, TargetState expected, TargetState updated);
}
