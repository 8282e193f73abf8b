package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.egovpki.core.operator.Role;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.SyncCommandInbox;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.SyncTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync target commands in the directory, on the real embedded ApacheDS with the access control
 * egov-pki installs: an operator reads a target and adds a command entry below it, and the
 * directory itself names the author; operators write nothing on the target, cannot change or remove
 * a command, cannot read a target's messages; anonymous readers see no target at all.
 */
class LdapSyncCommandInboxIT {

    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT);
    private static final String TARGET = "henan-tax";

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LDAPConnection caAdmin;
    private static LDAPConnection clerk;
    private static LdapSyncCommandInbox inbox;
    private static LdapSyncStore store;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        caAdmin = directory.operator("caadmin01", Role.CA_ADMIN);
        clerk = directory.operator("clerk01", Role.ENTRY_CLERK);
        inbox = new LdapSyncCommandInbox(directory.ca(), names);
        store = new LdapSyncStore(directory.ca(), names);
        store.addTarget(new SyncTarget(TARGET, URI.create("https://tax.henan.example/sync"), SyncBinding.JSON,
                Set.of("tax"), "HN-CA", SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false));
        store.enqueue(new SyncMessage(TARGET, 1, "ca/a1/issued", SyncEventType.CERT_ISSUED, "ca", 1,
                Instant.parse("2026-12-02T08:00:00Z"), "{\"idNumber\":\"110101199003074518\"}"
                .getBytes(StandardCharsets.UTF_8), new byte[] {1}));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void anOperatorReadsATargetAndAddsACommandWhoseAuthorTheDirectoryNames() throws Exception {
        Entry target = caAdmin.getEntry(names.syncTarget(TARGET).toString(), "*");
        assertThat(target).isNotNull();
        assertThat(target.getAttributeValue("labeledURI")).isEqualTo("https://tax.henan.example/sync");
        assertThat(target.getAttributeValue("egovSyncLastEnqueued")).isEqualTo("1");

        caAdmin.add(command("caadmin01-1", "REDRIVE"));

        SyncCommandInbox.Command found = commandsNamed("caadmin01-1").get(0);
        assertThat(found.targetId()).isEqualTo(TARGET);
        assertThat(found.action()).isEqualTo("REDRIVE");
        assertThat(found.replayFrom()).isNull();
        assertThat(found.settings().isEmpty()).isTrue();
        assertThat(new DN(found.authorDn())).isEqualTo(directory.operatorDn("caadmin01"));
        assertThat(inbox.claim(found)).isTrue();
        assertThat(inbox.claim(found)).isFalse();
        assertThat(commandsNamed("caadmin01-1")).isEmpty();
    }

    @Test
    void anUpdateCommandCarriesTheSettingsAsTheRestApiSpellsThem() throws Exception {
        Entry update = command("caadmin01-2", "UPDATE");
        update.addAttribute("labeledURI", "https://tax2.henan.example/in Henan tax, new address");
        update.addAttribute("egovBusinessType", "*");
        update.addAttribute("egovSyncEnabled", "FALSE");
        update.addAttribute("egovSyncSchedule", "0 0 2 * * ?");
        caAdmin.add(update);
        Entry replay = command("caadmin01-3", "REPLAY");
        replay.addAttribute("egovSyncReplayFrom", "1");
        caAdmin.add(replay);

        SyncCommandInbox.Command found = commandsNamed("caadmin01-2").get(0);
        assertThat(found.settings().url()).isEqualTo("https://tax2.henan.example/in");
        assertThat(found.settings().businessTypes()).isEmpty();
        assertThat(found.settings().enabled()).isFalse();
        assertThat(found.settings().schedule()).isEqualTo("0 0 2 * * ?");
        assertThat(found.settings().binding()).isNull();
        assertThat(found.settings().personalData()).isNull();
        assertThat(commandsNamed("caadmin01-3").get(0).replayFrom()).isEqualTo("1");
        commandsNamed("caadmin01-2").forEach(inbox::claim);
        commandsNamed("caadmin01-3").forEach(inbox::claim);
    }

    @Test
    void operatorsWriteNothingOnTheTargetAndCannotChangeOrRemoveACommand() throws Exception {
        String dn = names.syncTarget(TARGET).toString();
        for (LDAPConnection operator : List.of(caAdmin, clerk)) {
            assertRefused(() -> operator.modify(dn, new Modification(ModificationType.REPLACE, "egovSyncParked",
                    "FALSE")));
            assertRefused(() -> operator.modify(dn, new Modification(ModificationType.REPLACE, "egovSyncLastDelivered",
                    "0")));
            assertRefused(() -> operator.modify(dn, new Modification(ModificationType.REPLACE, "labeledURI",
                    "https://attacker.example/")));
            assertRefused(() -> operator.delete(dn));
        }
        clerk.add(command("clerk01-1", "SKIP"));
        String entry = "egovSyncCommandId=clerk01-1," + dn;
        for (LDAPConnection operator : List.of(caAdmin, clerk)) {
            assertRefused(() -> operator.modify(entry, new Modification(ModificationType.REPLACE, "egovSyncAction",
                    "UPDATE")));
            assertRefused(() -> operator.modify(entry, new Modification(ModificationType.ADD, "labeledURI",
                    "https://attacker.example/")));
            assertRefused(() -> operator.delete(entry));
            assertRefused(() -> operator.modifyDN(entry, "egovSyncCommandId=renamed", true));
        }
        Entry stored = directory.ca().getEntry(dn, "*");
        assertThat(stored.getAttributeValue("labeledURI")).isEqualTo("https://tax.henan.example/sync");
        assertThat(commandsNamed("clerk01-1")).singleElement()
                .satisfies(c -> assertThat(c.action()).isEqualTo("SKIP"));
        commandsNamed("clerk01-1").forEach(inbox::claim);
    }

    @Test
    void operatorsAddOnlyCommandEntriesOnlyDirectlyBelowATargetAndOnlyWithCommandAttributes() throws Exception {
        String dn = names.syncTarget(TARGET).toString();
        // A target of their own, or a command loose under ou=sync.
        assertRefused(() -> caAdmin.add(new Entry(names.syncTarget("planted").toString(), List.of(
                new Attribute("objectClass", "top", "egovSyncTarget"), new Attribute("cn", "planted"),
                new Attribute("labeledURI", "https://attacker.example/")))));
        assertRefused(() -> caAdmin.add(new Entry("egovSyncCommandId=loose," + names.container(
                org.egovpki.schema.DirectoryLayout.Container.SYNC), List.of(
                new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                new Attribute("egovSyncCommandId", "loose"), new Attribute("egovSyncAction", "SKIP")))));
        // A message of their own in the target's queue.
        assertRefused(() -> caAdmin.add(new Entry(names.syncMessage(TARGET, 99).toString(), List.of(
                new Attribute("objectClass", "top", "egovSyncMessage"), new Attribute("egovSyncSequence", "99"),
                new Attribute("egovSyncEventId", "x"), new Attribute("egovSyncEventType", "cert.issued"),
                new Attribute("egovIssuerName", "ca"), new Attribute("egovSyncCaSequence", "1"),
                new Attribute("egovSyncEnqueuedAt", "20261202080000Z"), new Attribute("egovSyncBody", "{}"),
                new Attribute("egovSyncSignature", "x")))));
        // A command carrying more than a command.
        Entry extra = command("extra", "SKIP");
        extra.addAttribute("objectClass", "extensibleObject");
        extra.addAttribute("egovSyncLastDelivered", "5");
        assertRefused(() -> caAdmin.add(extra));

        assertThat(directory.ca().getEntry(names.syncTarget("planted").toString())).isNull();
        assertThat(directory.ca().getEntry(names.syncMessage(TARGET, 99).toString())).isNull();
        assertThat(inbox.commands(100)).isEmpty();
    }

    @Test
    void operatorsNeverReadATargetsMessagesAndAnonymousReadersSeeNoTarget() throws Exception {
        String message = names.syncMessage(TARGET, 1).toString();
        assertThat(directory.ca().getEntry(message)).isNotNull();
        for (LDAPConnection operator : List.of(caAdmin, clerk)) {
            assertThat(operator.getEntry(message)).isNull();
            assertThat(operator.search(names.syncTarget(TARGET).toString(), SearchScope.ONE,
                    "(objectClass=egovSyncMessage)").getEntryCount()).isZero();
        }
        LDAPConnection anonymous = directory.anonymous();
        assertThat(anonymous.getEntry(names.syncTarget(TARGET).toString())).isNull();
        assertRefused(() -> anonymous.add(command("anon-1", "SKIP")));
    }

    @Test
    void theOutcomeIsNotedOnTheTargetWhereOperatorsReadIt() throws Exception {
        inbox.note(TARGET, "REDRIVE by uid=caadmin01 was accepted");
        inbox.note(TARGET, "SKIP by uid=caadmin01 was refused: nothing pending");
        inbox.note("no-such-target", "ignored");

        assertThat(clerk.getEntry(names.syncTarget(TARGET).toString(), "egovSyncCommandNote")
                .getAttributeValue("egovSyncCommandNote")).isEqualTo("SKIP by uid=caadmin01 was refused: nothing pending");
        assertThat(store.target(TARGET)).isPresent();
    }

    private static Entry command(String name, String action) {
        return new Entry("egovSyncCommandId=" + name + "," + names.syncTarget(TARGET), List.of(
                new Attribute("objectClass", "top", "egovSyncTargetCommand"), new Attribute("egovSyncCommandId", name),
                new Attribute("egovSyncAction", action)));
    }

    private static List<SyncCommandInbox.Command> commandsNamed(String name) {
        List<SyncCommandInbox.Command> found = new ArrayList<>();
        for (SyncCommandInbox.Command c : inbox.commands(100)) {
            if (c.entry().startsWith("egovSyncCommandId=" + name + ",")) {
                found.add(c);
            }
        }
        return found;
    }

    private static void assertRefused(LdapRefusals.LdapCall call) {
        LdapRefusals.assertRefused(REFUSED, call);
    }
}
