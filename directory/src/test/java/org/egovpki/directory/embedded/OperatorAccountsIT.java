package org.egovpki.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import org.egovpki.core.DomainException;
import org.egovpki.core.enroll.OperatorAccount;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.directory.TestDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator administration's store on the real embedded directory: the password history, the
 * must-change flag, a disabled operator refused on an LDAP bind as on the API's login, the
 * separation of duties on the directory's own create, and operators unable to change operator
 * entries — their own roles included — in an LDAP browser.
 */
class OperatorAccountsIT {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    static Path work;

    private static TestDirectory directory;
    private static LdapOperatorDirectory operators;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.start(work);
        operators = directory.operators();
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void aNewPasswordMayNotRepeatTheLastOnesAndTheHistoryHoldsOnlyHashes() throws Exception {
        OperatorAccount created = operators.create("hist01", "History", EnumSet.of(Role.ENTRY_CLERK),
                "Alpha2026x".toCharArray(), true, T0);
        assertThat(created.passwordMustChange()).isTrue();
        assertThat(created.passwordChangedAt()).isEqualTo(T0);

        operators.setPassword("hist01", "Bravo2026x".toCharArray(), 3, false, T0.plusSeconds(60));
        operators.setPassword("hist01", "Charlie2026x".toCharArray(), 3, false, T0.plusSeconds(120));
        assertThatThrownBy(() -> operators.setPassword("hist01", "Alpha2026x".toCharArray(), 3, false,
                T0.plusSeconds(180))).isInstanceOf(DomainException.class)
                .hasMessage("the new password is one of the last 3 passwords of operator 'hist01'; choose another");
        assertThatThrownBy(() -> operators.setPassword("hist01", "Charlie2026x".toCharArray(), 3, false,
                T0.plusSeconds(180))).hasMessageContaining("one of the last 3");
        // Refused: nothing changed, the current password still binds.
        assertThat(bind("hist01", "Charlie2026x")).isEqualTo(ResultCode.SUCCESS);
        OperatorAccount account = operators.account("hist01").orElseThrow();
        assertThat(account.passwordMustChange()).isFalse();
        assertThat(account.passwordChangedAt()).isEqualTo(T0.plusSeconds(120));

        // A fourth password pushes the first out of a history of 3: it may be used again.
        operators.setPassword("hist01", "Delta2026x".toCharArray(), 3, false, T0.plusSeconds(240));
        operators.setPassword("hist01", "Alpha2026x".toCharArray(), 3, true, T0.plusSeconds(300));
        assertThat(bind("hist01", "Alpha2026x")).isEqualTo(ResultCode.SUCCESS);
        assertThat(operators.account("hist01").orElseThrow().passwordMustChange()).isTrue();

        SearchResultEntry stored = directory.admin().getEntry(directory.operatorDn("hist01").toString(),
                "egovPasswordHistory");
        assertThat(stored.getAttributeValues("egovPasswordHistory")).hasSize(2)
                .allSatisfy(v -> assertThat(v).matches("[0-9]+ \\{SSHA256}[A-Za-z0-9+/=]+"))
                .noneSatisfy(v -> assertThat(v).contains("2026x"));
    }

    @Test
    void aDisabledOperatorCannotBindNorLogInUntilEnabledAgain() throws Exception {
        directory.operator("dis01", Role.REVIEWER).close();
        String password = TestDirectory.operatorPassword("dis01");

        operators.setEnabled("dis01", false);
        assertThat(bind("dis01", password)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        assertThat(operators.authenticate("dis01", password.toCharArray())).isEmpty();
        assertThat(operators.passwordMatches("dis01", password.toCharArray())).isFalse();
        assertThat(operators.account("dis01").orElseThrow().enabled()).isFalse();
        assertThat(operators.list()).extracting(OperatorAccount::uid).contains("dis01");

        operators.setEnabled("dis01", true);
        assertThat(bind("dis01", password)).isEqualTo(ResultCode.SUCCESS);
        assertThat(operators.authenticate("dis01", password.toCharArray())).isPresent();
    }

    @Test
    void theDirectorysOwnCreateRefusesForbiddenCombinationsAndAddsNothing() throws Exception {
        assertThatThrownBy(() -> operators.create("sod01", "SoD", EnumSet.of(Role.CA_ADMIN, Role.AUDITOR),
                "Secret2026x".toCharArray())).isInstanceOf(DomainException.class)
                .hasMessageContaining("CA_ADMIN and AUDITOR");
        assertThat(directory.admin().getEntry(directory.operatorDn("sod01").toString())).isNull();
    }

    @Test
    void anOperatorCannotChangeItsOwnRolesOrAnyOperatorEntryOverLdap() throws Exception {
        directory.operator("target01", Role.ENTRY_CLERK).close();
        try (LDAPConnection clerk = directory.operator("self01", Role.ENTRY_CLERK)) {
            String self = directory.operatorDn("self01").toString();
            String other = directory.operatorDn("target01").toString();
            for (String dn : new String[] {self, other}) {
                assertRefused(clerk, dn, new Modification(ModificationType.REPLACE, "egovRole", "SECURITY_ADMIN"));
                assertRefused(clerk, dn, new Modification(ModificationType.ADD, "egovRole", "CA_ADMIN"));
                assertRefused(clerk, dn, new Modification(ModificationType.REPLACE, "egovOperatorState", "ACTIVE"));
                assertRefused(clerk, dn, new Modification(ModificationType.REPLACE, "egovPasswordMustChange",
                        "FALSE"));
                assertRefused(clerk, dn, new Modification(ModificationType.REPLACE, "userPassword",
                        "Chosen2026x"));
            }
            // Nor read the password state of any operator.
            assertThat(readable(clerk, self)).isFalse();
            assertThat(readable(clerk, other)).isFalse();
        }
        assertThat(operators.account("self01").orElseThrow().operator().roles()).containsExactly(Role.ENTRY_CLERK);
        assertThat(operators.account("target01").orElseThrow().operator().roles()).containsExactly(Role.ENTRY_CLERK);
    }

    private static void assertRefused(LDAPConnection connection, String dn, Modification change) {
        assertThatThrownBy(() -> connection.modify(dn, change)).isInstanceOfSatisfying(LDAPException.class,
                e -> assertThat(e.getResultCode()).as(change.toString())
                        .isIn(ResultCode.INSUFFICIENT_ACCESS_RIGHTS, ResultCode.NO_SUCH_OBJECT));
    }

    private static boolean readable(LDAPConnection connection, String dn) throws LDAPException {
        SearchResultEntry entry = connection.getEntry(dn, "egovPasswordHistory", "userPassword", "egovRole");
        return entry != null && (entry.hasAttribute("egovPasswordHistory") || entry.hasAttribute("userPassword"));
    }

    private static ResultCode bind(String uid, String password) {
        try (LDAPConnection connection = new LDAPConnection("127.0.0.1", directory.port())) {
            return connection.bind(directory.operatorDn(uid).toString(), password).getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }
}
