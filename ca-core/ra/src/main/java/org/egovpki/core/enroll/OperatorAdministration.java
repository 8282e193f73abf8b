package org.egovpki.core.enroll;

import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.dualcontrol.DualControl;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.OperatorNames;
import org.egovpki.core.operator.PasswordRules;
import org.egovpki.core.operator.Role;
import org.egovpki.core.operator.SeparationOfDuties;

/**
 * Operator management (docs/operations.md, "Managing operators"): create operators, change their
 * roles, disable and enable them, reset their passwords, list them — for a security admin (or a
 * super admin, who may do what a security admin does) — and an operator's change of its own
 * password. Every channel (REST, CLI) goes through here with the acting {@link Operator}.
 *
 * <p>Invariants kept here, for every actor including super admins:
 * <ul>
 *   <li>no operator holds roles {@link SeparationOfDuties} forbids together;</li>
 *   <li>nobody changes their own roles, disables themselves or resets their own password (no
 *       self-escalation, no lock-out; one's own password is changed with the old one);</li>
 *   <li>the last enabled security admin can be neither disabled nor stripped of the role;</li>
 *   <li>a password set by someone else (a generated one-time password) or older than the policy's
 *       age limit must be changed before its holder can do anything else;</li>
 *   <li>what hands out a credential for another operator — creating an operator, resetting its
 *       password — and adding a role to one need two security admins ({@link DualControl}, 003
 *       §5.2.2): the first one's call proposes it, a different one's identical call within the hour
 *       carries it out and alone sees the one-time password. One security admin alone could otherwise
 *       create, take over or empower the accounts the two-person rules count as two people. Taking
 *       roles away, disabling and enabling stay one admin's. The local bootstrap on the CA host
 *       ({@code egov-pki operator add}, with the data directory's secret) stays one person's.</li>
 * </ul>
 * Every action is audited with who did it and to whom; a refusal of an administrator's action too.
 * Passwords never reach the audit trail. The administrator's actions run one at a time, so two security
 * admins disabling or demoting each other at once cannot both pass the last-security-admin check (one
 * server writes operators; a second CA process on the same directory would need the directory's own
 * serialisation).
 */
public final class OperatorAdministration {

    /** The login no operator may have: {@code /api/v1/operators/me} names the caller itself. */
    public static final String RESERVED_UID = "me";

    /** What a creation or reset gives back: the account and its one-time password, shown once. */
    public record OneTimePassword(OperatorAccount account, char[] password) {
    }

    private final OperatorAccounts accounts;
    private final PasswordPolicy policy;
    private final Supplier<char[]> passwords;
    private final AuditLog audit;
    private final Clock clock;
    /** Creations and resets waiting for a second security admin. */
    private final SecondSecurityAdmin secondAdmin;

