package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class IssuanceRecoveryRouteTest {

    /** Stands in for the Issuer: the route only needs recoverAll(); the second run fails. */
    public static final class CountingIssuer {
        final AtomicInteger calls = new AtomicInteger();

        public Object recoverAll() {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("directory unavailable");
            }
            return "recovered";
        }
    }

    @Test
    void recoversEveryPeriodAndKeepsRecoveringAfterAFailure() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.recovery.periodMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingIssuer issuer = new CountingIssuer();
        camel.getRegistry().bind(IssuanceRecoveryRoute.BEAN, issuer);
        camel.addRoutes(new IssuanceRecoveryRoute());
        NotifyBuilder fourRuns = new NotifyBuilder(camel).fromRoute(IssuanceRecoveryRoute.ROUTE_ID).whenDone(4).create();
        try {
            camel.start();

            assertThat(fourRuns.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(issuer.calls.get()).as("a failed run does not stop the next").isGreaterThanOrEqualTo(4);
        } finally {
            camel.stop();
        }
    }
}
