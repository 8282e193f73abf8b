package org.egovpki.routes;

import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture's wake-up call for a realtime target: puts the target's id in the delivery route's
 * in-memory queue and returns at once — the caller (the fan-out after an issuance, a revocation or
 * a CRL) never waits for a delivery. A wake-up that cannot be queued is not lost work: the
 * messages are in the directory and the route's poll finds them within a second.
 */
public final class RoutedSyncDeliveryTrigger implements SyncDeliveryTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedSyncDeliveryTrigger.class);

    private final SyncDelivery delivery;
    private final ProducerTemplate producer;

    public RoutedSyncDeliveryTrigger(CamelContext camel, SyncDelivery delivery) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.producer = Objects.requireNonNull(camel, "camel").createProducerTemplate();
    }

    @Override
    public void enqueued(String targetId) {
        if (!delivery.wake(targetId)) {
            return;
        }
        try {
            producer.sendBody(SyncDeliveryRoute.QUEUE, targetId);
        } catch (RuntimeException e) {
            delivery.unqueued(targetId);
            LOG.debug("Sync target {} not queued now ({}); the poll will find its messages", targetId, e.getMessage());
        }
    }
}
