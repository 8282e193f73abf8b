package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Role;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.TargetState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync targets, their messages and delivery state on the real embedded directory, written with the
 * CA service account: the state's compare-and-swap, enqueue refusing a taken sequence, the state
 * after a crash between a message and its counter, deleting a target with its queue, purging, and
 * nobody but the CA reading {@code ou=sync}.
 */
class LdapSyncStoreIT {

    private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapSyncStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        store = new LdapSyncStore(directory.ca(), directory.names());
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    private static SyncTarget target(String id) {
        return new SyncTarget(id, URI.create("https://tax.example.gov.cn/pki/sync"), SyncBinding.SOAP,
                Set.of("tax", "social"), "HN-EGOV-CA", new SyncTarget.Authentication(
                        SyncTarget.Authentication.Kind.BASIC, "egov-pki"), true, "0 0 2 * * ?", true);
    }

    private static SyncMessage message(String target, long sequence) {
        return new SyncMessage(target, sequence, "sub-ca/" + (0xA0 + sequence) + "/issued", SyncEventType.CERT_ISSUED,
                "sub-ca", sequence + 10, T0.plusSeconds(sequence),
                ("{\"sequence\":" + sequence + ",\"name\":\"张三\"}").getBytes(StandardCharsets.UTF_8),
                new byte[] {0x30, (byte) sequence, 0});
    }

    @Test
    void aTargetReadsBackAsWrittenAndIsReplacedWithoutTouchingItsState() {
        SyncTarget t = target("read-back");
        assertThat(store.addTarget(t)).isTrue();
        assertThat(store.addTarget(t)).isFalse();
        assertThat(store.target("read-back")).contains(t);
        assertThat(store.targets()).contains(t);
        assertThat(store.state("read-back")).isEqualTo(TargetState.EMPTY);
        store.enqueue(message("read-back", 1));

        SyncTarget changed = new SyncTarget("read-back", URI.create("http://127.0.0.1:8099/sync"), SyncBinding.JSON,
                Set.of(), "OTHER", SyncTarget.Authentication.NONE, false, SyncTarget.REALTIME, false);
        assertThat(store.replaceTarget(changed)).isTrue();

        assertThat(store.target("read-back")).contains(changed);
        assertThat(store.state("read-back").lastEnqueued()).isEqualTo(1);
        assertThat(store.replaceTarget(target("never-added"))).isFalse();
        assertThat(store.target("never-added")).isEmpty();
    }

    @Test
    void enqueueRefusesATakenSequenceAndMessagesComeBackInOrder() {
        store.addTarget(target("queue"));
        for (long n = 1; n <= 5; n++) {
            assertThat(store.enqueue(message("queue", n))).isTrue();
        }
        assertThat(store.enqueue(message("queue", 3))).isFalse();

        assertThat(store.messages("queue", 1, 3)).extracting(SyncMessage::sequence).containsExactly(2L, 3L, 4L);
        SyncMessage third = store.message("queue", 3).orElseThrow();
        assertThat(third.body()).isEqualTo(message("queue", 3).body());
        assertThat(third.signature()).isEqualTo(message("queue", 3).signature());
        assertThat(third).usingRecursiveComparison().isEqualTo(message("queue", 3));
        assertThat(store.state("queue").lastEnqueued()).isEqualTo(5);
        assertThat(store.messages("queue", 5, 10)).isEmpty();
        assertThatThrownBy(() -> store.enqueue(message("no-such-target", 1))).isInstanceOf(DomainException.class);
    }

    @Test
    void theStateIsACompareAndSwapThatAnAdministratorsChangeDefeats() throws Exception {
        store.addTarget(target("cas"));
        store.enqueue(message("cas", 1));
        store.enqueue(message("cas", 2));
        TargetState s0 = store.state("cas");
        TargetState parked = new TargetState(2, 0, true, 10, "HTTP 503 Service Unavailable", T0, null,
                T0.plusSeconds(300));

        assertThat(store.updateState("cas", s0, parked)).isTrue();
        assertThat(store.state("cas")).isEqualTo(parked);
        assertThat(store.updateState("cas", s0, parked)).as("stale expectation").isFalse();

        // An administrator re-drives the target in an LDAP browser: the delivery's next write loses.
        directory.admin().modify(directory.names().syncTarget("cas").toString(),
                new Modification(ModificationType.REPLACE, "egovSyncParked", "FALSE"));
        TargetState delivered = new TargetState(2, 1, false, 0, null, T0, T0, null);
        assertThat(store.updateState("cas", parked, delivered)).isFalse();
        TargetState now = store.state("cas");
        assertThat(now.parked()).isFalse();
        assertThat(store.updateState("cas", now, delivered)).isTrue();
        assertThat(store.state("cas")).isEqualTo(delivered);
    }