    /**
     * @param passwords generates one-time passwords (letters and digits, long enough for {@link PasswordRules})
     */
    public OperatorAdministration(OperatorAccounts accounts, PasswordPolicy policy, Supplier<char[]> passwords,
                                  AuditLog audit, Clock clock) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secondAdmin = new SecondSecurityAdmin(accounts, audit, clock);
    }

    public PasswordPolicy policy() {
        return policy;
    }

    /** Every operator, without passwords. */
    public List<OperatorAccount> list(Operator actor) {
        requireManager(actor, "list operators");
        return accounts.list();
    }

    public OperatorAccount get(Operator actor, String uid) {
        requireManager(actor, "read operator accounts");
        return existing(uid);
    }

    /**
     * Creates an operator with a generated one-time password it must change at its first login, once a
     * second security admin asked for the same (uid, name and roles): until then nothing is created.
     *
     * @return the proposal, and once confirmed the account with its one-time password (for the confirmer)
     */
    public synchronized DualControl.Outcome<OneTimePassword> create(Operator actor, String uid, String name,
                                                                   Set<Role> roles) {
        requireManager(actor, "create operators");
        Set<Role> granted = roles == null || roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
        if (granted.isEmpty()) {
            throw DomainException.badRequest("roles", "an operator needs at least one role; roles: "
                    + EnumSet.allOf(Role.class));
        }
        if (RESERVED_UID.equalsIgnoreCase(uid)) {
            throw DomainException.badRequest("uid", "the login '" + uid + "' is reserved: /api/v1/operators/me is "
                    + "the logged-in operator's own");
        }
        String checkedName = OperatorNames.require(name);
        refuseIfSeparated(actor, uid, granted);
        if (accounts.account(uid).isPresent()) {
            throw DomainException.conflict("an operator with login '" + uid + "' exists already");
        }
        return secondAdmin.decide(actor, uid, null, "create operator " + uid.toLowerCase(Locale.ROOT),
                "name '" + checkedName + "', roles " + sorted(granted), proposal -> {
                    char[] password = passwords.get();
                    OperatorAccount created = accounts.create(uid, checkedName, granted, password, true, clock.instant());
                    record(AuditEventType.OPERATOR_CREATED, actor, created, Map.of("roles", sorted(granted),
                            "proposedBy", proposal.proposerDn()));
                    return new OneTimePassword(created, password);
                });
    }

    /**
     * Replaces an operator's roles (not one's own): at once when no role is added; a role added needs a
     * second security admin asking for the same set (else one security admin could give roles to an
     * account whose one-time password it was shown when it confirmed the account's creation).
     *
     * @return the proposal of a set that adds roles (nothing changed yet: no result), or the account as changed
     */
    public synchronized DualControl.Outcome<OperatorAccount> changeRoles(Operator actor, String uid, Set<Role> roles) {
        requireManager(actor, "change roles");
        Set<Role> granted = roles == null || roles.isEmpty() ? Set.of() : EnumSet.copyOf(roles);
        if (granted.isEmpty()) {
            throw DomainException.badRequest("roles", "an operator needs at least one role (disable it instead); "
                    + "roles: " + EnumSet.allOf(Role.class));
        }
        OperatorAccount target = existing(uid);
        refuseSelf(actor, target, "change its own roles", "another security admin must do it");
        if (target.operator().has(Role.APPLICATION_ADMIN)) {
            throw refused(actor, target, DomainException.badRequest("roles", "operator '" + uid + "' is an "
                    + "application admin, whose role goes with its business types: disable it and create another "
                    + "operator instead"));
        }
        refuseIfSeparated(actor, uid, granted);
        if (target.enabled() && target.operator().has(Role.SECURITY_ADMIN) && !granted.contains(Role.SECURITY_ADMIN)
                && lastEnabledSecurityAdmin(target)) {
            throw refused(actor, target, DomainException.conflict("operator '" + uid + "' is the last enabled "
                    + "security admin: give another operator the SECURITY_ADMIN role first, or nobody could manage "
                    + "operators any more"));
        }
        if (target.operator().roles().containsAll(granted)) {
            return new DualControl.Outcome<>(null, replaceRoles(actor, target, granted, null));
        }
        return secondAdmin.decide(actor, target.operator().dn(), target.operator(), "change the roles of operator "
                + target.uid().toLowerCase(Locale.ROOT), "roles " + sorted(granted),
                proposal -> replaceRoles(actor, target, granted, proposal));
    }

    /** Writes and audits a roles change that passed its checks; {@code proposal} the one confirmed, if any. */
    private OperatorAccount replaceRoles(Operator actor, OperatorAccount target, Set<Role> granted,
                                         DualControl.Proposal proposal) {
        accounts.replaceRoles(target.uid(), granted);
        OperatorAccount changed = existing(target.uid());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("before", sorted(target.operator().roles()));
        details.put("after", sorted(granted));
        if (proposal != null) {
            details.put("proposedBy", proposal.proposerDn());
        }
        record(AuditEventType.OPERATOR_ROLES_CHANGED, actor, changed, details);
        return changed;
    }

    /** Disables or enables an operator (not oneself; never the last enabled security admin). */
    public synchronized OperatorAccount setEnabled(Operator actor, String uid, boolean enabled) {
        requireManager(actor, enabled ? "enable operators" : "disable operators");
        OperatorAccount target = existing(uid);
        refuseSelf(actor, target, enabled ? "enable itself" : "disable itself", "another security admin must do it");
        if (target.enabled() == enabled) {
            return target;
        }
        if (!enabled && target.operator().has(Role.SECURITY_ADMIN) && lastEnabledSecurityAdmin(target)) {
            throw refused(actor, target, DomainException.conflict("operator '" + uid + "' is the last enabled "
                    + "security admin and cannot be disabled: nobody could manage operators any more"));
        }
        accounts.setEnabled(uid, enabled);
        OperatorAccount changed = existing(uid);
        record(enabled ? AuditEventType.OPERATOR_ENABLED : AuditEventType.OPERATOR_DISABLED, actor, changed, Map.of());
        return changed;
    }

    /**
     * Gives another operator a generated one-time password, which it must change at its next login,
     * once a second security admin asked for the same: until then the password is unchanged.
     *
     * @return the proposal, and once confirmed the new one-time password (for the confirmer)
     */
    public synchronized DualControl.Outcome<OneTimePassword> resetPassword(Operator actor, String uid) {
        requireManager(actor, "reset passwords");
        OperatorAccount target = existing(uid);
        refuseSelf(actor, target, "reset its own password", "change it with the old one (egov-pki operator passwd)");
        return secondAdmin.decide(actor, target.operator().dn(), target.operator(), "reset the password of operator "
                + target.uid().toLowerCase(Locale.ROOT), "", proposal -> {
                    char[] password = passwords.get();
                    accounts.setPassword(uid, password, policy.history(), true, clock.instant());
                    OperatorAccount changed = existing(uid);
                    record(AuditEventType.OPERATOR_PASSWORD_RESET, actor, changed, Map.of("proposedBy",
                            proposal.proposerDn()));
                    return new OneTimePassword(changed, password);
                });
    }

    /**
     * An operator changes its own password: the old one, then a new one that keeps the password
     * rules and is none of the last {@link PasswordPolicy#history()} passwords.
     */
    public void changeOwnPassword(Operator self, char[] oldPassword, char[] newPassword) {
        Objects.requireNonNull(self, "self");
        if (oldPassword == null || oldPassword.length == 0 || !accounts.passwordMatches(self.uid(), oldPassword)) {
            throw DomainException.badRequest("oldPassword", "the old password is wrong");
        }
        PasswordRules.check(self.uid(), newPassword);
        accounts.setPassword(self.uid(), newPassword, policy.history(), false, clock.instant());
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.OPERATOR_PASSWORD_CHANGED, self.dn(),
                List.of(self.dn()), Map.of()));
    }

    /**
     * Whether this logged-in operator must change its password before it may do anything else: the
     * password was set by someone else, or it is older than the policy allows.
     */
    public boolean passwordChangeRequired(Operator operator) {
        return accounts.account(operator.uid()).map(this::passwordChangeRequired).orElse(false);
    }

    /** {@link #passwordChangeRequired(Operator)} of an account already read (at the login, {@link OperatorLogin}). */
    public boolean passwordChangeRequired(OperatorAccount account) {
        return policy.changeRequired(account, clock.instant());
    }

    /** The refusal every other call gets while {@link #passwordChangeRequired} holds. */
    public static DomainException passwordChangeRequiredRefusal(String uid) {
        return forbidden("password change required: operator '" + uid + "' has a one-time or "
                + "expired password and may do nothing else until it changes it (POST /api/v1/operators/me/password "
                + "or egov-pki operator passwd)");
    }

    /**
     * The checks of a creation that do not need the directory, for the local bootstrap channel
     * ({@code egov-pki operator add}), which writes as the CA service account.
     */
    public static void checkNewOperator(Set<Role> roles, String name) {
        checkNewOperator(roles);
        OperatorNames.require(name);
    }

    /** The roles of a new operator alone: at least one, none the separation of duties forbids together. */
    public static void checkNewOperator(Set<Role> roles) {
        if (roles == null || roles.isEmpty()) {
            throw DomainException.badRequest("roles", "an operator needs at least one role; roles: "
                    + EnumSet.allOf(Role.class));
        }
        SeparationOfDuties.check(roles);
    }

    private void requireManager(Operator actor, String what) {
        Objects.requireNonNull(actor, "actor");
        if (!SeparationOfDuties.managesOperators(actor)) {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                    List.of(), Map.of("action", what, "reason", "not a security admin")));
            throw forbidden("only a security admin (SECURITY_ADMIN, or SUPER_ADMIN) may " + what
                    + "; operator '" + actor.uid() + "' has roles " + sorted(actor.roles()));
        }
    }

    private OperatorAccount existing(String uid) {
        return accounts.account(uid).orElseThrow(() -> DomainException.notFound("no operator with login '" + uid
                + "'"));
    }

    private void refuseSelf(Operator actor, OperatorAccount target, String what, String instead) {
        if (actor.isSamePersonAs(target.operator().dn())) {
            throw refused(actor, target, forbidden("an operator may not " + what + " (operator '"
                    + actor.uid() + "'): " + instead));
        }
    }

    private void refuseIfSeparated(Operator actor, String uid, Set<Role> roles) {
        if (roles.contains(Role.APPLICATION_ADMIN)) {
            String message = "APPLICATION_ADMIN is granted with its business types when the operator is created: "
                    + "egov-pki operator add --role APPLICATION_ADMIN --business-type TYPE";
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                    List.of(String.valueOf(uid)), Map.of("roles", sorted(roles), "reason", message)));
            throw DomainException.badRequest("roles", message);
        }
        SeparationOfDuties.violation(roles).ifPresent(v -> {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                    List.of(String.valueOf(uid)), Map.of("roles", sorted(roles), "reason", v.message())));
            throw DomainException.badRequest("roles", v.message());
        });
    }

    private DomainException refused(Operator actor, OperatorAccount target, DomainException refusal) {
        audit.record(AuditEvent.failure(clock.instant(), AuditEventType.OPERATOR_CHANGE_REFUSED, actor.dn(),
                List.of(target.operator().dn()), Map.of("reason", refusal.getMessage())));
        return refusal;
    }

    private boolean lastEnabledSecurityAdmin(OperatorAccount target) {
        return accounts.list().stream()
                .filter(a -> a.enabled() && a.operator().has(Role.SECURITY_ADMIN))
                .noneMatch(a -> !a.uid().equalsIgnoreCase(target.uid()));
    }

    private void record(AuditEventType type, Operator actor, OperatorAccount subject, Map<String, String> details) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.put("operator", subject.uid());
        audit.record(AuditEvent.success(clock.instant(), type, actor.dn(), List.of(subject.operator().dn()), all));
    }

    private static DomainException forbidden(String message) {
        return new DomainException(DomainException.Kind.FORBIDDEN, message);
    }

    private static String sorted(Set<Role> roles) {
        return roles.stream().map(Enum::name).sorted().toList().toString();
    }
}
