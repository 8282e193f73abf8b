package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class OcspResponderRenewalRouteTest {

    /** Stands in for OcspResponderJobs: the route only needs a bean with renewDue(). */
    public static final class CountingJobs {
        final AtomicInteger calls = new AtomicInteger();

        public int renewDue() {
            return calls.incrementAndGet() == 2 ? 1 : 0;
        }
    }

    @Test
    void checksForDueRenewalsEveryConfiguredPeriod() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.ocsp.renewalCheckMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingJobs jobs = new CountingJobs();
        camel.getRegistry().bind(OcspResponderRenewalRoute.JOBS_BEAN, jobs);
        camel.addRoutes(new OcspResponderRenewalRoute());
        NotifyBuilder threeChecks = new NotifyBuilder(camel).fromRoute(OcspResponderRenewalRoute.ROUTE_ID)
                .whenCompleted(3).create();
        try {
            camel.start();

            assertThat(threeChecks.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.calls.get()).isGreaterThanOrEqualTo(3);
        } finally {
            camel.stop();
        }
    }
}
