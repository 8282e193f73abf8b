package org.egovpki.core.sync;

import java.time.Instant;
import java.util.List;

/**
 * The outbox's directory port ({@code ou=outbox,ou=sync}): per CA, the captured events in order and
 * how far the fan-out has got. One writer: the capture worker ({@link SyncCapture}).
 */
public interface SyncOutbox {

    /**
     * Appends {@code event} with the CA's next sequence, unless the CA's outbox already holds an
     * event with its id: then that one is returned and nothing changes (a capture repeated after a
     * crash between the append and the marker's removal).
     */
    OutboxEvent append(SyncEvent event);

    /** Up to {@code limit} events of {@code ca} after {@code caSequence}, ascending. */
    List<OutboxEvent> after(String ca, long caSequence, int limit);

    /** The CAs that have an outbox, by name. */
    List<String> cas();

    /** The highest sequence of {@code ca} enqueued for every target that takes it (0: none). */
    long fannedOut(String ca);

    /** Records that the fan-out has finished event {@code caSequence} of {@code ca}. */
    void markFannedOut(String ca, long caSequence);

    /**
     * Deletes the events of {@code ca} up to {@code throughSequence} (the caller passes
     * {@link #fannedOut}: every target has its own copy) appended before {@code before}. What
     * gives the next number stays (the CA's counter, or the highest event above it), so later
     * events never reuse a number.
     *
     * @return how many were deleted
     */
    int purge(String ca, long throughSequence, Instant before);
}
