package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Capture → outbox → fan-out with in-memory ports: order per target, routing by business type, CRL
 * events to every target, no duplicate for a repeated marker, and a crash before or after every
 * single write resumed without a gap or a duplicate.
 */
class SyncCaptureTest {

    private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    /** The events the scenario produces, with the times that order them. */
    private final Map<SyncMarkers.Owed, SyncEvent> world = new HashMap<>();

    private final SyncMarkers.Owed issuedTax = cert("sub-ca", "1a", SyncMarkers.ISSUED, "tax", 1);
    private final SyncMarkers.Owed issuedSocial = cert("sub-ca", "2b", SyncMarkers.ISSUED, "social", 2);
    private final SyncMarkers.Owed issuedOther = cert("other-ca", "3c", SyncMarkers.ISSUED, "tax", 3);
    private final SyncMarkers.Owed revokedTax = cert("sub-ca", "1a", SyncMarkers.REVOKED, "tax", 4);
    private final SyncMarkers.Owed crl = crl("sub-ca", 5, 5);

    @Test
    void routesByBusinessTypeSendsCrlsToAllAndKeepsOrderPerTarget() {
        Harness h = new Harness(new Crash(0, false));
        h.run();

        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/issued", "other-ca/3C/issued", "sub-ca/1A/revoked",
                "sub-ca/crl/5");
        assertThat(h.eventIds("all")).containsExactly("sub-ca/1A/issued", "sub-ca/2B/issued", "other-ca/3C/issued",
                "sub-ca/1A/revoked", "sub-ca/crl/5");
        assertThat(h.eventIds("off")).isEmpty();
        assertThat(h.outbox.markers()).isEmpty();
        assertThat(h.outbox.events("sub-ca")).extracting(OutboxEvent::caSequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(h.woken).containsExactly("all", "tax", "all", "all", "tax", "all", "tax", "all", "tax");
    }

