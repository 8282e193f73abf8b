package org.egovpki.routes;

import java.time.Duration;

/**
 * Every {@code egovpki.sync.purgeMillis} the {@code syncRetention} bean ({@link SyncRetention})
 * deletes the delivered sync messages past their retention. A failed run is logged; the next
 * period tries again, and nothing is lost meanwhile — old messages only stay longer.
 */
public final class SyncRetentionRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "sync-retention";
    public static final String BEAN = "syncRetention";

    @Override
    public void configure() {
        retryThenLog(0, Duration.ZERO);

        from("timer:sync-retention?period={{egovpki.sync.purgeMillis}}&delay={{egovpki.sync.purgeMillis}}")
                .routeId(ROUTE_ID)
                .bean(BEAN, "purge").id("purge-delivered-sync-messages")
                .filter(body().isGreaterThan(0))
                    .log("Deleted ${body} delivered sync message(s) past sync.retentionDays");
    }
}
