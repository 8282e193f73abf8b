package org.egovpki.routes;

import java.time.Duration;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;

/**
 * Sends one signed sync message to one target, once, in the target's binding. It decides only
 * what the attempt got; what that means for the queue (next, retry, park) is {@link SyncDelivery}'s.
 */
@FunctionalInterface
public interface SyncTransport {

    /**
     * One attempt's result.
     *
     * @param delivered  the receiver answered 2xx (SOAP: 200 with {@code accepted} true)
     * @param status     the HTTP status, 0 when no answer came (timeout, connection refused)
     * @param error      what went wrong, short, never the message body or a secret; {@code null} when delivered
     * @param retryAfter the receiver's {@code Retry-After} on 429/503, else {@code null}
     */
    record Outcome(boolean delivered, int status, String error, Duration retryAfter) {

        public static Outcome delivered(int status) {
            return new Outcome(true, status, null, null);
        }

        public static Outcome failed(int status, String error, Duration retryAfter) {
            return new Outcome(false, status, error, retryAfter);
        }
    }

    /** @param attempt the attempt's number at this message, from 1 ({@code Egov-Sync-Attempt}) */
    Outcome send(SyncTarget target, SyncMessage message, int attempt);

    /** Sends each target in its binding: {@code json} for JSON targets, {@code soap} for SOAP ones. */
    static SyncTransport byBinding(SyncTransport json, SyncTransport soap) {
        return (target, message, attempt) -> (target.binding() == SyncBinding.SOAP ? soap : json)
                .send(target, message, attempt);
    }
}
