package org.egovpki.core.sync;

import java.time.Instant;

/**
 * Builds one target's message body for an outbox event: the CloudEvents structured JSON of
 * docs/sync.md, UTF-8 (the fan-out signs these exact bytes). {@code SyncEventBodies} implements it.
 */
@FunctionalInterface
public interface SyncBodies {

    /**
     * @param event    the event and its CA sequence
     * @param target   the target: its id, CA identifier, and whether ID numbers go whole
     * @param sequence the target's sequence for this message
     * @param syncTime when the message is built
     */
    byte[] build(OutboxEvent event, SyncTarget target, long sequence, Instant syncTime);
}