    @Test
    void lastEnqueuedIncludesAMessageWhoseCounterACrashDidNotWrite() throws Exception {
        store.addTarget(target("crash"));
        store.enqueue(message("crash", 1));
        // What a crash between the message's add and the counter's raise leaves behind.
        SyncMessage orphan = message("crash", 2);
        directory.ca().add(new Entry(directory.names().syncMessage("crash", 2).toString(),
                new Attribute("objectClass", "top", "egovSyncMessage"), new Attribute("egovSyncSequence", "2"),
                new Attribute("egovSyncEventId", orphan.eventId()), new Attribute("egovSyncEventType", "cert.issued"),
                new Attribute("egovIssuerName", "sub-ca"), new Attribute("egovSyncCaSequence", "12"),
                new Attribute("egovSyncEnqueuedAt", LdapValues.time(orphan.enqueuedAt())),
                new Attribute("egovSyncBody", orphan.body()), new Attribute("egovSyncSignature", orphan.signature())));

        assertThat(store.state("crash").lastEnqueued()).isEqualTo(2);
        assertThat(store.enqueue(message("crash", 2))).isFalse();
        assertThat(store.enqueue(message("crash", 3))).isTrue();
        assertThat(store.state("crash").lastEnqueued()).isEqualTo(3);
    }

    @Test
    void deletingATargetRemovesItsQueueAndState() throws Exception {
        store.addTarget(target("gone"));
        for (long n = 1; n <= 3; n++) {
            store.enqueue(message("gone", n));
        }

        assertThat(store.deleteTarget("gone")).isTrue();

        assertThat(store.target("gone")).isEmpty();
        assertThat(directory.admin().getEntry(directory.names().syncMessage("gone", 1).toString())).isNull();
        assertThat(store.deleteTarget("gone")).isFalse();
        // Added again, it starts afresh.
        store.addTarget(target("gone"));
        assertThat(store.state("gone")).isEqualTo(TargetState.EMPTY);
        assertThat(store.messages("gone", 0, 10)).isEmpty();
    }

    @Test
    void purgeDeletesOnlyDeliveredMessagesOlderThanTheCutOff() {
        store.addTarget(target("purge"));
        for (long n = 1; n <= 4; n++) {
            store.enqueue(message("purge", n));
        }
        TargetState s = store.state("purge");
        store.updateState("purge", s, new TargetState(4, 3, false, 0, null, T0, T0, null));

        // Delivered: 1..3; enqueued at T0+1s..T0+4s; cut-off T0+3s keeps 3 (not before) and 4 (pending).
        assertThat(store.purgeDelivered("purge", T0.plusSeconds(3))).isEqualTo(2);

        assertThat(store.messages("purge", 0, 10)).extracting(SyncMessage::sequence).containsExactly(3L, 4L);
        assertThat(store.purgeDelivered("purge", T0.plusSeconds(3600))).isEqualTo(1);
        assertThat(store.messages("purge", 0, 10)).extracting(SyncMessage::sequence).containsExactly(4L);
        assertThat(store.messages("purge", 3, 10)).extracting(SyncMessage::sequence).containsExactly(4L);
    }

    @Test
    void onlyTheCaReadsMessagesAndOnlyOperatorsBesideItReadTargets() throws Exception {
        store.addTarget(target("private"));
        store.enqueue(message("private", 1));
        String sync = directory.names().container(org.egovpki.schema.DirectoryLayout.Container.SYNC).toString();
        LDAPConnection operator = directory.operator("reviewer-sync", Role.REVIEWER);
        for (LDAPConnection reader : new LDAPConnection[] {directory.anonymous(), directory.km(), operator}) {
            // Operators read target entries (to command them in an LDAP browser); nobody else does.
            int targets = reader == operator ? 1 : 0;
            try {
                assertThat(reader.search(sync, SearchScope.SUB, "(&(objectClass=egovSyncTarget)(cn=private))")
                        .getEntryCount()).isEqualTo(targets);
                assertThat(reader.search(sync, SearchScope.SUB, "(objectClass=egovSyncMessage)").getEntryCount())
                        .isZero();
            } catch (LDAPException e) {
                assertThat(targets).isZero();
                assertThat(e.getResultCode()).isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT);
            }
        }
    }
}
