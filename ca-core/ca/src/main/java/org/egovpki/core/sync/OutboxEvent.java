package org.egovpki.core.sync;

import java.util.Objects;

/**
 * A sync event in its CA's outbox ({@code egovSyncSequence=<caSequence>,cn=<ca>,ou=outbox,ou=sync}).
 *
 * @param caSequence its number in the CA's outbox: 1, 2, 3, … with no gap, the {@code casequence} of every message
 * @param event      the event
 */
public record OutboxEvent(long caSequence, SyncEvent event) {

    public OutboxEvent {
        Objects.requireNonNull(event, "event");
        if (caSequence < 1) {
            throw new IllegalArgumentException("outbox sequences start at 1");
        }
    }
}