    @Test
    void messagesCarryTheirSequencesTheCaSequenceAndASignatureOverTheBody() {
        Harness h = new Harness(new Crash(0, false));
        h.run();

        List<SyncMessage> tax = h.store.messages("tax", 0, 100);
        assertThat(tax).extracting(SyncMessage::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(tax).extracting(SyncMessage::caSequence).containsExactly(1L, 1L, 3L, 4L);
        assertThat(tax).extracting(SyncMessage::ca).containsExactly("sub-ca", "other-ca", "sub-ca", "sub-ca");
        assertThat(h.store.state("tax").lastEnqueued()).isEqualTo(4);
        SyncMessage revoked = tax.get(2);
        assertThat(new String(revoked.body(), StandardCharsets.UTF_8)).isEqualTo("sub-ca/1A/revoked|tax|3|3");
        assertThat(revoked.signature()).isEqualTo(signature("sub-ca", revoked.body()));
        assertThat(revoked.type()).isEqualTo(SyncEventType.CERT_REVOKED);
    }

    @Test
    void aMarkerCapturedTwiceIsOneEventForEveryTarget() {
        Harness h = new Harness(new Crash(0, false));
        h.outbox.mark(issuedTax);
        h.capture.pass();
        h.outbox.mark(issuedTax); // the same change's marker again, e.g. a store write repeated by recovery
        h.capture.pass();

        assertThat(h.outbox.events("sub-ca")).hasSize(1);
        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/issued");
        assertThat(h.eventIds("all")).containsExactly("sub-ca/1A/issued");
    }

    @Test
    void aTargetAddedLaterGetsOnlyLaterEventsAndOneDisabledGetsNone() {
        Harness h = new Harness(new Crash(0, false));
        h.outbox.mark(issuedTax);
        h.capture.pass();
        h.store.addTarget(target("late", Set.of(), true));
        h.outbox.mark(crl);
        h.capture.pass();

        assertThat(h.eventIds("late")).containsExactly("sub-ca/crl/5");
        assertThat(h.store.messages("late", 0, 10)).extracting(SyncMessage::sequence).containsExactly(1L);
    }

    @Test
    void aMarkerNobodyCanResolveIsLeftAloneWithoutStoppingTheOthers() {
        Harness h = new Harness(new Crash(0, false));
        SyncMarkers.Owed bogus = new SyncMarkers.Owed("sub-ca", null, "crl:not-a-number");
        world.remove(bogus);
        SyncCapture capture = new SyncCapture(h.outbox, owed -> {
            if (owed.equals(bogus)) {
                throw new IllegalArgumentException("unknown sync marker");
            }
            return Optional.ofNullable(world.get(owed));
        }, h.outbox, new SyncFanOut(h.outbox, h.store, (e, t, n, at) -> new byte[] {1}, new TestSigner(),
                SyncDeliveryTrigger.NONE, CLOCK));
        h.outbox.mark(bogus);
        h.outbox.mark(issuedTax);

        assertThat(capture.pass()).isEqualTo(1);

        assertThat(h.outbox.markers()).containsExactly(bogus);
        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/issued");
    }

    @Test
    void aStopLetsThePassUnderWayFinishInsteadOfInterruptingIt() throws Exception {
        Harness h = new Harness(new Crash(0, false));
        CountDownLatch resolving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger sweeps = new AtomicInteger(); // reads of the owed markers: one or more per pass
        SyncMarkers counted = new SyncMarkers() {
            @Override
            public List<Owed> owed(int limit) {
                sweeps.incrementAndGet();
                return h.outbox.owed(limit);
            }

            @Override
            public void discharge(Owed owed) {
                h.outbox.discharge(owed);
            }
        };
        SyncCapture capture = new SyncCapture(counted, owed -> {
            resolving.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                // what an LDAP call does when its thread is interrupted: the pass fails half-way
                interrupted.set(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the directory is unavailable (local error)");
            }
            return Optional.ofNullable(world.get(owed));
        }, h.outbox, new SyncFanOut(h.outbox, h.store, (e, t, n, at) -> new byte[] {1}, new TestSigner(),
                SyncDeliveryTrigger.NONE, CLOCK));
        h.outbox.mark(issuedTax);
        capture.start(Duration.ofHours(1)); // the first sweep at once
        assertThat(resolving.await(10, TimeUnit.SECONDS)).as("the sweep reached the marker").isTrue();
        // A wake-up queued behind the pass under way, as a lifecycle event right before the stop does.
        capture.on(new org.egovpki.core.event.CrlPublished("sub-ca", BigInteger.TEN, T0));

        Thread stop = new Thread(capture::close, "stop");
        stop.start();
        // The pass goes on only once the stop is under way: waiting for it, or already done with it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stop.isAlive() && stop.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        stop.join(TimeUnit.SECONDS.toMillis(SyncCapture.STOP_WAIT.toSeconds() + 10));
        assertThat(stop.isAlive()).as("the stop returned").isFalse();

        assertThat(interrupted).as("the pass under way was interrupted by the stop").isFalse();
        assertThat(h.outbox.markers()).isEmpty();
        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/issued");
        // The pass under way read the markers twice (its batch, then nothing new); the queued wake-up
        // started no pass of its own once the stop had begun.
        assertThat(sweeps).hasValue(2);
    }

    static List<Arguments> crashes() {
        List<Arguments> all = new ArrayList<>();
        // The scenario makes 5 marker removals, 5 outbox appends, 5 fan-out marks and 9 enqueues.
        IntStream.rangeClosed(1, 24).forEach(n -> {
            all.add(Arguments.of(n, false));
            all.add(Arguments.of(n, true));
        });
        return all;
    }

    @ParameterizedTest(name = "crash at write {0}, after it: {1}")
    @MethodSource("crashes")
    void aCrashAtAnyWriteIsResumedWithoutGapOrDuplicate(int write, boolean afterIt) {
        Harness expected = new Harness(new Crash(0, false));
        expected.run();
        Crash crash = new Crash(write, afterIt);
        Harness h = new Harness(crash);

        h.run();

        assertThat(crash.fired).as("the scenario reached write %d", write).isTrue();
        for (String target : List.of("tax", "all", "off")) {
            // Each CA's events in the same order (the guarantee: CAs' outboxes are independent, so a
            // restart may interleave two CAs differently), every event once, sequences 1..n.
            for (String ca : List.of("sub-ca", "other-ca")) {
                assertThat(h.eventIds(target).stream().filter(id -> id.startsWith(ca + "/")).toList()).as(target)
                        .isEqualTo(expected.eventIds(target).stream().filter(id -> id.startsWith(ca + "/")).toList());
            }
            assertThat(h.eventIds(target)).as(target).doesNotHaveDuplicates()
                    .hasSameSizeAs(expected.eventIds(target));
            assertThat(h.store.messages(target, 0, 100)).extracting(SyncMessage::sequence).as(target)
                    .isEqualTo(expected.store.messages(target, 0, 100).stream().map(SyncMessage::sequence).toList());
        }
        assertThat(h.outbox.markers()).isEmpty();
    }

    @Test
    void eventsNoTargetTakesArePassedOverWithOneRecordOfThePositionPerBatch() {
        Harness h = new Harness(new Crash(0, false), List.of(target("tax", Set.of("tax"), true)));
        List<SyncMarkers.Owed> social = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            social.add(cert("sub-ca", Integer.toHexString(0x40 + i), SyncMarkers.ISSUED, "social", 10 + i));
        }
        social.forEach(h.outbox::mark);
        h.outbox.mark(revokedTax); // minute 4: before the six
        h.capture.pass();
        int writes = h.crash.writes;

        // 7 appends and 7 marker removals; the fan-out records its position twice, not 7 times: once
        // for the event the tax target takes, once after the six nobody takes.
        assertThat(writes).isEqualTo(7 + 7 + 1 + 2);
        assertThat(h.outbox.fannedOut("sub-ca")).isEqualTo(7);
        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/revoked");

        // A later event the target takes is enqueued once, and the position follows it.
        h.outbox.mark(cert("sub-ca", "7f", SyncMarkers.ISSUED, "tax", 30));
        h.capture.pass();
        assertThat(h.eventIds("tax")).containsExactly("sub-ca/1A/revoked", "sub-ca/7F/issued");
        assertThat(h.outbox.fannedOut("sub-ca")).isEqualTo(8);
    }

