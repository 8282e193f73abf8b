package org.egovpki.routes;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The one error-handling configuration of egov-pki's flows; every route extends this class and
 * declares which of the two kinds of flow it is, in its {@code configure()}, before its routes.
 *
 * <ul>
 *   <li>{@link #callerHandlesFailures()} — a flow that runs in its caller's thread and answers it
 *       (issuance, lifecycle events, bulk enrollment): no error handler, nothing retried in memory.
 *       A step's exception reaches the caller unchanged (the same {@code DomainException} kind and
 *       message as without Camel), and the durable state is the directory's: a retry is the caller's
 *       to make, or start-up recovery's.</li>
 *   <li>{@link #retryThenLog(int, Duration)} — a background flow (timers, schedules, queues) that
 *       nobody waits for: redelivered a few times with a pause, then logged once, one line without a
 *       stack trace (the operator's log, not the audit trail); the next firing tries again.</li>
 * </ul>
 */
public abstract class FlowRouteBuilder extends RouteBuilder {

    /** A synchronous flow: failures go back to the caller at once, unretried. */
    protected final void callerHandlesFailures() {
        errorHandler(noErrorHandler());
    }

    /** A background flow: {@code retries} redeliveries {@code pause} apart, then one log line. */
    protected final void retryThenLog(int retries, Duration pause) {
        errorHandler(defaultErrorHandler().maximumRedeliveries(retries).redeliveryDelay(pause.toMillis())
                .logExhausted(true).logStackTrace(false));
    }
}
