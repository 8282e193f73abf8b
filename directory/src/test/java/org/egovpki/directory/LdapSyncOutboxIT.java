package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.SearchResultEntry;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.Revocation;
import org.egovpki.core.certificate.RevocationChannel;
import org.egovpki.core.certificate.RevocationReason;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.sync.OutboxEvent;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncCapture;
import org.egovpki.core.sync.SyncDeliveryTrigger;
import org.egovpki.core.sync.SyncEvent;
import org.egovpki.core.ca.SyncEventSource;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncFanOut;
import org.egovpki.core.sync.SyncMarkers;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncSigner;
import org.egovpki.core.sync.SyncTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owed-event markers and the outbox on the real embedded directory: the publication and the
 * revocation write their marker in their own modify; a revocation whose capture never ran (the
 * process was killed between the change and the outbox write) is captured by the sweep after a
 * restart, once; a record written before sync capture gets the marker's class on its revocation.
 */
class LdapSyncOutboxIT {

    private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String CA = "sub-ca";

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapCertificateStore certificates;
    private static LdapSyncOutbox outbox;
    private static LdapSyncStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        certificates = new LdapCertificateStore(directory.ca(), directory.names(), true);
        outbox = new LdapSyncOutbox(directory.ca(), directory.names(), CLOCK);
        store = new LdapSyncStore(directory.ca(), directory.names());
        store.addTarget(new SyncTarget("all", URI.create("http://127.0.0.1:1/sync"), SyncBinding.JSON, Set.of(),
                "CA-ALL", SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    /** A fresh capture worker over the directory, as a restarted server builds it. */
    private static SyncCapture restartedCapture() throws Exception {
        LdapCaRepository cas = new LdapCaRepository(directory.ca(), directory.names(), true);
        LdapRequestStore requests = new LdapRequestStore(directory.ca(), directory.names());
        SyncFanOut fanOut = new SyncFanOut(outbox, store, (event, target, sequence, syncTime) ->
                (event.event().id() + "|" + sequence + "|" + event.event().certificate().status())
                        .getBytes(StandardCharsets.UTF_8), new TestSigner(), SyncDeliveryTrigger.NONE, CLOCK);
        return new SyncCapture(outbox, new SyncEventSource(certificates, requests, cas), outbox, fanOut);
    }

    private static CertificateRecord issued(LdapCertificateStore writer, BigInteger serial) {
        CertificateRecord intent = new CertificateRecord(CA, serial, "r-" + serial, "p-1", "CN=Zhang San,C=CN",
                "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, "tax", "410000", CertificateStatus.VALID,
                IssuanceState.INTENT, new byte[] {0x30, 0}, null, NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(365)), null, NOW.minusSeconds(60), 0, null);
        writer.writeIntent(intent);
        CertificateRecord recorded = intent.recorded(new byte[] {0x30, 3, 1, 2, 3}, "ab".repeat(32));
        writer.update(recorded);
        CertificateRecord published = recorded.inState(IssuanceState.PUBLISHED);
        writer.update(published);
        return published;
    }

    private static Revocation revocation() {
        return new Revocation(NOW, RevocationReason.KEY_COMPROMISE, null, "uid=ca-admin,ou=operators",
                RevocationChannel.OPERATOR);
    }

    private static List<String> markers(BigInteger serial) throws Exception {
        SearchResultEntry e = directory.admin().getEntry(
                directory.names().certificate(CertificateRecord.id(CA, serial)).toString(), "egovSyncOwed");
        return LdapValues.values(e, "egovSyncOwed");
    }

    @Test
    void thePurgeDeletesOnlyOldEventsEveryTargetHasAndKeepsTheSequenceCounter() throws Exception {
        String ca = "purge-ca";
        LdapSyncOutbox longAgo = new LdapSyncOutbox(directory.ca(), directory.names(),
                Clock.fixed(NOW.minus(Duration.ofDays(100)), ZoneOffset.UTC));
        for (int i = 1; i <= 3; i++) {
            longAgo.append(event(ca, i));
        }
        outbox.append(event(ca, 4));
        outbox.markFannedOut(ca, 2);

        assertThat(outbox.purge(ca, outbox.fannedOut(ca), NOW.minus(Duration.ofDays(90)))).isEqualTo(2);

        assertThat(outbox.after(ca, 0, 10)).extracting(OutboxEvent::caSequence).containsExactly(3L, 4L);
        assertThat(outbox.append(event(ca, 5)).caSequence()).isEqualTo(5);
        assertThat(outbox.purge(ca, 0, NOW)).isZero();
        assertThat(outbox.purge("no-such-ca", 10, NOW)).isZero();
    }

    @Test
    void thePurgeKeepsAnEventWhoseAppendDiedBeforeRaisingTheCounterSoItsNumberIsNeverReused() throws Exception {
        String ca = "stale-counter-ca";
        LdapSyncOutbox longAgo = new LdapSyncOutbox(directory.ca(), directory.names(),
                Clock.fixed(NOW.minus(Duration.ofDays(100)), ZoneOffset.UTC));
        for (int i = 1; i <= 3; i++) {
            longAgo.append(event(ca, i));
        }
        // Event 3 was added but the process died before the counter went from 2 to 3.
        directory.admin().modify(directory.names().syncOutbox(ca).toString(), new com.unboundid.ldap.sdk.Modification(
                com.unboundid.ldap.sdk.ModificationType.REPLACE, "egovSyncCaSequence", "2"));
        outbox.markFannedOut(ca, 3);

        assertThat(outbox.purge(ca, outbox.fannedOut(ca), NOW.minus(Duration.ofDays(90)))).isEqualTo(2);

        assertThat(outbox.after(ca, 0, 10)).extracting(OutboxEvent::caSequence).containsExactly(3L);
        assertThat(outbox.append(event(ca, 4)).caSequence()).isEqualTo(4);
    }

    @Test
    void theCounterIsRaisedEverySixteenthAppendAndNumbersStayConsecutive() throws Exception {
        String ca = "trailing-counter-ca";
        for (int i = 1; i <= 40; i++) {
            assertThat(outbox.append(event(ca, i)).caSequence()).isEqualTo(i);
            assertThat(counter(ca)).isEqualTo(i / LdapSyncOutbox.COUNTER_LAG * LdapSyncOutbox.COUNTER_LAG);
        }
        // A repeated capture adds nothing, and a restarted outbox goes on from the highest event.
        assertThat(outbox.append(event(ca, 40)).caSequence()).isEqualTo(40);
        LdapSyncOutbox restarted = new LdapSyncOutbox(directory.ca(), directory.names(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(restarted.append(event(ca, 41)).caSequence()).isEqualTo(41);
        assertThat(outbox.after(ca, 0, 100)).extracting(OutboxEvent::caSequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 41).boxed().toList());
        // Everything fanned out and old: all but the highest above the counter (32) go.
        outbox.markFannedOut(ca, 41);
        assertThat(restarted.purge(ca, 41, NOW.plusSeconds(1))).isEqualTo(40);
        assertThat(outbox.after(ca, 0, 100)).extracting(OutboxEvent::caSequence).containsExactly(41L);
        assertThat(restarted.append(event(ca, 42)).caSequence()).isEqualTo(42);
    }

    @Test
    void aCounterFurtherBehindThanOneLookUpStillGivesTheNextNumber() throws Exception {
        String ca = "far-behind-ca";
        for (int i = 1; i <= 40; i++) {
            outbox.append(event(ca, i));
        }
        // More than one window of numbers above the counter (not reached by crashes alone).
        directory.admin().modify(directory.names().syncOutbox(ca).toString(), new com.unboundid.ldap.sdk.Modification(
                com.unboundid.ldap.sdk.ModificationType.REPLACE, "egovSyncCaSequence", "0"));

        assertThat(outbox.append(event(ca, 41)).caSequence()).isEqualTo(41);
        assertThat(outbox.after(ca, 40, 10)).extracting(OutboxEvent::caSequence).containsExactly(41L);
    }

    private static long counter(String ca) throws Exception {
        return directory.admin().getEntry(directory.names().syncOutbox(ca).toString(), "egovSyncCaSequence")
                .getAttributeValueAsLong("egovSyncCaSequence");
    }

    private static SyncEvent event(String ca, int n) {
        CertificateRecord record = new CertificateRecord(ca, BigInteger.valueOf(0x1000 + n), "r-" + n, "p-1",
                "CN=Zhang San,C=CN", "personal", CertificateType.PERSONAL, KeyUsageKind.SIGNING, "tax", "410000",
                CertificateStatus.VALID, IssuanceState.PUBLISHED, new byte[] {0x30, 0}, null,
                NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)), null, NOW.minusSeconds(60), 0, null)
                .recorded(new byte[] {0x30, 3, 1, 2, 3}, "ab".repeat(32));
        return new SyncEvent(SyncEvent.certificateId(ca, record.serialHex(), SyncEventType.CERT_ISSUED),
                SyncEventType.CERT_ISSUED, ca, NOW, SyncEvent.Certificate.of(record, null), null);
    }

