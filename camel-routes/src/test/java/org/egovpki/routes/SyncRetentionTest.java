package org.egovpki.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.sync.InMemorySyncOutbox;
import org.egovpki.core.sync.OutboxEvent;
import org.egovpki.core.sync.InMemorySyncStore;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncEventFixtures;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;
import org.junit.jupiter.api.Test;

class SyncRetentionTest {

    @Test
    void deletesOnlyDeliveredMessagesPastTheRetention() {
        Instant start = Instant.parse("2026-09-01T00:00:00Z");
        MovableClock clock = new MovableClock(start);
        InMemorySyncStore store = new InMemorySyncStore();
        store.addTarget(new SyncTarget("t", URI.create("http://127.0.0.1:9/"), SyncBinding.JSON, Set.of(), "ca",
                SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false));
        for (long seq = 1; seq <= 4; seq++) {
            store.enqueue(new SyncMessage("t", seq, "e" + seq, SyncEventType.CERT_ISSUED, "ca", seq,
                    start.plus(Duration.ofDays(seq)), new byte[] {1}, new byte[] {2}));
        }
        TargetState s = store.state("t");
        store.updateState("t", s, new TargetState(4, 3, false, 0, null, null, null, null));
        clock.set(start.plus(Duration.ofDays(92)).plusSeconds(1));

        int purged = new SyncRetention(store, new InMemorySyncOutbox(), Duration.ofDays(90), clock).purge();

        assertThat(purged).isEqualTo(2);
        assertThat(store.messages("t", 0, 10)).extracting(SyncMessage::sequence).containsExactly(3L, 4L);
    }

    @Test
    void deletesOutboxEventsPastTheRetentionOnlyOnceEveryTargetHasThem() {
        Instant start = Instant.parse("2026-09-01T00:00:00Z");
        MovableClock clock = new MovableClock(start.plus(Duration.ofDays(100)));
        InMemorySyncOutbox outbox = new InMemorySyncOutbox();
        for (int day = 1; day <= 4; day++) {
            CertificateRecord r = SyncEventFixtures.record("ca", BigInteger.valueOf(day));
            outbox.append(SyncEventFixtures.certificate(SyncEventType.CERT_ISSUED, day, start.plus(Duration.ofDays(day)),
                    r).event());
        }
        outbox.markFannedOut("ca", 2);

        int purged = new SyncRetention(new InMemorySyncStore(), outbox, Duration.ofDays(90), clock).purge();

        assertThat(purged).isEqualTo(2);
        assertThat(outbox.events("ca")).extracting(OutboxEvent::caSequence).containsExactly(3L, 4L);
    }
}
