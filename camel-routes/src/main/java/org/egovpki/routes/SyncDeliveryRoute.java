package org.egovpki.routes;

import java.time.Duration;

/**
 * Delivers the sync targets' queues (docs/sync.md, "Delivery"). Target ids go through one
 * in-memory SEDA queue to {@code egovpki.sync.workers} workers, each calling the
 * {@code syncDelivery} bean ({@link SyncDelivery}) for one target at a time; the bean makes sure
 * no two workers hold the same target, so each target has one message in flight, in order, while
 * a slow target does not hold up the others. Ids enter the queue two ways: the capture's
 * {@link RoutedSyncDeliveryTrigger} (a realtime target's new messages, at once), and a poll every
 * {@code egovpki.sync.pollMillis} of every enabled target — start-up, an administrator's re-drive,
 * skip or replay, retries whose backoff ran out, and scheduled targets' fires. The queue holds ids
 * only: what to send is always read from the directory, so losing the queue loses nothing.
 */
public final class SyncDeliveryRoute extends FlowRouteBuilder {

    public static final String POLL_ROUTE_ID = "sync-delivery-poll";
    public static final String ROUTE_ID = "sync-delivery";
    public static final String BEAN = "syncDelivery";
    /** The queue of target ids; the producer and consumer URIs name the same queue and size. */
    static final String QUEUE = "seda:sync-delivery?size=10000";

    @Override
    public void configure() {
        // A failed round (the directory unreachable) is logged; the next poll tries again.
        retryThenLog(0, Duration.ZERO);

        from("timer:sync-delivery-poll?period={{egovpki.sync.pollMillis}}")
                .routeId(POLL_ROUTE_ID)
                .bean(BEAN, "dueTargets").id("list-enabled-sync-targets")
                .split(body())
                    .to(QUEUE).id("queue-sync-target");

        from(QUEUE + "&concurrentConsumers={{egovpki.sync.workers}}")
                .routeId(ROUTE_ID)
                .bean(BEAN, "deliver(${body})").id("deliver-sync-target");
    }
}