    @Test
    void aRevocationKilledBeforeItsCaptureIsCapturedOnceByTheSweepAfterARestart() throws Exception {
        BigInteger serial = new BigInteger("5a71b201d2e5b678", 16);
        CertificateRecord record = issued(certificates, serial);
        assertThat(markers(serial)).containsExactly(SyncMarkers.ISSUED);
        restartedCapture().pass();
        assertThat(markers(serial)).isEmpty();

        // The revocation's modify carries its marker; the process dies before anything else.
        assertThat(certificates.revoke(record, revocation())).isTrue();
        assertThat(markers(serial)).containsExactly(SyncMarkers.REVOKED);

        SyncCapture afterRestart = restartedCapture();
        assertThat(afterRestart.pass()).isEqualTo(1);
        assertThat(afterRestart.pass()).isZero();

        assertThat(markers(serial)).isEmpty();
        List<OutboxEvent> events = outbox.after(CA, 0, 100).stream()
                .filter(e -> e.event().id().startsWith(CA + "/5a71b201d2e5b678/")).toList();
        assertThat(events).extracting(e -> e.event().type())
                .containsExactly(SyncEventType.CERT_ISSUED, SyncEventType.CERT_REVOKED);
        assertThat(events.get(1).event().certificate().revocationReason()).isEqualTo("keyCompromise");
        assertThat(events.get(1).event().certificate().der()).containsExactly(0x30, 3, 1, 2, 3);
        List<String> delivered = store.messages("all", 0, 100).stream().map(SyncMessage::eventId)
                .filter(id -> id.startsWith(CA + "/5a71b201d2e5b678/")).toList();
        assertThat(delivered).containsExactly(CA + "/5a71b201d2e5b678/issued", CA + "/5a71b201d2e5b678/revoked");
    }

