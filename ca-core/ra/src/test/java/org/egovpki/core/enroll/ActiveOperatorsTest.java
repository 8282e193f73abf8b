package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.Test;

/**
 * An operator whose one-time password is not yet changed decides nothing through an LDAP browser: the
 * channels that name their operator by DN see it as not active, as the REST API refuses it.
 */
class ActiveOperatorsTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final OperatorAdministrationTest.Accounts accounts = new OperatorAdministrationTest.Accounts();
    private final OperatorAdministration administration = new OperatorAdministration(accounts,
            new PasswordPolicy(3, Duration.ofDays(90)), "Otp1xyz9876"::toCharArray, e -> 1L,
            Clock.fixed(T0, ZoneOffset.UTC));
    private final Set<String> needSecondFactor = new java.util.HashSet<>();
    private final ActiveOperators active = new ActiveOperators(new ByDn(), administration,
            operator -> needSecondFactor.contains(operator.uid()));

    @Test
    void anOperatorWithAPendingPasswordChangeIsNotActiveUntilItChangesIt() {
        Operator security = accounts.create("sec1", "Security", EnumSet.of(Role.SECURITY_ADMIN),
                "Secret123".toCharArray(), false, T0).operator();
        Operator superAdmin = accounts.create("root1", "Root", EnumSet.of(Role.SUPER_ADMIN),
                "Secret123".toCharArray(), false, T0).operator();
        administration.create(security, "rev1", "Reviewer", EnumSet.of(Role.REVIEWER));
        Operator reviewer = administration.create(superAdmin, "rev1", "Reviewer", EnumSet.of(Role.REVIEWER)).result()
                .account().operator();

        assertThat(active.findByDn(reviewer.dn())).isEmpty();
        assertThat(active.findByDn(security.dn())).contains(security);

        administration.changeOwnPassword(reviewer, "Otp1xyz9876".toCharArray(), "Garden2026".toCharArray());
        assertThat(active.findByDn(reviewer.dn())).isPresent();
    }

    /**
     * An LDAP bind is a password alone: an operator whose roles need the second factor (a certificate
     * bound to it) decides nothing through an LDAP browser, as the API refuses its password alone.
     */
    @Test
    void anOperatorWhosePasswordAloneIsRefusedIsNotActiveOnTheDirectoryChannels() {
        Operator security = accounts.create("sec1", "Security", EnumSet.of(Role.SECURITY_ADMIN),
                "Secret123".toCharArray(), false, T0).operator();
        Operator raAdmin = accounts.create("ra1", "RA admin", EnumSet.of(Role.RA_ADMIN),
                "Secret123".toCharArray(), false, T0).operator();
        assertThat(active.findByDn(raAdmin.dn())).contains(raAdmin);

        needSecondFactor.add("ra1");
        assertThat(active.findByDn(raAdmin.dn())).isEmpty();
        assertThat(active.findByDn(security.dn())).contains(security);
    }

    /** The directory's view: every account by its DN. */
    private final class ByDn implements OperatorDirectory {
        @Override
        public Optional<Operator> findByDn(String dn) {
            return accounts.entries.values().stream().map(OperatorAdministrationTest.Accounts.Entry::operator)
                    .filter(o -> o.dn().equals(dn)).findFirst();
        }

        @Override
        public Optional<OperatorLogin> login(String uid, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Operator> authenticate(String uid, char[] password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Operator> findByUid(String uid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Operator create(String uid, String name, Set<Role> roles, char[] password) {
            throw new UnsupportedOperationException();
        }
    }
}
