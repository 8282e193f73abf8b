package org.egovpki.core.sync;

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
}