    @Test
    void withEventsNoTargetTakesACrashAtAnyWriteIsResumedWithoutGapOrDuplicate() {
        List<SyncTarget> taxOnly = List.of(target("tax", Set.of("tax"), true));
        Harness expected = new Harness(new Crash(0, false), taxOnly);
        expected.run();
        int writes = expected.crash.writes;
        assertThat(expected.eventIds("tax")).isNotEmpty();
        for (int write = 1; write <= writes; write++) {
            for (boolean afterIt : new boolean[] {false, true}) {
                Crash crash = new Crash(write, afterIt);
                Harness h = new Harness(crash, taxOnly);
                h.run();
                assertThat(crash.fired).as("write %d reached", write).isTrue();
                // Per CA in the same order (CAs' outboxes are independent), every event once.
                for (String ca : List.of("sub-ca", "other-ca")) {
                    assertThat(h.eventIds("tax").stream().filter(id -> id.startsWith(ca + "/")).toList())
                            .as("crash at write %d, after it: %s", write, afterIt)
                            .isEqualTo(expected.eventIds("tax").stream().filter(id -> id.startsWith(ca + "/")).toList());
                }
                assertThat(h.eventIds("tax")).doesNotHaveDuplicates().hasSameSizeAs(expected.eventIds("tax"));
                assertThat(h.store.messages("tax", 0, 100)).extracting(SyncMessage::sequence)
                        .isEqualTo(expected.store.messages("tax", 0, 100).stream().map(SyncMessage::sequence).toList());
                assertThat(h.outbox.markers()).isEmpty();
                assertThat(h.outbox.fannedOut("sub-ca")).isEqualTo(expected.outbox.fannedOut("sub-ca"));
            }
        }
    }

