package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class StatisticsRouteTest {

    /** Stands in for Statistics: the route only needs refresh(); the second one fails. */
    public static final class CountingStatistics {
        final AtomicInteger calls = new AtomicInteger();

        public void refresh() {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("directory unavailable");
            }
        }
    }

    @Test
    void refreshesEveryPeriodAndKeepsRefreshingAfterAFailure() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.statistics.refreshMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingStatistics statistics = new CountingStatistics();
        camel.getRegistry().bind(StatisticsRoute.BEAN, statistics);
        camel.addRoutes(new StatisticsRoute());
        NotifyBuilder fourRefreshes = new NotifyBuilder(camel).fromRoute(StatisticsRoute.ROUTE_ID).whenDone(4).create();
        try {
            camel.start();

            assertThat(fourRefreshes.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(statistics.calls.get()).isGreaterThanOrEqualTo(4);
        } finally {
            camel.stop();
        }
    }
}
