package org.egovpki.core.enroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditOutcome;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OperatorAdministrationTest {

    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final Accounts accounts = new Accounts();
    private final List<AuditEvent> audit = new ArrayList<>();
    private final AtomicInteger generated = new AtomicInteger();
    private Instant now = T0;
    private OperatorAdministration admin;
    private Operator security;
    /** The second person that creations and resets need (a super admin, so the security admin stays the last one). */
    private Operator second;

    @BeforeEach
    void setUp() {
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        admin = new OperatorAdministration(accounts, new PasswordPolicy(3, Duration.ofDays(90)),
                () -> ("Otp" + generated.incrementAndGet() + "xyz9876").toCharArray(), e -> {
                    audit.add(e);
                    return audit.size();
                }, clock);
        security = accounts.create("sec1", "Security", EnumSet.of(Role.SECURITY_ADMIN), "Secret123".toCharArray(),
                false, T0).operator();
        second = accounts.create("root9", "Root 9", EnumSet.of(Role.SUPER_ADMIN), "Secret123".toCharArray(),
                false, T0).operator();
    }

    /** A creation as two admins make it: {@code by} proposes, the other one confirms. */
    private OperatorAdministration.OneTimePassword create(Operator by, String uid, String name, Set<Role> roles) {
        assertThat(admin.create(by, uid, name, roles).done()).as("proposed only").isFalse();
        return admin.create(by.equals(second) ? security : second, uid, name, roles).result();
    }

    /** A reset as two admins make it: {@code by} proposes, the other one confirms. */
    private OperatorAdministration.OneTimePassword reset(Operator by, String uid) {
        assertThat(admin.resetPassword(by, uid).done()).as("proposed only").isFalse();
        return admin.resetPassword(by.equals(second) ? security : second, uid).result();
    }

    @Test
    void aSecurityAdminCreatesAnOperatorWithAOneTimePasswordThatMustBeChanged() {
        OperatorAdministration.OneTimePassword created = create(security, "clerk1", "Clerk",
                EnumSet.of(Role.ENTRY_CLERK, Role.REVIEWER));

        assertThat(new String(created.password())).isEqualTo("Otp1xyz9876");
        assertThat(created.account().passwordMustChange()).isTrue();
        assertThat(admin.passwordChangeRequired(created.account().operator())).isTrue();
        AuditEvent event = last();
        assertThat(event.type()).isEqualTo(AuditEventType.OPERATOR_CREATED);
        assertThat(event.actor()).isEqualTo(second.dn());
        assertThat(event.details()).containsEntry("proposedBy", security.dn());
        assertThat(event.subjects()).containsExactly(created.account().operator().dn());
        assertThat(event.details().toString()).doesNotContain("Otp1");
    }

    @ParameterizedTest(name = "[{index}] '{0}'")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\u0000x", "Clerk\u202e", "\uFFFD", " ", ""})
    void aNameWithAControlOrFormatCharacterOrNoneAtAllIsRefusedNamingNameAndNothingIsCreated(String name) {
        int before = accounts.entries.size();

        assertThatThrownBy(() -> admin.create(security, "clerk9", name, EnumSet.of(Role.ENTRY_CLERK)))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DomainException.Kind.BAD_REQUEST);
                    assertThat(e.field()).isEqualTo("name");
                });
        assertThatThrownBy(() -> admin.create(security, "clerk9", "C".repeat(129), EnumSet.of(Role.ENTRY_CLERK)))
                .hasMessageContaining("1 to 128 characters");
        assertThat(accounts.entries).hasSize(before).doesNotContainKey("clerk9");
        assertThatThrownBy(() -> OperatorAdministration.checkNewOperator(EnumSet.of(Role.ENTRY_CLERK), name))
                .as("the CLI's check").isInstanceOf(DomainException.class);
    }

    @Test
    void theLoginMeIsReservedForTheCallersOwnPath() {
        assertThatThrownBy(() -> admin.create(security, "me", "Me", EnumSet.of(Role.ENTRY_CLERK)))
                .isInstanceOf(DomainException.class).hasMessageContaining("reserved");
        assertThat(accounts.entries).doesNotContainKey("me");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Role.class, names = {"SECURITY_ADMIN", "SUPER_ADMIN"}, mode = EnumSource.Mode.EXCLUDE)
    void onlySecurityAndSuperAdminsManageOperators(Role role) {
        Operator other = accounts.create("x1", "X", EnumSet.of(role), "Secret123".toCharArray(), false, T0).operator();
        int before = accounts.entries.size();

        assertForbidden(() -> admin.create(other, "new1", "N", EnumSet.of(Role.ENTRY_CLERK)), "only a security admin");
        assertForbidden(() -> admin.list(other), "only a security admin");
        assertForbidden(() -> admin.setEnabled(other, "sec1", false), "only a security admin");
        assertForbidden(() -> admin.resetPassword(other, "sec1"), "only a security admin");
        assertThat(accounts.entries).hasSize(before);
        assertThat(accounts.entries.get("sec1").enabled).isTrue();
        assertThat(last().outcome()).isEqualTo(AuditOutcome.FAILURE);
    }

    @Test
    void aSuperAdminMayDoWhatASecurityAdminDoesButNotToItself() {
        Operator superAdmin = accounts.create("root1", "Root", EnumSet.of(Role.SUPER_ADMIN), "Secret123".toCharArray(),
                false, T0).operator();
        create(superAdmin, "clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK));
        assertThat(admin.list(superAdmin)).extracting(OperatorAccount::uid).contains("clerk1", "root1", "sec1");

        assertForbidden(() -> admin.changeRoles(superAdmin, "root1", EnumSet.of(Role.SUPER_ADMIN, Role.AUDITOR)),
                "may not change its own roles");
        assertThatThrownBy(() -> admin.changeRoles(superAdmin, "clerk1", EnumSet.of(Role.AUDITOR, Role.REVIEWER)))
                .hasMessageContaining("AUDITOR and REVIEWER");
    }

    @Test
    void forbiddenCombinationsAreRefusedOnCreateAndOnChangeAndNothingChanges() {
        create(security, "ca1", "CA", EnumSet.of(Role.CA_ADMIN));
        int events = audit.size();

        assertThatThrownBy(() -> admin.create(security, "aud1", "A", EnumSet.of(Role.AUDITOR, Role.KM_OPERATOR)))
                .isInstanceOf(DomainException.class).hasMessageContaining("AUDITOR and KM_OPERATOR")
                .hasMessageContaining("CPS 001");
        assertThatThrownBy(() -> admin.changeRoles(security, "ca1", EnumSet.of(Role.CA_ADMIN, Role.AUDITOR)))
                .hasMessageContaining("CA_ADMIN and AUDITOR");
        assertThatThrownBy(() -> admin.changeRoles(security, "ca1", EnumSet.of(Role.KEY_CUSTODIAN, Role.CA_ADMIN)))
                .hasMessageContaining("KEY_CUSTODIAN and CA_ADMIN");

        assertThat(accounts.entries).doesNotContainKey("aud1");
        assertThat(accounts.entries.get("ca1").roles).containsExactly(Role.CA_ADMIN);
        assertThat(audit.subList(events, audit.size())).hasSize(3)
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_REFUSED));
    }

    @Test
    void rolesAreChangedAndAuditedWithBeforeAndAfter() {
        create(security, "ra1", "RA", EnumSet.of(Role.ENTRY_CLERK));
        assertThat(admin.changeRoles(security, "ra1", EnumSet.of(Role.REVIEWER, Role.RA_ADMIN)).done())
                .as("roles added: proposed only").isFalse();
        assertThat(accounts.entries.get("ra1").roles).containsExactly(Role.ENTRY_CLERK);
        assertThatThrownBy(() -> admin.changeRoles(second, "ra1", EnumSet.of(Role.REVIEWER)))
                .as("another set").hasMessageContaining("not roles [REVIEWER]");
        OperatorAccount changed = admin.changeRoles(second, "ra1", EnumSet.of(Role.REVIEWER, Role.RA_ADMIN)).result();

        assertThat(changed.operator().roles()).containsExactlyInAnyOrder(Role.REVIEWER, Role.RA_ADMIN);
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_ROLES_CHANGED);
        assertThat(last().details()).containsEntry("before", "[ENTRY_CLERK]")
                .containsEntry("after", "[RA_ADMIN, REVIEWER]").containsEntry("proposedBy", security.dn());

        // Taking a role away hands nobody anything: one security admin does it at once.
        assertThat(admin.changeRoles(security, "ra1", EnumSet.of(Role.REVIEWER)).result().operator().roles())
                .containsExactly(Role.REVIEWER);
    }

    @Test
    void aSecurityAdminCannotDisableItselfNorChangeItsOwnRolesNorResetItsOwnPassword() {
        accounts.create("sec2", "Security 2", EnumSet.of(Role.SECURITY_ADMIN), "Secret123".toCharArray(), false, T0);

        assertForbidden(() -> admin.setEnabled(security, "sec1", false), "may not disable itself");
        assertForbidden(() -> admin.changeRoles(security, "sec1", EnumSet.of(Role.SECURITY_ADMIN, Role.CA_ADMIN)),
                "may not change its own roles");
        assertForbidden(() -> admin.resetPassword(security, "sec1"), "may not reset its own password");
        assertThat(accounts.entries.get("sec1").enabled).isTrue();
        assertThat(accounts.entries.get("sec1").roles).containsExactly(Role.SECURITY_ADMIN);
    }

    @Test
    void theLastEnabledSecurityAdminCannotBeDisabledNorLoseTheRole() {
        Operator superAdmin = accounts.create("root1", "Root", EnumSet.of(Role.SUPER_ADMIN), "Secret123".toCharArray(),
                false, T0).operator();

        assertThatThrownBy(() -> admin.setEnabled(superAdmin, "sec1", false))
                .hasMessageContaining("last enabled security admin");
        assertThatThrownBy(() -> admin.changeRoles(superAdmin, "sec1", EnumSet.of(Role.SYSTEM_ADMIN)))
                .hasMessageContaining("last enabled security admin");
        assertThat(accounts.entries.get("sec1").enabled).isTrue();

        create(superAdmin, "sec2", "Security 2", EnumSet.of(Role.SECURITY_ADMIN));
        assertThat(admin.setEnabled(superAdmin, "sec1", false).enabled()).isFalse();
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_DISABLED);
        assertThat(admin.setEnabled(superAdmin, "sec1", true).enabled()).isTrue();
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_ENABLED);
    }

    @Test
    void aResetForcesAChangeThatKeepsTheRulesAndTheHistory() {
        create(security, "clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK));
        Operator clerk = accounts.entries.get("clerk1").operator();
        admin.changeOwnPassword(clerk, "Otp1xyz9876".toCharArray(), "Garden2026".toCharArray());
        assertThat(admin.passwordChangeRequired(clerk)).isFalse();
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_PASSWORD_CHANGED);

        OperatorAdministration.OneTimePassword reset = reset(security, "clerk1");
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_PASSWORD_RESET);
        assertThat(admin.passwordChangeRequired(clerk)).isTrue();

        assertThatThrownBy(() -> admin.changeOwnPassword(clerk, "wrong".toCharArray(), "River2027x".toCharArray()))
                .hasMessage("the old password is wrong");
        assertThatThrownBy(() -> admin.changeOwnPassword(clerk, reset.password(), "short1".toCharArray()))
                .hasMessageContaining("at least 8 characters");
        assertThatThrownBy(() -> admin.changeOwnPassword(clerk, reset.password(), "abcdefghij".toCharArray()))
                .hasMessageContaining("letters and digits");
        assertThatThrownBy(() -> admin.changeOwnPassword(clerk, reset.password(), "xCLERK1abc9".toCharArray()))
                .hasMessageContaining("must not contain the login");
        assertThatThrownBy(() -> admin.changeOwnPassword(clerk, reset.password(), "Garden2026".toCharArray()))
                .hasMessageContaining("one of the last 3");
        assertThat(admin.passwordChangeRequired(clerk)).isTrue();

        admin.changeOwnPassword(clerk, reset.password(), "River2027x".toCharArray());
        assertThat(admin.passwordChangeRequired(clerk)).isFalse();
    }

    @Test
    void aCreationNeedsASecondSecurityAdminAndTheFirstCallCreatesNothing() {
        Set<Role> roles = EnumSet.of(Role.REVIEWER);
        DualControl.Outcome<OperatorAdministration.OneTimePassword> proposed = admin.create(security, "rev1", "Rev",
                roles);

        assertThat(proposed.done()).isFalse();
        assertThat(proposed.proposal().proposerDn()).isEqualTo(security.dn());
        assertThat(accounts.entries).doesNotContainKey("rev1");
        assertThat(generated).as("no password generated yet").hasValue(0);
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_PROPOSED);
        assertThat(last().outcome()).isEqualTo(AuditOutcome.SUCCESS);

        assertThatThrownBy(() -> admin.create(security, "rev1", "Rev", roles))
                .as("the proposer again").hasMessageContaining("needs a second security admin, another person");
        assertThatThrownBy(() -> admin.create(second, "rev1", "Rev", EnumSet.of(Role.RA_ADMIN)))
                .as("another admin, other roles").hasMessageContaining("not name 'Rev', roles [RA_ADMIN]");
        assertThat(accounts.entries).doesNotContainKey("rev1");

        OperatorAdministration.OneTimePassword created = admin.create(second, "rev1", "Rev", roles).result();
        assertThat(created.account().operator().roles()).containsExactly(Role.REVIEWER);
        assertThat(accounts.entries).containsKey("rev1");
    }

    @Test
    void aResetNeedsASecondSecurityAdminAndThePasswordStaysUntilThen() {
        accounts.create("clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK), "Garden2026".toCharArray(), false, T0);

        assertThat(admin.resetPassword(security, "clerk1").done()).isFalse();
        assertThat(accounts.passwordMatches("clerk1", "Garden2026".toCharArray())).isTrue();
        assertThat(accounts.entries.get("clerk1").mustChange).isFalse();

        OperatorAdministration.OneTimePassword reset = admin.resetPassword(second, "clerk1").result();
        assertThat(accounts.passwordMatches("clerk1", reset.password())).isTrue();
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_PASSWORD_RESET);
        assertThat(last().actor()).isEqualTo(second.dn());
        assertThat(last().details()).containsEntry("proposedBy", security.dn());
    }

    @Test
    void withNoOtherSecurityAdminACreationOrResetIsRefusedAtOnceNamingTheLocalBootstrap() {
        accounts.entries.remove("root9");
        accounts.create("clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK), "Garden2026".toCharArray(), false, T0);
        accounts.create("sec2", "Off", EnumSet.of(Role.SECURITY_ADMIN), "Secret123".toCharArray(), false, T0);
        accounts.entries.get("sec2").enabled = false;

        assertThatThrownBy(() -> admin.create(security, "rev1", "Rev", EnumSet.of(Role.REVIEWER)))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind())
                        .isEqualTo(DomainException.Kind.CONFLICT))
                .hasMessageContaining("is the only enabled one").hasMessageContaining("egov-pki operator add");
        assertThatThrownBy(() -> admin.resetPassword(security, "clerk1")).hasMessageContaining("is the only enabled one");
        assertThat(accounts.entries).doesNotContainKey("rev1");
        assertThat(accounts.passwordMatches("clerk1", "Garden2026".toCharArray())).isTrue();
        assertThat(last().type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_REFUSED);
    }

    /**
     * With two security admins, one cannot confirm a change to itself: a proposal to reset its password
     * or give it a role could never be confirmed, so it is refused at once, naming the local bootstrap,
     * rather than answered 202 and left to lapse. A third security admin makes it possible.
     */
    @Test
    void aChangeToTheOnlyOtherSecurityAdminIsRefusedAtOnceSinceItCannotConfirmItself() {
        int events = audit.size();

        assertThatThrownBy(() -> admin.resetPassword(second, "sec1"))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.kind())
                        .isEqualTo(DomainException.Kind.CONFLICT))
                .hasMessageContaining("operator 'sec1', whom it concerns").hasMessageContaining("egov-pki operator add");
        assertThatThrownBy(() -> admin.changeRoles(second, "sec1", EnumSet.of(Role.SECURITY_ADMIN, Role.SUPER_ADMIN)))
                .hasMessageContaining("whom it concerns");
        assertThat(audit.subList(events, audit.size())).extracting(AuditEvent::type)
                .containsOnly(AuditEventType.OPERATOR_CHANGE_REFUSED);

        Operator third = accounts.create("sec3", "Security 3", EnumSet.of(Role.SECURITY_ADMIN),
                "Secret123".toCharArray(), false, T0).operator();
        assertThat(admin.resetPassword(second, "sec1").done()).as("proposed").isFalse();
        assertThat(admin.resetPassword(third, "sec1").done()).as("confirmed by the third").isTrue();
    }

    @Test
    void aProposerDisabledMeanwhileNoLongerCountsAndTheSecondCallBecomesTheProposal() {
        accounts.create("sec2", "Security 2", EnumSet.of(Role.SECURITY_ADMIN), "Secret123".toCharArray(), false, T0);
        assertThat(admin.create(second, "rev1", "Rev", EnumSet.of(Role.REVIEWER)).done()).isFalse();
        accounts.entries.get("root9").enabled = false;

        DualControl.Outcome<OperatorAdministration.OneTimePassword> again = admin.create(security, "rev1", "Rev",
                EnumSet.of(Role.REVIEWER));

        assertThat(again.done()).isFalse();
        assertThat(again.proposal().proposerDn()).isEqualTo(security.dn());
        assertThat(accounts.entries).doesNotContainKey("rev1");
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditEventType.OPERATOR_CHANGE_PROPOSED);
            assertThat(e.outcome()).isEqualTo(AuditOutcome.FAILURE);
            assertThat(e.details().get("error")).contains("lapsed");
        });
        Operator sec2 = accounts.entries.get("sec2").operator();
        assertThat(admin.create(sec2, "rev1", "Rev", EnumSet.of(Role.REVIEWER)).done()).isTrue();
    }

    @Test
    void aProposalLapsesAfterAnHour() {
        assertThat(admin.create(security, "rev1", "Rev", EnumSet.of(Role.REVIEWER)).done()).isFalse();
        now = now.plus(DualControl.WINDOW);

        assertThat(admin.create(second, "rev1", "Rev", EnumSet.of(Role.REVIEWER)).done()).as("a new proposal").isFalse();
        assertThat(accounts.entries).doesNotContainKey("rev1");
    }

    @Test
    void aPasswordOlderThanTheMaximumAgeMustBeChanged() {
        Operator clerk = accounts.create("clerk1", "Clerk", EnumSet.of(Role.ENTRY_CLERK), "Garden2026".toCharArray(),
                false, T0).operator();
        now = T0.plus(Duration.ofDays(90)).minusSeconds(1);
        assertThat(admin.passwordChangeRequired(clerk)).isFalse();
        now = T0.plus(Duration.ofDays(90));
        assertThat(admin.passwordChangeRequired(clerk)).isTrue();
        assertThat(OperatorAdministration.passwordChangeRequiredRefusal("clerk1").getMessage())
                .startsWith("password change required");

        admin.changeOwnPassword(clerk, "Garden2026".toCharArray(), "River2027x".toCharArray());
        assertThat(admin.passwordChangeRequired(clerk)).isFalse();
    }

    private AuditEvent last() {
        return audit.get(audit.size() - 1);
    }

    private static void assertForbidden(Runnable action, String message) {
        assertThatThrownBy(action::run).isInstanceOf(DomainException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((DomainException) e).kind()).isEqualTo(DomainException.Kind.FORBIDDEN));
    }

    /** The store's contract in memory; passwords compared in clear, which the LDAP store never does. */
    static final class Accounts implements OperatorAccounts {
        static final class Entry {
            String uid;
            String name;
            Set<Role> roles;
            boolean enabled = true;
            String password;
            LinkedList<String> history = new LinkedList<>();
            Instant changedAt;
            boolean mustChange;

            Operator operator() {
                return new Operator(uid, "uid=" + uid + ",ou=operators,o=egov", name, roles);
            }
        }

        final Map<String, Entry> entries = new TreeMap<>();

        @Override
        public List<OperatorAccount> list() {
            return entries.values().stream().map(Accounts::view).toList();
        }

        @Override
        public Optional<OperatorAccount> account(String uid) {
            return Optional.ofNullable(entries.get(uid)).map(Accounts::view);
        }

        @Override
        public OperatorAccount create(String uid, String name, Set<Role> roles, char[] password, boolean mustChange,
                                      Instant at) {
            if (entries.containsKey(uid)) {
                throw DomainException.conflict("exists");
            }
            Entry e = new Entry();
            e.uid = uid;
            e.name = name;
            e.roles = EnumSet.copyOf(roles);
            e.password = new String(password);
            e.changedAt = at;
            e.mustChange = mustChange;
            entries.put(uid, e);
            return view(e);
        }

        @Override
        public void replaceRoles(String uid, Set<Role> roles) {
            entries.get(uid).roles = EnumSet.copyOf(roles);
        }

        @Override
        public void setEnabled(String uid, boolean enabled) {
            entries.get(uid).enabled = enabled;
        }

        @Override
        public void setPassword(String uid, char[] password, int history, boolean mustChange, Instant at) {
            Entry e = entries.get(uid);
            List<String> recent = new ArrayList<>();
            recent.add(e.password);
            recent.addAll(e.history);
            if (recent.subList(0, Math.min(history, recent.size())).contains(new String(password))) {
                throw DomainException.badRequest("password", "the new password is one of the last " + history);
            }
            e.history.addFirst(e.password);
            e.password = new String(password);
            e.changedAt = at;
            e.mustChange = mustChange;
        }

        @Override
        public boolean passwordMatches(String uid, char[] password) {
            return entries.containsKey(uid) && Arrays.equals(entries.get(uid).password.toCharArray(), password);
        }

        private static OperatorAccount view(Entry e) {
            return new OperatorAccount(e.operator(), e.enabled, e.changedAt, e.mustChange);
        }
    }
}