    // ------------------------------------------------------------------ the scenario

    private final class Harness {
        final InMemorySyncOutbox outbox = new InMemorySyncOutbox();
        final InMemorySyncStore store = new InMemorySyncStore();
        final List<String> woken = new ArrayList<>();
        final SyncCapture capture;
        final Crash crash;

        Harness(Crash crash) {
            this(crash, List.of(target("tax", Set.of("tax"), true), target("all", Set.of(), true),
                    target("off", Set.of(), false)));
        }

        Harness(Crash crash, List<SyncTarget> targets) {
            this.crash = crash;
            targets.forEach(store::addTarget);
            CrashingOutbox ports = new CrashingOutbox(outbox, crash);
            SyncFanOut fanOut = new SyncFanOut(ports, new CrashingStore(store, crash),
                    (event, target, sequence, syncTime) -> (event.event().id() + "|" + target.id() + "|" + sequence
                            + "|" + event.caSequence()).getBytes(StandardCharsets.UTF_8),
                    new TestSigner(), woken::add, CLOCK);
            capture = new SyncCapture(ports, owed -> Optional.ofNullable(world.get(owed)), ports, fanOut);
        }

        /** Two batches of changes, each followed by a pass; a crashed pass is followed by another. */
        void run() {
            outbox.mark(issuedTax);
            outbox.mark(issuedSocial);
            passSurvivingACrash();
            outbox.mark(crl);
            outbox.mark(revokedTax);
            outbox.mark(issuedOther);
            passSurvivingACrash();
            passSurvivingACrash();
        }

        void passSurvivingACrash() {
            try {
                capture.pass();
            } catch (Crash.Crashed expected) {
                // the process died here; the next pass is the restart
            }
        }

        List<String> eventIds(String target) {
            return store.messages(target, 0, 100).stream().map(SyncMessage::eventId).toList();
        }
    }

    private SyncMarkers.Owed cert(String ca, String serial, String marker, String businessType, int minute) {
        BigInteger s = new BigInteger(serial, 16);
        SyncMarkers.Owed owed = new SyncMarkers.Owed(ca, s, marker);
        SyncEventType type = marker.equals(SyncMarkers.REVOKED) ? SyncEventType.CERT_REVOKED : SyncEventType.CERT_ISSUED;
        String hex = serial.toUpperCase();
        world.put(owed, new SyncEvent(SyncEvent.certificateId(ca, hex, type), type, ca, T0.plusSeconds(60L * minute),
                new SyncEvent.Certificate(hex, "p-1", "PERSONAL", "SIGNING", "personal-sign", "CN=Zhang San",
                        businessType, "410000", type == SyncEventType.CERT_REVOKED ? "REVOKED" : "VALID", T0,
                        T0.plusSeconds(86_400), "00", new byte[] {1}, null, null, null), null));
        return owed;
    }

    private SyncMarkers.Owed crl(String ca, long number, int minute) {
        SyncMarkers.Owed owed = new SyncMarkers.Owed(ca, null, SyncMarkers.crl(null, BigInteger.valueOf(number)));
        Instant at = T0.plusSeconds(60L * minute);
        world.put(owed, new SyncEvent(SyncEvent.crlId(ca, BigInteger.valueOf(number)), SyncEventType.CRL_PUBLISHED,
                ca, at, null, new SyncEvent.Crl(BigInteger.valueOf(number), "FULL", null, null, at,
                at.plusSeconds(86_400), new byte[] {2})));
        return owed;
    }

