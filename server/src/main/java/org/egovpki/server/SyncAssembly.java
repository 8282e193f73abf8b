package org.egovpki.server;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.egovpki.core.sync.SyncStore;
import org.egovpki.routes.Backoff;
import org.egovpki.routes.CxfSoapTransport;
import org.egovpki.routes.HttpSyncTransport;
import org.egovpki.routes.SyncDelivery;
import org.egovpki.routes.SyncMetrics;
import org.egovpki.routes.SyncRetention;
import org.egovpki.routes.SyncTransport;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The web-service sync (docs/sync.md): the outbox and fan-out, the targets' administration, the
 * signer, and the delivery of each target's queue. Each part of the wiring is its own method.
 */
final class SyncAssembly {

    private SyncAssembly() {
    }

    /**
     * The delivery side, once started: the trigger the fan-out calls after enqueueing, the metrics
     * {@code GET /metrics} renders, and the store the pull endpoint reads.
     */
    record Delivery(SyncDeliveryTrigger trigger, SyncMetrics metrics, SyncStore store) {
    }

    /**
     * Step 12, after the other flows, when {@code sync.enabled}: the delivery route over {@code store}
     * with the retry settings of {@code sync.*}, and the hourly purge of delivered messages past
     * {@code sync.retentionDays}. Deliveries run on the route's own threads, never an issuance's.
     */
    static Delivery startDelivery(EgovPkiConfig.Sync config, RoutesAssembly routes, SyncStore store,
                                  SyncCredentials credentials, Clock clock) {
        SyncMetrics metrics = new SyncMetrics(store, clock);
        Backoff backoff = new Backoff(config.initialDelay(), config.maxDelay(), () -> ThreadLocalRandom.current().nextDouble());
        SyncDeliveryTrigger trigger = routes.syncDelivery(camel -> new SyncDelivery(store, SyncTransport.byBinding(
                        new HttpSyncTransport(credentials, config.requestTimeout(), clock),
                        new CxfSoapTransport(camel, credentials, config.requestTimeout(), clock)),
                backoff, config.maxAttempts(), clock, metrics),
                new SyncRetention(store, config.retention(), clock));
        return new Delivery(trigger, metrics, store);
    }
}
