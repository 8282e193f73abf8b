package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CRL after a revocation, aggregated per CA. The window is not raced: where the test needs the
 * window to close it closes it itself (Camel's complete-all-groups signal, what the interval timer
 * does), with a window far longer than the test, so no burst can straddle two windows; the one
 * test of the timer itself only waits for it to fire.
 */
class CrlAfterRevocationRouteTest {

    private final RecordingJobs jobs = new RecordingJobs();
    private CamelContext camel;
    private ProducerTemplate producer;

    private void start(Duration window) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(CrlScheduleRoute.JOBS_BEAN, jobs);
        camel.addRoutes(new CrlAfterRevocationRoute(window));
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** Closes the window now, as the interval would. */
    private void closeWindow() {
        producer.sendBodyAndHeader(CrlAfterRevocationRoute.ENDPOINT, "", Exchange.AGGREGATION_COMPLETE_ALL_GROUPS,
                true);
    }

    @Test
    void aBurstOfRevocationsGivesEachCaOneCrlPerWindow() throws Exception {
        start(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
        }
        producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "ec-issuing");

        closeWindow();

        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.afterRevocation().size() >= 2);
        assertThat(jobs.afterRevocation()).containsExactlyInAnyOrder("sm2-issuing", "ec-issuing");

        producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
        closeWindow();

        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.afterRevocation().size() >= 3);
        assertThat(jobs.afterRevocation()).hasSize(3).endsWith("sm2-issuing");
    }

    @Test
    void theWindowClosesByItself() throws Exception {
        start(Duration.ofMillis(200));
        producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
        producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");

        await().atMost(Duration.ofSeconds(10)).until(() -> !jobs.afterRevocation().isEmpty());
        // Two sends may straddle a window boundary on a loaded machine: one CRL or two, never more, same CA.
        assertThat(jobs.afterRevocation()).hasSizeBetween(1, 2).containsOnly("sm2-issuing");
    }

    /**
     * A reload's new window: the CAs waiting in the old (an hour) get their CRL when the route is
     * replaced, and a revocation after it is covered by the new window (200 ms) without any signal.
     */
    @Test
    void aNewWindowIssuesTheOpenOneAtOnceAndAppliesToTheNextRevocations() throws Exception {
        start(Duration.ofHours(1));
        // As in the server, revocations reach the queue from another route (the lifecycle events'),
        // which keeps the queue's endpoint while the window's route is replaced.
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("direct:revoked").to(org.apache.camel.ExchangePattern.InOnly, CrlAfterRevocationRoute.ENDPOINT);
            }
        });
        producer.sendBody("direct:revoked", "sm2-issuing");

        new CrlTimings(camel).afterRevocationWindow(Duration.ofMillis(200));

        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.afterRevocation().contains("sm2-issuing"));
        assertThat(camel.getRouteController().getRouteStatus(CrlAfterRevocationRoute.ROUTE_ID).isStarted()).isTrue();
        producer.sendBody("direct:revoked", "ec-issuing");
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.afterRevocation().contains("ec-issuing"));
        assertThat(jobs.afterRevocation()).containsExactly("sm2-issuing", "ec-issuing");
    }

    /**
     * The name that joins the window as a reload closes it (the race behind a flaky replacement):
     * a group still open when its route stops is not dropped with the route but kept for the
     * replacement's window, which issues its CRL.
     */
    @Test
    void aGroupStillOpenWhenTheRouteStopsIsIssuedByTheReplacement() throws Exception {
        start(Duration.ofHours(1));
        producer.sendBody(CrlAfterRevocationRoute.ENDPOINT, "sm2-issuing");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CrlWindowRepository.of(camel).getKeys().contains("sm2-issuing"));

        // Stopped without closing the window first: the old in-memory repository emptied itself here.
        camel.getRouteController().stopRoute(CrlAfterRevocationRoute.ROUTE_ID);
        camel.removeRoute(CrlAfterRevocationRoute.ROUTE_ID);
        assertThat(jobs.afterRevocation()).isEmpty();
        camel.addRoutes(new CrlAfterRevocationRoute(Duration.ofMillis(200)));

        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.afterRevocation().contains("sm2-issuing"));
        assertThat(jobs.afterRevocation()).containsExactly("sm2-issuing");
        assertThat(CrlWindowRepository.of(camel).getKeys()).isEmpty();
    }
}
