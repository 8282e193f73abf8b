package org.egovpki.core.sync;

import java.time.Instant;
import java.util.Objects;

/**
 * One event as enqueued for one target ({@code egovSyncSequence=<sequence>,cn=<target>,ou=sync}):
 * the exact bytes and signature sent on every attempt, never changed once stored.
 *
 * @param targetId   the target
 * @param sequence   the target's sequence number: 1, 2, 3, … with no gap
 * @param eventId    the CloudEvents {@code id}, the same for every target and every retry
 * @param type       the event type
 * @param ca         the CA the event is about
 * @param caSequence the event's number in the CA's own sequence (the same for every target)
 * @param enqueuedAt when it was enqueued for the target
 * @param body       the CloudEvents structured-JSON bytes (UTF-8)
 * @param signature  detached CMS SignedData (DER) over {@code body}, from {@link SyncSigner}
 */
public record SyncMessage(String targetId, long sequence, String eventId, SyncEventType type, String ca,
                          long caSequence, Instant enqueuedAt, byte[] body, byte[] signature) {

    public SyncMessage {
        Objects.requireNonNull(targetId, "targetId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        if (sequence < 1 || caSequence < 1) {
            throw new IllegalArgumentException("sequences start at 1");
        }
        body = body.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