    private static SyncTarget target(String id, Set<String> businessTypes, boolean enabled) {
        return new SyncTarget(id, URI.create("http://127.0.0.1:1/" + id), SyncBinding.JSON, businessTypes, "CA-" + id,
                SyncTarget.Authentication.NONE, enabled, SyncTarget.REALTIME, false);
    }

    private static byte[] signature(String ca, byte[] body) {
        return ("sig:" + ca + ":" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    private static final class TestSigner implements SyncSigner {
        @Override
        public byte[] sign(String ca, byte[] body) {
            return signature(ca, body);
        }

        @Override
        public List<java.security.cert.X509Certificate> chain(String ca) {
            return List.of();
        }
    }

    /** Kills "the process" once, before or after the n-th write to the directory. */
    static final class Crash {
        static final class Crashed extends RuntimeException {
            Crashed(int write) {
                super("simulated crash at write " + write, null, false, false);
            }
        }

        private final int at;
        private final boolean afterIt;
        private int writes;
        boolean fired;

        Crash(int at, boolean afterIt) {
            this.at = at;
            this.afterIt = afterIt;
        }

        <T> T write(Supplier<T> op) {
            writes++;
            if (writes == at && !afterIt) {
                fired = true;
                throw new Crashed(writes);
            }
            T result = op.get();
            if (writes == at) {
                fired = true;
                throw new Crashed(writes);
            }
            return result;
        }
    }

    private record CrashingOutbox(InMemorySyncOutbox delegate, Crash crash) implements SyncOutbox, SyncMarkers {
        @Override
        public OutboxEvent append(SyncEvent event) {
            return crash.write(() -> delegate.append(event));
        }

        @Override
        public List<OutboxEvent> after(String ca, long caSequence, int limit) {
            return delegate.after(ca, caSequence, limit);
        }

        @Override
        public List<String> cas() {
            return delegate.cas();
        }

        @Override
        public long fannedOut(String ca) {
            return delegate.fannedOut(ca);
        }

        @Override
        public void markFannedOut(String ca, long caSequence) {
            crash.write(() -> {
                delegate.markFannedOut(ca, caSequence);
                return null;
            });
        }

        @Override
        public int purge(String ca, long throughSequence, java.time.Instant before) {
            return crash.write(() -> delegate.purge(ca, throughSequence, before));
        }

        @Override
        public List<Owed> owed(int limit) {
            return delegate.owed(limit);
        }

        @Override
        public void discharge(Owed owed) {
            crash.write(() -> {
                delegate.discharge(owed);
                return null;
            });
        }
    }

    private record CrashingStore(InMemorySyncStore delegate, Crash crash) implements SyncStore {
        @Override
        public List<SyncTarget> targets() {
            return delegate.targets();
        }

        @Override
        public Optional<SyncTarget> target(String id) {
            return delegate.target(id);
        }

        @Override
        public boolean addTarget(SyncTarget target) {
            return delegate.addTarget(target);
        }

        @Override
        public boolean replaceTarget(SyncTarget target) {
            return delegate.replaceTarget(target);
        }

        @Override
        public boolean deleteTarget(String id) {
            return delegate.deleteTarget(id);
        }

        @Override
        public boolean enqueue(SyncMessage message) {
            return crash.write(() -> delegate.enqueue(message));
        }

        @Override
        public Optional<SyncMessage> message(String targetId, long sequence) {
            return delegate.message(targetId, sequence);
        }

        @Override
        public List<SyncMessage> messages(String targetId, long afterSequence, int limit) {
            return delegate.messages(targetId, afterSequence, limit);
        }

        @Override
        public int purgeDelivered(String targetId, Instant before) {
            return delegate.purgeDelivered(targetId, before);
        }

        @Override
        public TargetState state(String targetId) {
            return delegate.state(targetId);
        }

        @Override
        public boolean updateState(String targetId, TargetState expected, TargetState updated) {
            return delegate.updateState(targetId, expected, updated);
        }
    }

}
