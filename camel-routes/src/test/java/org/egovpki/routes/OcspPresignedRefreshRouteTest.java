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
