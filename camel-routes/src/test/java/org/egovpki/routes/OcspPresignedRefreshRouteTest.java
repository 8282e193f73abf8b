package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class OcspPresignedRefreshRouteTest {

    /** Stands in for OcspResponder: the route only needs a bean with refreshPresigned(). */
    public static final class CountingResponder {
        final AtomicInteger calls = new AtomicInteger();

        public int refreshPresigned() {
            int call = calls.incrementAndGet();
            if (call == 2) {
                throw new IllegalStateException("a failed run must not stop the next ones");
            }
            return call == 3 ? 5 : 0;
        }
    }

    /** Stands in for the server's PresignedAnswersFile: counts the saves. */
    public static final class CountingSnapshot {
        final AtomicInteger saves = new AtomicInteger();

        public boolean save() {
            return saves.incrementAndGet() > 0;
        }
    }

    /** Persisted, every run (one that re-signed nothing too) ends with a save of the set. */
    @Test
    void persistedEachRunSavesTheSetAfterReSigning() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.ocsp.presignedRefreshMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingResponder responder = new CountingResponder();
        CountingSnapshot snapshot = new CountingSnapshot();
        camel.getRegistry().bind(OcspPresignedRefreshRoute.RESPONDER_BEAN, responder);
        camel.getRegistry().bind(OcspPresignedRefreshRoute.SNAPSHOT_BEAN, snapshot);
        camel.addRoutes(new OcspPresignedRefreshRoute(true));
        NotifyBuilder fourRuns = new NotifyBuilder(camel).fromRoute(OcspPresignedRefreshRoute.ROUTE_ID)
                .whenDone(4).create();
        try {
            camel.start();

            assertThat(fourRuns.matches(10, TimeUnit.SECONDS)).isTrue();
            // Run 2 failed before its save (the route stops at the failure); runs 1, 3 and 4 saved.
            assertThat(snapshot.saves.get()).isGreaterThanOrEqualTo(3).isLessThan(responder.calls.get());
        } finally {
            camel.stop();
        }
    }

    @Test
    void refreshesEveryConfiguredPeriodAndOutlivesAFailedRun() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.ocsp.presignedRefreshMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingResponder responder = new CountingResponder();
        camel.getRegistry().bind(OcspPresignedRefreshRoute.RESPONDER_BEAN, responder);
        camel.addRoutes(new OcspPresignedRefreshRoute());
        NotifyBuilder fourRuns = new NotifyBuilder(camel).fromRoute(OcspPresignedRefreshRoute.ROUTE_ID)
                .whenDone(4).create();
        try {
            camel.start();

            assertThat(fourRuns.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(responder.calls.get()).isGreaterThanOrEqualTo(4);
        } finally {
            camel.stop();
        }
    }
}
