package org.egovpki.routes;

import java.time.Duration;

/**
 * The decision-support statistics' aggregate (docs/statistics.md): every
 * {@code egovpki.statistics.refreshMillis} the {@code statistics} bean (ca-core's
 * {@code Statistics}) closes the days that ended — each stored once under {@code ou=statistics} —
 * and recomputes the current day from midnight with indexed range searches. The first firing after
 * a start reads the stored days back (and, on the very first start, buckets the existing records
 * once), so it runs one second after start. A failed firing is logged; the next one tries again.
 */
public final class StatisticsRoute extends FlowRouteBuilder {

    public static final String ROUTE_ID = "statistics";
    public static final String BEAN = "statistics";

    @Override
    public void configure() {
        retryThenLog(0, Duration.ZERO);

        from("timer:statistics?period={{egovpki.statistics.refreshMillis}}&delay=1000")
                .routeId(ROUTE_ID)
                .bean(BEAN, "refresh").id("refresh-statistics");
    }
}
