package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The delivery route: the trigger delivers a realtime target at once; the poll finds work nobody announced. */
class SyncDeliveryRouteTest {

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final Clock clock = Clock.systemUTC();
    private TestReceiver receiver;
    private CamelContext camel;

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theTriggerDeliversARealtimeTargetWithoutWaitingForThePoll() throws Exception {
        SyncDelivery delivery = start(3_600_000);
        RoutedSyncDeliveryTrigger trigger = new RoutedSyncDeliveryTrigger(camel, delivery);
        // The first poll fires at start-up: let it pass before anything is enqueued.
        NotifyBuilder firstPoll = new NotifyBuilder(camel).fromRoute(SyncDeliveryRoute.POLL_ROUTE_ID).whenCompleted(1).create();
        assertThat(firstPoll.matches(10, TimeUnit.SECONDS)).isTrue();

        for (long seq = 1; seq <= 20; seq++) {
            enqueue("a", seq);
            trigger.enqueued("a");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredSequences().size() == 20);
        assertThat(receiver.deliveredSequences()).isSorted().doesNotHaveDuplicates();
        assertThat(store.state("a").lastDelivered()).isEqualTo(20);
    }

    @Test
    void thePollDeliversWorkNobodyAnnouncedToEveryTargetInOrder() throws Exception {
        start(50);
        for (long seq = 1; seq <= 10; seq++) {
            enqueue("a", seq);
            enqueue("b", seq);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> store.state("a").lastDelivered() == 10
                && store.state("b").lastDelivered() == 10);
        assertThat(receiver.requests.stream().filter(r -> r.header("Egov-Sync-Target").equals("a"))
                .map(TestReceiver.Received::sequence).toList()).isSorted().hasSize(10);
    }

    private SyncDelivery start(long pollMillis) throws Exception {
        receiver = new TestReceiver();
        for (String id : new String[] {"a", "b"}) {
            store.addTarget(new SyncTarget(id, receiver.url("/sync"), SyncBinding.JSON, Set.of(), "egov-ca",
                    SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false));
        }
        SyncCredentials none = new SyncCredentials() {
            @Override
            public void store(String targetId, Secret secret) {
            }

            @Override
            public Optional<Secret> load(String targetId) {
                return Optional.empty();
            }

            @Override
            public void delete(String targetId) {
            }
        };
        SyncDelivery delivery = new SyncDelivery(store, new HttpSyncTransport(none, Duration.ofSeconds(5), clock),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), Math::random), 5, clock,
                new SyncMetrics(store, clock));
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("egovpki.sync.pollMillis", Long.toString(pollMillis));
        properties.setProperty("egovpki.sync.workers", "2");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind(SyncDeliveryRoute.BEAN, delivery);
        camel.addRoutes(new SyncDeliveryRoute());
        camel.start();
        return delivery;
    }

    private void enqueue(String target, long seq) {
        byte[] body = ("{\"sequence\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        store.enqueue(new SyncMessage(target, seq, "sub-ca/" + seq + "/issued", SyncEventType.CERT_ISSUED, "sub-ca", seq,
                Instant.now(clock), body, new byte[] {1}));
    }
}
