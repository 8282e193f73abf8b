package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class CrlAfterRevocationRouteTest {

    @Test
    void aBurstOfRevocationsGivesEachCaOneCrlWithinTheWindow() throws Exception {
        RecordingJobs jobs = new RecordingJobs();
        CamelContext camel = new DefaultCamelContext();
        camel.getRegistry().bind(CrlScheduleRoute.JOBS_BEAN, jobs);
        camel.addRoutes(new CrlAfterRevocationRoute(Duration.ofMillis(500)));
        camel.start();
        try {
            ProducerTemplate producer = camel.createProducerTemplate();
            for (int i = 0; i < 5; i++) {
                producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
            }
            producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "ec-issuing");

            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (jobs.afterRevocation().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(jobs.afterRevocation()).containsExactlyInAnyOrder("sm2-issuing", "ec-issuing");

            producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (jobs.afterRevocation().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(jobs.afterRevocation()).hasSize(3).endsWith("sm2-issuing");
        } finally {
            camel.stop();
        }
    }
}
