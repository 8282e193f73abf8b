package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.event.CaRevoked;
import org.egovpki.core.event.CertificateIssued;
import org.egovpki.core.event.CertificateRevoked;
import org.egovpki.core.event.CrlPublished;
import org.egovpki.core.event.LifecycleEvent;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle-events fan-out: each event reaches the synchronous consumers before
 * {@code publish} returns, revocations and CA revocations queue their CA's CRL, and an event
 * published before the route is installed is dropped without failing its publisher.
 */
class LifecycleEventsRouteTest {

    /** Stands in for a consumer bean: the route calls {@code on(LifecycleEvent)}. */
    public static final class Heard {
        final List<LifecycleEvent> events = new CopyOnWriteArrayList<>();

        public void on(LifecycleEvent event) {
            events.add(event);
        }
    }

    private final Heard ocsp = new Heard();
    private final Heard km = new Heard();
    private CamelContext camel;
    private LifecycleEvents events;
    private MockEndpoint crl;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(LifecycleEventsRoute.OCSP_BEAN, ocsp);
        camel.getRegistry().bind(LifecycleEventsRoute.KM_BEAN, km);
        camel.addRoutes(new LifecycleEventsRoute());
        // The CRL queue is replaced by a mock: what reaches it is what the CRL-after-revocation route aggregates.
        AdviceWith.adviceWith(camel, LifecycleEventsRoute.ROUTE_ID,
                route -> route.mockEndpointsAndSkip("seda:egovpki-revocations*"));
        camel.start();
        events = Flows.events(camel);
        crl = camel.getEndpoint("mock:seda:egovpki-revocations", MockEndpoint.class);
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void aRevocationReachesOcspAndKmBeforePublishReturnsAndQueuesItsCasCrl() throws Exception {
        crl.expectedBodiesReceived("sm2-issuing");
        CertificateRevoked revoked = new CertificateRevoked(record("sm2-issuing", 7), false);

        events.publish(revoked);

        // No waiting: the synchronous consumers ran in the publisher's thread.
        assertThat(ocsp.events).containsExactly(revoked);
        assertThat(km.events).containsExactly(revoked);
        crl.assertIsSatisfied(5_000);
    }

    @Test
    void aCaRevocationQueuesItsParentsCrlAndOtherEventsQueueNone() throws Exception {
        crl.expectedBodiesReceived("sm2-root");
        NotifyBuilder three = new NotifyBuilder(camel).fromRoute(LifecycleEventsRoute.ROUTE_ID).whenDone(3).create();

        events.publish(new CertificateIssued(record("sm2-issuing", 8), "req-1", CertificateIssued.Occasion.NEW));
        events.publish(new CrlPublished("sm2-issuing", BigInteger.TEN, Instant.parse("2026-11-21T08:00:00Z")));
        events.publish(new CaRevoked("sm2-issuing", "sm2-root"));

        assertThat(three.matches(5, TimeUnit.SECONDS)).isTrue();
        crl.assertIsSatisfied(5_000);
        assertThat(ocsp.events).hasSize(3);
    }

    @Test
    void anEventBeforeTheRouteIsInstalledIsDroppedWithoutFailingItsPublisher() throws Exception {
        CamelContext bare = new DefaultCamelContext();
        bare.start();
        try {
            Flows.events(bare).publish(new CaRevoked("sm2-issuing", "sm2-root"));
        } finally {
            bare.stop();
        }
        assertThat(ocsp.events).isEmpty();
    }

    @Test
    void withTheSyncOnEveryEventAlsoReachesTheSyncCaptureInThePublishersThread() throws Exception {
        Heard sync = new Heard();
        CamelContext withSync = new DefaultCamelContext();
        withSync.getRegistry().bind(LifecycleEventsRoute.OCSP_BEAN, new Heard());
        withSync.getRegistry().bind(LifecycleEventsRoute.KM_BEAN, new Heard());
        withSync.getRegistry().bind(LifecycleEventsRoute.SYNC_BEAN, sync);
        withSync.addRoutes(new LifecycleEventsRoute(true));
        AdviceWith.adviceWith(withSync, LifecycleEventsRoute.ROUTE_ID,
                route -> route.mockEndpointsAndSkip("seda:egovpki-revocations*"));
        withSync.start();
        try {
            CertificateRevoked revoked = new CertificateRevoked(record("sm2-issuing", 9), false);
            CrlPublished crlPublished = new CrlPublished("sm2-issuing", BigInteger.TWO,
                    Instant.parse("2026-11-21T08:00:00Z"));

            Flows.events(withSync).publish(revoked);
            Flows.events(withSync).publish(crlPublished);

            assertThat(sync.events).containsExactly(revoked, crlPublished);
        } finally {
            withSync.stop();
        }
        assertThat(ocsp.events).as("the route without the sync is another context").isEmpty();
    }

    private static CertificateRecord record(String issuer, long serial) {
        Instant now = Instant.parse("2026-11-21T08:00:00Z");
        return new CertificateRecord(issuer, BigInteger.valueOf(serial), "req-" + serial, "subscriber-1",
                "CN=Zhang San,O=Test Bureau,C=CN", "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, null,
                null, CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {1}, new byte[] {2}, now,
                now.plusSeconds(86_400), "00", now, 0, null);
    }
}
