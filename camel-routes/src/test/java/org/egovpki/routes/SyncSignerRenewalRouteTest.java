package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SyncSignerRenewalRouteTest {

    /** Stands in for SyncSigners: the route only needs a bean with renewDue(); the second check fails. */
    public static final class CountingJobs {
        final AtomicInteger calls = new AtomicInteger();

        public int renewDue() {
            int call = calls.incrementAndGet();
            if (call == 2) {
                throw new IllegalStateException("key store unavailable");
            }
            return call == 3 ? 1 : 0;
        }
    }

    @Test
    void checksForDueRenewalsEveryConfiguredPeriodAndKeepsCheckingAfterAFailure() throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.sync.signerRenewalCheckMillis", "50");
        camel.getPropertiesComponent().setInitialProperties(properties);
        CountingJobs jobs = new CountingJobs();
        camel.getRegistry().bind(SyncSignerRenewalRoute.JOBS_BEAN, jobs);
        camel.addRoutes(new SyncSignerRenewalRoute());
        NotifyBuilder fourChecks = new NotifyBuilder(camel).fromRoute(SyncSignerRenewalRoute.ROUTE_ID)
                .whenDone(4).create();
        try {
            camel.start();

            assertThat(fourChecks.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(jobs.calls.get()).isGreaterThanOrEqualTo(4);
        } finally {
            camel.stop();
        }
    }
}
