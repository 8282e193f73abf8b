package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncCredentials;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;
import org.egovpki.routes.TestReceiver.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery bean against a real local HTTP receiver, with a clock the test moves (no sleeps). */
class SyncDeliveryTest {

    private static final Instant START = Instant.parse("2026-12-02T01:00:00Z");
    private static final Duration MAX_DELAY = Duration.ofSeconds(300);
    private static final int MAX_ATTEMPTS = 5;
    private static final String TARGET = "henan-tax";

    private final MovableClock clock = new MovableClock(START);
    private final InMemorySyncStore store = new InMemorySyncStore();
    private final Map<String, SyncCredentials.Secret> secrets = new ConcurrentHashMap<>();
    private final SyncCredentials credentials = new SyncCredentials() {
        @Override
        public void store(String targetId, Secret secret) {
            secrets.put(targetId, secret);
        }

        @Override
        public Optional<Secret> load(String targetId) {
            return Optional.ofNullable(secrets.get(targetId));
        }

        @Override
        public void delete(String targetId) {
            secrets.remove(targetId);
        }
    };
    private final SyncMetrics metrics = new SyncMetrics(store, clock);
    private TestReceiver receiver;
    private SyncDelivery delivery;

    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        receiver = new TestReceiver();
        camel = new DefaultCamelContext();
        camel.start();
        SyncTransport transport = SyncTransport.byBinding(new HttpSyncTransport(credentials, Duration.ofSeconds(5), clock),
                new CxfSoapTransport(camel, credentials, Duration.ofSeconds(5), clock));
        delivery = new SyncDelivery(store, transport,
                new Backoff(Duration.ofSeconds(1), MAX_DELAY, () -> 0.5), MAX_ATTEMPTS, clock, metrics);
    }

    @AfterEach
    void stop() {
        camel.stop();
        receiver.close();
    }

    @Test
    void deliversEveryMessageOnceInOrderWhileTheReceiverFailsAtRandom() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(60);
        Random random = new Random(20261202);
        receiver.answers = r -> random.nextDouble() < 0.3 ? Answer.status(503) : Answer.ok();

        for (int round = 0; round < 1_000 && store.state(TARGET).lastDelivered() < 60; round++) {
            delivery.deliver(TARGET);
            clock.advance(MAX_DELAY);
        }

        assertThat(receiver.deliveredSequences()).containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
        assertThat(receiver.requests).hasSizeGreaterThan(60);
        TestReceiver.Received first = receiver.requests.get(0);
        SyncMessage one = store.message(TARGET, 1).orElseThrow();
        assertThat(first.body()).isEqualTo(one.body());
        assertThat(first.header("Content-Type")).isEqualTo("application/cloudevents+json; charset=utf-8");
        assertThat(first.header("Egov-Sync-Signature")).isEqualTo(Base64.getEncoder().encodeToString(one.signature()));
        assertThat(first.header("Egov-Sync-Target")).isEqualTo(TARGET);
        assertThat(first.header("Authorization")).isNull();
        // A retried message carries the same bytes and counts its attempts.
        TestReceiver.Received retried = receiver.requests.stream().filter(r -> !r.header("Egov-Sync-Attempt").equals("1"))
                .findFirst().orElseThrow();
        assertThat(retried.body()).isEqualTo(store.message(TARGET, retried.sequence()).orElseThrow().body());
        TargetState state = store.state(TARGET);
        assertThat(state.attempts()).isZero();
        assertThat(state.lastError()).isNull();
        assertThat(state.lastSuccessAt()).isNotNull();
    }

    @Test
    void aFailedAttemptWaitsItsBackoffAndHonoursRetryAfterUpToTheMaximum() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(2);
        receiver.answers = r -> new Answer(503, Map.of("Retry-After", "7"), "");

        delivery.deliver(TARGET);

        TargetState state = store.state(TARGET);
        assertThat(state.attempts()).isEqualTo(1);
        assertThat(state.lastError()).isEqualTo("HTTP 503");
        assertThat(state.lastAttemptAt()).isEqualTo(START);
        assertThat(state.nextAttemptAt()).isEqualTo(START.plusSeconds(7));
        delivery.deliver(TARGET);
        assertThat(receiver.requests).hasSize(1);

        clock.advance(Duration.ofSeconds(7));
        receiver.answers = r -> new Answer(429, Map.of("Retry-After", "86400"), "");
        delivery.deliver(TARGET);
        assertThat(store.state(TARGET).nextAttemptAt()).isEqualTo(START.plusSeconds(7).plus(MAX_DELAY));
        assertThat(receiver.requests).extracting(r -> r.header("Egov-Sync-Attempt")).containsExactly("1", "2");

        clock.advance(MAX_DELAY);
        receiver.answers = r -> Answer.status(500);
        delivery.deliver(TARGET);
        // Attempt 3 without Retry-After: initial 1 s · 2^2 = 4 s, equal jitter at 0.5 → 3 s.
        assertThat(store.state(TARGET).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(3));

        clock.set(clock.instant().plusSeconds(3));
        String httpDate = "Wed, 02 Dec 2026 01:06:10 GMT";
        receiver.answers = r -> new Answer(503, Map.of("Retry-After", httpDate), "");
        delivery.deliver(TARGET);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-02T01:05:10Z"));
        assertThat(store.state(TARGET).nextAttemptAt()).isEqualTo(Instant.parse("2026-12-02T01:06:10Z"));
    }

    @Test
    void parksAfterMaxAttemptsAndSendsNothingBehindItUntilReDriven() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(3);
        receiver.answers = r -> Answer.status(500);

        failUntilParked();

        assertThat(receiver.requests).hasSize(MAX_ATTEMPTS).allMatch(r -> r.sequence() == 1);
        TargetState parked = store.state(TARGET);
        assertThat(parked.parked()).isTrue();
        assertThat(parked.attempts()).isEqualTo(MAX_ATTEMPTS);
        assertThat(parked.nextAttemptAt()).isNull();
        clock.advance(Duration.ofDays(1));
        delivery.deliver(TARGET);
        assertThat(receiver.requests).hasSize(MAX_ATTEMPTS);

        // The administrator's re-drive (egovSyncParked: FALSE in an LDAP browser leaves the attempts).
        assertThat(store.updateState(TARGET, parked, new TargetState(parked.lastEnqueued(), parked.lastDelivered(),
                false, parked.attempts(), parked.lastError(), parked.lastAttemptAt(), null, null))).isTrue();
        receiver.answers = r -> Answer.ok();
        delivery.deliver(TARGET);

        assertThat(receiver.deliveredSequences()).containsExactly(1L, 2L, 3L);
        assertThat(store.state(TARGET).parked()).isFalse();
    }

    @Test
    void aReDrivenMessageThatFailsAgainGetsItsFullAttemptsBeforeParkingAgain() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(1);
        receiver.answers = r -> Answer.status(500);
        failUntilParked();
        TargetState parked = store.state(TARGET);
        store.updateState(TARGET, parked, new TargetState(parked.lastEnqueued(), 0, false, parked.attempts(),
                parked.lastError(), parked.lastAttemptAt(), null, null));

        delivery.deliver(TARGET);

        assertThat(store.state(TARGET).parked()).isFalse();
        assertThat(store.state(TARGET).attempts()).isEqualTo(1);
        assertThat(receiver.requests.get(MAX_ATTEMPTS).header("Egov-Sync-Attempt")).isEqualTo("1");
    }

    @Test
    void aSkippedMessageIsNotSentAndTheRestFollow() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(3);
        receiver.answers = r -> r.sequence() == 1 ? Answer.status(400) : Answer.ok();
        failUntilParked();
        TargetState parked = store.state(TARGET);

        assertThat(store.updateState(TARGET, parked, new TargetState(parked.lastEnqueued(), 1, false, 0, null,
                parked.lastAttemptAt(), null, null))).isTrue();
        delivery.deliver(TARGET);

        assertThat(receiver.deliveredSequences()).containsExactly(2L, 3L);
    }

    @Test
    void aReplayResendsTheSameBytesFromTheGivenSequence() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(4);
        delivery.deliver(TARGET);
        TargetState done = store.state(TARGET);
        assertThat(done.lastDelivered()).isEqualTo(4);

        // Replay after 2: the administrator lowers lastDelivered.
        assertThat(store.updateState(TARGET, done, new TargetState(done.lastEnqueued(), 2, false, 0, null,
                done.lastAttemptAt(), done.lastSuccessAt(), null))).isTrue();
        delivery.deliver(TARGET);

        assertThat(receiver.deliveredSequences()).containsExactly(1L, 2L, 3L, 4L, 3L, 4L);
        assertThat(receiver.requests.get(4).body()).isEqualTo(receiver.requests.get(2).body());
    }

    @Test
    void aDisabledTargetIsNotDelivered() {
        addTarget(target(SyncBinding.JSON, false, SyncTarget.REALTIME));
        enqueue(2);

        assertThat(delivery.dueTargets()).isEmpty();
        assertThat(delivery.deliver(TARGET)).isZero();

        assertThat(receiver.requests).isEmpty();
        assertThat(store.state(TARGET).pending()).isEqualTo(2);
    }

    @Test
    void aScheduledTargetGetsWhatWasEnqueuedBeforeEachFire() {
        addTarget(target(SyncBinding.JSON, true, "0 0 2 * * ?"));
        enqueue(2);

        delivery.deliver(TARGET);
        assertThat(receiver.requests).isEmpty();

        clock.set(Instant.parse("2026-12-02T02:00:00Z"));
        enqueue(1);
        clock.set(Instant.parse("2026-12-02T02:00:00.500Z"));
        delivery.deliver(TARGET);
        assertThat(receiver.deliveredSequences()).containsExactly(1L, 2L, 3L);

        enqueue(1);
        clock.set(Instant.parse("2026-12-02T14:00:00Z"));
        delivery.deliver(TARGET);
        assertThat(receiver.deliveredSequences()).hasSize(3);

        clock.set(Instant.parse("2026-12-03T02:00:01Z"));
        delivery.deliver(TARGET);
        assertThat(receiver.deliveredSequences()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void basicAuthenticationSendsTheStoredPassword() {
        addTarget(new SyncTarget(TARGET, receiver.url("/sync"), SyncBinding.JSON, Set.of(), "egov-ca",
                new SyncTarget.Authentication(SyncTarget.Authentication.Kind.BASIC, "ca"), true,
                SyncTarget.REALTIME, false));
        enqueue(1);
        credentials.store(TARGET, new SyncCredentials.Secret("s3cret".toCharArray(), null));

        delivery.deliver(TARGET);

        assertThat(receiver.requests.get(0).header("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("ca:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMissingSecretIsAFailedAttemptThatSaysWhatIsMissing() {
        addTarget(new SyncTarget(TARGET, receiver.url("/sync"), SyncBinding.JSON, Set.of(), "egov-ca",
                new SyncTarget.Authentication(SyncTarget.Authentication.Kind.BASIC, "ca"), true,
                SyncTarget.REALTIME, false));
        enqueue(1);

        delivery.deliver(TARGET);

        assertThat(receiver.requests).isEmpty();
        assertThat(store.state(TARGET).lastError()).isEqualTo("target henan-tax uses BASIC authentication but has no secret stored");
    }

    @Test
    void theSoapBindingPostsTheDeliverEnvelopeWithTheSameBytesAndSignature() {
        addTarget(target(SyncBinding.SOAP, true, SyncTarget.REALTIME));
        enqueue(2);
        receiver.answers = r -> new Answer(200, Map.of("Content-Type", "text/xml"),
                "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                        + "<s:deliverResponse xmlns:s=\"urn:egov-pki:sync:1\"><s:accepted>true</s:accepted>"
                        + "</s:deliverResponse></soap:Body></soap:Envelope>");

        delivery.deliver(TARGET);

        assertThat(receiver.deliveredSequences()).containsExactly(1L, 2L);
        TestReceiver.Received first = receiver.requests.get(0);
        SyncMessage one = store.message(TARGET, 1).orElseThrow();
        assertThat(first.header("SOAPAction")).isEqualTo("\"urn:egov-pki:sync:1#deliver\"");
        assertThat(first.header("Content-Type")).startsWith("text/xml");
        assertThat(first.text()).contains("<sync:deliver xmlns:sync=\"urn:egov-pki:sync:1\">",
                "<sync:event>" + Base64.getEncoder().encodeToString(one.body()) + "</sync:event>",
                "<sync:signature>" + Base64.getEncoder().encodeToString(one.signature()) + "</sync:signature>");
        assertThat(first.header("Egov-Sync-Signature")).isNull();
        assertThat(first.header("Egov-Sync-Target")).isEqualTo(TARGET);
        assertThat(first.header("Egov-Sync-Sequence")).isEqualTo("1");
        assertThat(first.header("Egov-Sync-Attempt")).isEqualTo("1");
    }

    @Test
    void aSoapFaultOrAnAnswerWithoutAcceptedIsAFailedAttempt() {
        addTarget(target(SyncBinding.SOAP, true, SyncTarget.REALTIME));
        enqueue(1);
        receiver.answers = r -> new Answer(500, Map.of(), "<soap:Envelope><soap:Body><soap:Fault/></soap:Body></soap:Envelope>");
        delivery.deliver(TARGET);
        assertThat(store.state(TARGET).lastError()).isEqualTo("HTTP 500 (SOAP fault)");

        clock.advance(MAX_DELAY);
        receiver.answers = r -> Answer.ok();
        delivery.deliver(TARGET);
        assertThat(store.state(TARGET).lastDelivered()).isZero();
        assertThat(store.state(TARGET).lastError()).isEqualTo("SOAP answer 200 without accepted=true");

        clock.advance(MAX_DELAY);
        receiver.answers = r -> Answer.status(503);
        delivery.deliver(TARGET);
        assertThat(store.state(TARGET).lastError()).isEqualTo("HTTP 503");
        assertThat(store.state(TARGET).attempts()).isEqualTo(3);
    }

    @Test
    void aDeadReceiverIsAFailedAttemptNamingWhereItWent() {
        receiver.close();
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(1);

        delivery.deliver(TARGET);

        assertThat(store.state(TARGET).lastError()).startsWith("connection to 127.0.0.1:");
        assertThat(store.state(TARGET).attempts()).isEqualTo(1);
    }

    @Test
    void metricsReportLagAgeParkingAndAttemptsPerTarget() {
        addTarget(target(SyncBinding.JSON, true, SyncTarget.REALTIME));
        enqueue(3);
        receiver.answers = r -> r.sequence() == 1 ? Answer.ok()
                : new Answer(503, Map.of("Retry-After", "1"), "");
        delivery.deliver(TARGET);
        clock.advance(Duration.ofSeconds(90));

        String text = metrics.render();

        assertThat(text).contains(
                "# TYPE egovpki_sync_lag_events gauge\n",
                "egovpki_sync_lag_events{target=\"henan-tax\"} 2\n",
                "egovpki_sync_oldest_pending_age_seconds{target=\"henan-tax\"} 90\n",
                "egovpki_sync_parked{target=\"henan-tax\"} 0\n",
                "egovpki_sync_last_success_timestamp_seconds{target=\"henan-tax\"} " + START.getEpochSecond() + "\n",
                "# TYPE egovpki_sync_delivery_attempts_total counter\n",
                "egovpki_sync_delivery_attempts_total{target=\"henan-tax\",outcome=\"delivered\"} 1\n",
                "egovpki_sync_delivery_attempts_total{target=\"henan-tax\",outcome=\"retry_after\"} 1\n",
                "egovpki_sync_delivery_attempts_total{target=\"henan-tax\",outcome=\"failed\"} 0\n");
    }

    private void failUntilParked() {
        for (int i = 0; i < 100 && !store.state(TARGET).parked(); i++) {
            delivery.deliver(TARGET);
            clock.advance(MAX_DELAY);
        }
        assertThat(store.state(TARGET).parked()).isTrue();
    }

    private SyncTarget target(SyncBinding binding, boolean enabled, String schedule) {
        return new SyncTarget(TARGET, receiver.url(binding == SyncBinding.SOAP ? "/soap" : "/sync"), binding, Set.of(),
                "egov-ca", SyncTarget.Authentication.NONE, enabled, schedule, false);
    }

    private void addTarget(SyncTarget target) {
        assertThat(store.addTarget(target)).isTrue();
    }

    /** Enqueues {@code n} more messages with distinct bodies and signatures. */
    private void enqueue(int n) {
        long last = store.state(TARGET).lastEnqueued();
        for (long seq = last + 1; seq <= last + n; seq++) {
            byte[] body = ("{\"id\":\"sub-ca/" + Long.toHexString(seq).toUpperCase() + "/issued\",\"sequence\":" + seq + "}")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] signature = ("cms-" + seq).getBytes(StandardCharsets.UTF_8);
            assertThat(store.enqueue(new SyncMessage(TARGET, seq, "sub-ca/" + seq + "/issued", SyncEventType.CERT_ISSUED,
                    "sub-ca", seq, clock.instant(), body, signature))).isTrue();
        }
    }


}
