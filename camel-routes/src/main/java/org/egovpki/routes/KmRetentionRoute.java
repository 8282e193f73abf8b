package org.egovpki.routes;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * The key management centre's destruction job: escrowed keys whose retention (certificate notAfter
 * + {@code km.retentionYears}) has ended lose their wrapped private key, and each destruction is
 * audited with its serial. Runs on {@code km.destructionSchedule} (properties
 * {@code egovpki.km.cron}, {@code egovpki.km.timeZone}); the bean bound as {@value #ESCROW_BEAN}
 * is the KM's {@code KeyEscrow}. A failed run is retried twice, then at the next firing: a key
 * kept a day longer than its minimum is harmless, one destroyed early is not, so nothing here
 * hurries.
 */
public final class KmRetentionRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "km-key-destruction";
    public static final String ESCROW_BEAN = "kmEscrow";

    @Override
    public void configure() {
        retryThenLog(2, Duration.ofMinutes(1));

        from("quartz://egovpki/km-destruction?cron={{egovpki.km.cron}}&trigger.timeZone={{egovpki.km.timeZone}}")
                .routeId(ROUTE_ID)
                .bean(ESCROW_BEAN, "destroyExpired").id("destroy-expired-keys")
                .log("KM retention job: ${body.size} escrowed key(s) destroyed");
    }
}