    @Test
    void aCaptureRepeatedAfterACrashBeforeTheMarkerWasRemovedAddsNothing() throws Exception {
        BigInteger serial = BigInteger.valueOf(0x77aa);
        issued(certificates, serial);
        SyncCapture capture = restartedCapture();
        capture.pass();
        long events = outbox.after(CA, 0, 1000).size();
        long messages = store.state("all").lastEnqueued();

        // The outbox entry exists, and the crash left the marker: put it back as it would be.
        directory.ca().modify(directory.names().certificate(CertificateRecord.id(CA, serial)).toString(),
                new com.unboundid.ldap.sdk.Modification(com.unboundid.ldap.sdk.ModificationType.ADD, "egovSyncOwed",
                        SyncMarkers.ISSUED));
        restartedCapture().pass();

        assertThat(markers(serial)).isEmpty();
        assertThat(outbox.after(CA, 0, 1000)).hasSize((int) events);
        assertThat(store.state("all").lastEnqueued()).isEqualTo(messages);
        List<Long> caSequences = outbox.after(CA, 0, 1000).stream().map(OutboxEvent::caSequence).toList();
        assertThat(caSequences).isEqualTo(java.util.stream.LongStream.rangeClosed(1, events).boxed().toList());
    }

    @Test
    void aRecordWrittenBeforeSyncCaptureGetsTheMarkersClassWithItsRevocation() throws Exception {
        BigInteger serial = BigInteger.valueOf(0x1234);
        CertificateRecord record = issued(new LdapCertificateStore(directory.ca(), directory.names()), serial);
        assertThat(markers(serial)).isEmpty();

        assertThat(certificates.revoke(record, revocation())).isTrue();

        assertThat(markers(serial)).containsExactly(SyncMarkers.REVOKED);
        assertThat(certificates.revoke(record, revocation())).as("still a compare-and-swap").isFalse();
        restartedCapture().pass();
        assertThat(markers(serial)).isEmpty();
    }

    private static final class TestSigner implements SyncSigner {
        @Override
        public byte[] sign(String ca, byte[] body) {
            return ("signed by " + ca).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<java.security.cert.X509Certificate> chain(String ca) {
            return List.of();
        }
    }
}
