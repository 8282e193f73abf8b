package org.egovpki.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.core.ca.RecordingAuditLog;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectorySyncCommandsTest {

    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final Operator CA_ADMIN = operator("caadmin", Role.CA_ADMIN);
    private static final Operator AUDITOR = operator("auditor", Role.AUDITOR);
    private static final String DISABLED = "uid=gone,ou=operators,o=egov-pki,c=CN";
    private static final SyncTargets.SettingsChange NO_SETTINGS =
            new SyncTargets.SettingsChange(null, null, null, null, null, null, null);

    private final InMemorySyncStore store = new InMemorySyncStore();
    private final RecordingAuditLog audit = new RecordingAuditLog();
    private final MovableClock clock = new MovableClock(NOW);
    private final SyncTargets targets = new SyncTargets(store, new InMemorySyncCredentials(), audit, clock,
            cron -> Optional.empty());
    private final Inbox inbox = new Inbox();
    private final DirectorySyncCommands commands = new DirectorySyncCommands(inbox, targets,
            dn -> Optional.ofNullable(Map.of(CA_ADMIN.dn(), CA_ADMIN, AUDITOR.dn(), AUDITOR).get(dn)), audit, clock);

    @BeforeEach
    void aParkedTarget() {
        targets.add(CA_ADMIN, new SyncTargets.Settings("henan-tax", "https://tax.henan.example/sync", null,
                List.of("tax"), "HN-CA", null, null, null, null, null), null);
        for (int i = 1; i <= 3; i++) {
            store.enqueue(new SyncMessage("henan-tax", i, "ca/" + i + "/issued", SyncEventType.CERT_ISSUED, "ca", i,
                    NOW.plusSeconds(i), "{}".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
        }
        TargetState now = store.state("henan-tax");
        store.updateState("henan-tax", now, new TargetState(now.lastEnqueued(), 1, true, 10, "HTTP 500", NOW, NOW,
                NOW.plusSeconds(300)));
        audit.events.clear();
    }

    @Test
    void aCaAdminsRedriveIsActedOnOnceAsThatOperatorAndNoted() {
        inbox.add("redrive", "henan-tax", " redrive ", null, NO_SETTINGS, CA_ADMIN.dn());

        assertThat(commands.processPending()).isEqualTo(1);
        assertThat(commands.processPending()).isZero();

        assertThat(store.state("henan-tax").parked()).isFalse();
        AuditEvent event = audit.ofType(AuditEventType.SYNC_TARGET_REDRIVEN).get(0);
        assertThat(event.actor()).isEqualTo(CA_ADMIN.dn());
        assertThat(event.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(event.details()).containsEntry("channel", "ldap")
                .containsEntry("commandEntry", inbox.dn("redrive", "henan-tax"));
        assertThat(inbox.notes.get("henan-tax")).contains("REDRIVE by " + CA_ADMIN.dn()).contains("accepted");
    }

    @Test
    void skipAndReplayMoveTheCursorAsOverRest() {
        inbox.add("skip", "henan-tax", "SKIP", null, NO_SETTINGS, CA_ADMIN.dn());
        commands.processPending();
        assertThat(store.state("henan-tax").lastDelivered()).isEqualTo(2);

        inbox.add("replay", "henan-tax", "REPLAY", "1", NO_SETTINGS, CA_ADMIN.dn());
        commands.processPending();
        assertThat(store.state("henan-tax").lastDelivered()).isZero();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_REPLAYED).get(0).details()).containsEntry("from", "1")
                .containsEntry("channel", "ldap");
        assertThat(inbox.notes.get("henan-tax")).contains("REPLAY from 1").contains("accepted");
    }

    @Test
    void anUpdateChangesOnlyTheSettingsGivenAndKeepsTheRest() {
        inbox.add("move", "henan-tax", "UPDATE", null, new SyncTargets.SettingsChange("https://tax2.henan.example/in",
                null, null, null, false, null, null), CA_ADMIN.dn());

        commands.processPending();

        SyncTarget target = store.target("henan-tax").orElseThrow();
        assertThat(target.url().toString()).isEqualTo("https://tax2.henan.example/in");
        assertThat(target.enabled()).isFalse();
        assertThat(target.businessTypes()).containsExactly("tax");
        assertThat(target.caIdentifier()).isEqualTo("HN-CA");
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_CHANGED).get(0).details())
                .containsEntry("enabled", "false").containsEntry("channel", "ldap");
    }

    @Test
    void anUpdateIsCheckedAsOverRestAndARefusalChangesNothing() {
        inbox.add("bad", "henan-tax", "UPDATE", null, new SyncTargets.SettingsChange("ftp://tax.henan.example/",
                null, null, null, false, null, null), CA_ADMIN.dn());

        commands.processPending();

        SyncTarget target = store.target("henan-tax").orElseThrow();
        assertThat(target.url().toString()).isEqualTo("https://tax.henan.example/sync");
        assertThat(target.enabled()).isTrue();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_CHANGED).get(0).outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(inbox.notes.get("henan-tax")).contains("was refused").contains("http:// or https://");
        assertThat(inbox.entries).isEmpty();
    }

    @Test
    void anOperatorWhoIsNotACaAdminIsRefusedAsOverRest() {
        inbox.add("try", "henan-tax", "SKIP", null, NO_SETTINGS, AUDITOR.dn());

        commands.processPending();

        assertThat(store.state("henan-tax").lastDelivered()).isEqualTo(1);
        AuditEvent refused = audit.ofType(AuditEventType.SYNC_TARGET_SKIPPED).get(0);
        assertThat(refused.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(refused.actor()).isEqualTo(AUDITOR.dn());
        assertThat(inbox.notes.get("henan-tax")).contains("was refused").contains("CA_ADMIN");
    }

    @Test
    void aDisabledOrUnknownAuthorIsRefusedAndNothingChanges() {
        inbox.add("try", "henan-tax", "REDRIVE", null, NO_SETTINGS, DISABLED);

        commands.processPending();

        assertThat(store.state("henan-tax").parked()).isTrue();
        AuditEvent refused = audit.ofType(AuditEventType.SYNC_TARGET_REDRIVEN).get(0);
        assertThat(refused.outcome()).isEqualTo(AuditOutcome.FAILURE);
        assertThat(refused.actor()).isEqualTo(DISABLED);
        assertThat(inbox.notes.get("henan-tax")).contains("not an active egov-pki operator");
    }

    @Test
    void malformedCommandsAreRefusedWithWhatIsWrongAndNothingChanges() {
        TargetState before = store.state("henan-tax");
        SyncTarget settingsBefore = store.target("henan-tax").orElseThrow();
        inbox.add("a", "henan-tax", "RESTART", null, NO_SETTINGS, CA_ADMIN.dn());
        inbox.add("b", "henan-tax", "REPLAY", null, NO_SETTINGS, CA_ADMIN.dn());
        inbox.add("c", "henan-tax", "REPLAY", "two", NO_SETTINGS, CA_ADMIN.dn());
        inbox.add("d", "henan-tax", "UPDATE", null, NO_SETTINGS, CA_ADMIN.dn());
        inbox.add("e", "henan-tax", "SKIP", null, new SyncTargets.SettingsChange(null, null, null, null, false, null,
                null), CA_ADMIN.dn());
        inbox.add("f", "henan-tax", "REDRIVE", "3", NO_SETTINGS, CA_ADMIN.dn());
        inbox.add("g", null, "REDRIVE", null, NO_SETTINGS, CA_ADMIN.dn());

        assertThat(commands.processPending()).isEqualTo(7);

        assertThat(store.state("henan-tax")).isEqualTo(before);
        assertThat(store.target("henan-tax")).contains(settingsBefore);
        assertThat(audit.events).hasSize(7).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE));
        List<String> errors = audit.events.stream().map(e -> e.details().get("error")).toList();
        assertThat(errors.get(0)).contains("must be REDRIVE, SKIP, REPLAY or UPDATE, not 'RESTART'");
        assertThat(errors.get(1)).contains("needs egovSyncReplayFrom");
        assertThat(errors.get(2)).contains("not 'two'");
        assertThat(errors.get(3)).contains("needs at least one setting");
        assertThat(errors.get(4)).contains("settings go with an UPDATE command only");
        assertThat(errors.get(5)).contains("egovSyncReplayFrom goes with a REPLAY command only");
        assertThat(errors.get(6)).contains("direct child of a sync target");
        assertThat(inbox.entries).isEmpty();
    }

    @Test
    void aCommandClaimedByAnotherServerIsNotActedOnTwice() {
        inbox.add("redrive", "henan-tax", "REDRIVE", null, NO_SETTINGS, CA_ADMIN.dn());
        inbox.stolen = true;

        assertThat(commands.processPending()).isZero();

        assertThat(store.state("henan-tax").parked()).isTrue();
        assertThat(audit.events).isEmpty();
    }

    @Test
    void aNoteThatCannotBeWrittenNeverRecordsAnAcceptedCommandAsRefused() {
        // Before: the failed note of the accepted redrive was caught as the command's refusal and noted so.
        inbox.add("redrive", "henan-tax", "REDRIVE", null, NO_SETTINGS, CA_ADMIN.dn());
        inbox.failingNotes = 1;

        assertThatThrownBy(commands::processPending).hasMessageContaining("directory down");

        assertThat(store.state("henan-tax").parked()).isFalse();
        assertThat(audit.ofType(AuditEventType.SYNC_TARGET_REDRIVEN).get(0).outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(inbox.notes).isEmpty();
    }

    private static Operator operator(String uid, Role role) {
        return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov-pki,c=CN", uid, Set.of(role));
    }

    /** The directory's command entries, as a list; {@code stolen}: another server claims each first. */
    private static final class Inbox implements SyncCommandInbox {
        final List<Command> entries = new ArrayList<>();
        final Map<String, String> notes = new LinkedHashMap<>();
        boolean stolen;
        /** How many next notes fail as a directory that is briefly unreachable does. */
        int failingNotes;

        String dn(String name, String target) {
            return "egovSyncCommandId=" + name + (target == null ? ",ou=sync" : ",cn=" + target + ",ou=sync")
                    + ",o=egov-pki,c=CN";
        }

        void add(String name, String target, String action, String from, SyncTargets.SettingsChange settings,
                 String author) {
            entries.add(new Command(dn(name, target), target, action, from, settings, author,
                    NOW.plusSeconds(entries.size())));
        }

        @Override
        public List<Command> commands(int limit) {
            return List.copyOf(entries.subList(0, Math.min(limit, entries.size())));
        }

        @Override
        public boolean claim(Command command) {
            return entries.remove(command) && !stolen;
        }

        @Override
        public void note(String targetId, String note) {
            if (failingNotes > 0) {
                failingNotes--;
                throw org.egovpki.core.DomainException.unavailable("directory down", null);
            }
            notes.put(targetId, note);
        }
    }
}
