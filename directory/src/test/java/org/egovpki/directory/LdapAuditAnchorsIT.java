package org.egovpki.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The audit anchors on the real embedded directory with egov-pki's access control: the CA service
 * account moves them only forward by compare-and-swap, and nobody else (an operator, the KM's
 * account, anonymous users) can read, add or change anything below {@code ou=audit}.
 */
class LdapAuditAnchorsIT {

    private static final Set<ResultCode> REFUSED = Set.of(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            ResultCode.NO_SUCH_OBJECT);

    enum Outsider { OPERATOR, KM_SERVICE_ACCOUNT, ANONYMOUS }

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static DirectoryNames names;
    private static LdapAuditAnchors anchors;
    private static final Map<Outsider, LDAPConnection> outsiders = new EnumMap<>(Outsider.class);

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        names = directory.names();
        anchors = new LdapAuditAnchors(directory.ca(), names);
        outsiders.put(Outsider.OPERATOR, directory.operator("auditor01", Role.REVIEWER));
        outsiders.put(Outsider.KM_SERVICE_ACCOUNT, directory.km());
        outsiders.put(Outsider.ANONYMOUS, directory.anonymous());
        anchors.advance(0, anchor("outsiders", 7));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    private static AuditAnchor anchor(String trail, long sequence) {
        return new AuditAnchor(trail, sequence, Long.toHexString(sequence).repeat(64).substring(0, 64),
                Instant.parse("2026-12-01T08:00:00.123Z").plusSeconds(sequence), new byte[] {1, 2, (byte) sequence});
    }

    @Test
    void theCaMovesAnAnchorOnlyForwardAndOnlyFromWhereItIs() {
        assertThat(anchors.latest("server")).isEmpty();

        assertThat(anchors.advance(0, anchor("server", 1))).isTrue();
        assertThat(anchors.latest("server")).contains(anchor("server", 1));
        assertThat(anchors.advance(1, anchor("server", 5))).isTrue();
        assertThat(anchors.latest("server")).contains(anchor("server", 5));

        // A writer that lost track (or someone else moved it): nothing changes.
        assertThat(anchors.advance(1, anchor("server", 6))).isFalse();
        assertThat(anchors.advance(0, anchor("server", 6))).isFalse();
        // Never backwards.
        assertThat(anchors.advance(5, anchor("server", 3))).isFalse();
        assertThat(anchors.latest("server")).contains(anchor("server", 5));

        // Only after a recorded finding: replaced whatever it held.
        anchors.replace(anchor("server", 2));
        assertThat(anchors.latest("server")).contains(anchor("server", 2));
    }

    @Test
    void anEntryThatIsNotACompleteAnchorComesBackWithASealNothingVerifies() throws LDAPException {
        directory.ca().add(new Entry(names.auditAnchor("broken").toString(), List.of(
                new Attribute("objectClass", "top", "egovAuditCheckpoint"), new Attribute("cn", "broken"),
                new Attribute("egovAuditSequence", "9"), new Attribute("egovAuditHash", "not-a-hash"))));

        AuditAnchor read = anchors.latest("broken").orElseThrow();

        assertThat(read.sequence()).isEqualTo(9);
        assertThat(read.seal()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Outsider.class)
    void nobodyButTheCaReadsOrWritesOuAudit(Outsider who) throws LDAPException {
        LDAPConnection connection = outsiders.get(who);
        String dn = names.auditAnchor("outsiders").toString();

        assertThat(connection.getEntry(dn)).isNull();
        assertThat(connection.search(names.container(org.egovpki.schema.DirectoryLayout.Container.AUDIT).toString(),
                SearchScope.ONE, "(objectClass=*)").getSearchEntries()).isEmpty();
        LDAPException modify = catchThrowableOfType(LDAPException.class, () -> connection.modify(dn,
                new Modification(ModificationType.REPLACE, "egovAuditSequence", "1")));
        assertThat(modify.getResultCode()).isIn(REFUSED);
        LDAPException add = catchThrowableOfType(LDAPException.class, () -> connection.add(new Entry(
                names.auditAnchor("forged").toString(), List.of(new Attribute("objectClass", "top", "egovAuditCheckpoint"),
                new Attribute("cn", "forged"), new Attribute("egovAuditSequence", "1"),
                new Attribute("egovAuditHash", "0".repeat(64))))));
        assertThat(add.getResultCode()).isIn(REFUSED);
        LDAPException delete = catchThrowableOfType(LDAPException.class, () -> connection.delete(dn));
        assertThat(delete.getResultCode()).isIn(REFUSED);
        assertThat(anchors.latest("outsiders")).contains(anchor("outsiders", 7));
    }
}
