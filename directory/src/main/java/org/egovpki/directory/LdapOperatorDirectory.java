package org.egovpki.directory;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ErrorType;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10RequestControl;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ResponseControl;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.OperatorNames;
import org.egovpki.core.enroll.OperatorAccount;
import org.egovpki.core.enroll.OperatorAccounts;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.enroll.OperatorLogin;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Role;
import org.egovpki.core.operator.SeparationOfDuties;

/**
 * Operators under {@code ou=operators} ({@code egovOperator}). Authentication is a bind as the
 * operator — the directory checks the password, and an operator who can log in to the REST API is
 * exactly one who can bind in an LDAP browser.
 *
 * <p>As {@link OperatorAccounts} it is the store of operator administration: roles, the
 * {@code egovOperatorState} a disabled operator has (the embedded directory then refuses its binds,
 * {@code BindGuard}; on OpenLDAP the access rules stop binds with it), and the password state on
 * the auxiliary class {@code egovOperatorPassword} (earlier password hashes, must-change flag) with
 * {@code egovPasswordChangedAt}. No password and no hash ever leaves this class.
 */
public final class LdapOperatorDirectory implements OperatorDirectory, OperatorAccounts {

    private static final String[] ACCOUNT_ATTRIBUTES = {"uid", "cn", "egovRole", "egovOperatorState", "objectClass",
        "egovBusinessType", "egovPasswordChangedAt", "egovPasswordMustChange", "createTimestamp"};

    /** Logins: letters, digits, '.', '_' and '-'; they become an RDN value. */
    public static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Checks a simple bind with the given request controls; throws the directory's error if it fails. */
    @FunctionalInterface
    public interface BindCheck {
        void bind(String dn, String password, Control... controls) throws LDAPException;
    }

    private final LDAPInterface ldap;
    private final DirectoryNames names;
    private final BindCheck bindCheck;
    private final SecureRandom random;
    private final LockoutPolicy lockout;

    /**
     * @param lockout the directory's lockout policy, to tell a locked-out operator when the lock ends
     */
    public LdapOperatorDirectory(LDAPInterface ldap, DirectoryNames names, BindCheck bindCheck, SecureRandom random,
                                 LockoutPolicy lockout) {
        this.ldap = Objects.requireNonNull(ldap, "ldap");
        this.names = Objects.requireNonNull(names, "names");
        this.bindCheck = Objects.requireNonNull(bindCheck, "bindCheck");
        this.random = Objects.requireNonNull(random, "random");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
    }

    /**
     * Binds on a pooled connection and reverts it to the pool's own identity afterwards, so an
     * operator login costs two binds on an open connection instead of a new TCP connection.
     */
    public static BindCheck pooled(LDAPConnectionPool pool) {
        return pool::bindAndRevertAuthentication;
    }

    /**
     * Binds on a pool that serves nothing but operator logins, leaving the connection bound as the
     * operator: one bind per login. The pool must not be used for anything else, since its
     * connections carry whichever operator logged in last.
     */
    public static BindCheck loginPool(LDAPConnectionPool pool) {
        return (dn, password, controls) -> pool.bind(new SimpleBindRequest(dn, password, controls));
    }

    /** Binds on a fresh connection (for tools without a pool). */
    public static BindCheck fresh(String host, int port) {
        return (dn, password, controls) -> {
            try (LDAPConnection connection = new LDAPConnection(host, port)) {
                connection.bind(new SimpleBindRequest(dn, password, controls));
            }
        };
    }

    /** What a login reads of the operator's entry: the account and the bound certificate. */
    private static final String[] LOGIN_ATTRIBUTES = java.util.stream.Stream.concat(
            java.util.Arrays.stream(ACCOUNT_ATTRIBUTES), java.util.stream.Stream.of(
                    LdapOperatorCertificateBindings.ATTRIBUTE)).toArray(String[]::new);

    @Override
    public Optional<Operator> authenticate(String uid, char[] password) {
        return login(uid, password).map(OperatorLogin::operator);
    }

    /** The bind, then one read of the entry for the account and the bound certificate; empty if disabled. */
    @Override
    public Optional<OperatorLogin> login(String uid, char[] password) {
        if (uid == null || !UID.matcher(uid).matches() || password == null || password.length == 0) {
            return Optional.empty();
        }
        DN dn = names.operator(uid);
        try {
            // The password policy request control: the directory then says when a refusal is a lock.
            bindCheck.bind(dn.toString(), new String(password), new DraftBeheraLDAPPasswordPolicy10RequestControl());
        } catch (LDAPException e) {
            if (locked(e)) {
                throw new OperatorLockedOut(uid, lockedUntil(dn));
            }
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.NO_SUCH_OBJECT
                    || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
                return Optional.empty();
            }
            throw LdapErrors.toDomain("authenticating operator " + uid, e);
        }
        return entry(uid, LOGIN_ATTRIBUTES)
                .filter(entry -> !"DISABLED".equalsIgnoreCase(entry.getAttributeValue("egovOperatorState")))
                .map(entry -> new OperatorLogin(toAccount(entry), Optional.ofNullable(
                        entry.getAttributeValue(LdapOperatorCertificateBindings.ATTRIBUTE))));
    }

    /**
     * ApacheDS answers {@code accountLocked} only when the password was right (a wrong password is
     * a plain invalidCredentials, locked or not), so this tells nothing to someone guessing.
     */
    private static boolean locked(LDAPException e) {
        try {
            DraftBeheraLDAPPasswordPolicy10ResponseControl policy =
                    DraftBeheraLDAPPasswordPolicy10ResponseControl.get(e.toLDAPResult());
            return policy != null && policy.getErrorType() == DraftBeheraLDAPPasswordPolicy10ErrorType.ACCOUNT_LOCKED;
        } catch (LDAPException undecodable) {
            return false;
        }
    }

    /** The lock time the directory recorded plus the lockout duration. */
    private Instant lockedUntil(DN dn) {
        try {
            SearchResultEntry entry = ldap.getEntry(dn.toString(), "pwdAccountLockedTime");
            Instant locked = entry == null ? null : LdapValues.time(entry, "pwdAccountLockedTime");
            if (locked == null) {
                throw DomainException.internal("the directory refused operator " + dn
                        + " as locked but records no lock time", null);
            }
            return locked.plus(lockout.duration());
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading the lock of operator " + dn, e);
        }
    }

    @Override
    public Optional<Operator> findByDn(String dn) {
        try {
            DN parsed = new DN(dn);
            if (!parsed.isDescendantOf(names.container(org.egovpki.schema.DirectoryLayout.Container.OPERATORS), false)) {
                return Optional.empty();
            }
            SearchResultEntry entry = ldap.getEntry(parsed.toString(), "uid", "cn", "egovRole", "egovOperatorState",
                    "egovBusinessType", "objectClass");
            if (entry == null || !entry.hasObjectClass("egovOperator")
                    || "DISABLED".equalsIgnoreCase(entry.getAttributeValue("egovOperatorState"))) {
                return Optional.empty();
            }
            return Optional.of(toOperator(entry));
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_DN_SYNTAX) {
                return Optional.empty();
            }
            throw LdapErrors.toDomain("reading operator " + dn, e);
        }
    }

    @Override
    public Optional<Operator> findByUid(String uid) {
        if (uid == null || !UID.matcher(uid).matches()) {
            return Optional.empty();
        }
        return findByDn(names.operator(uid).toString());
    }

    /**
     * Creates an operator whose password its holder chose (the local bootstrap {@code egov-pki operator
     * add}, the first CA admin): refused if the roles break {@link SeparationOfDuties}.
     */
    @Override
    public Operator create(String uid, String name, Set<Role> roles, char[] password) {
        return add(uid, name, roles, Set.of(), password, false, null).operator();
    }

    @Override
    public Operator create(String uid, String name, Set<Role> roles, Set<String> businessTypes, char[] password) {
        return add(uid, name, roles, businessTypes, password, false, null).operator();
    }

    @Override
    public OperatorAccount create(String uid, String name, Set<Role> roles, char[] password, boolean mustChange,
                                  Instant at) {
        return add(uid, name, roles, Set.of(), password, mustChange, Objects.requireNonNull(at, "at"));
    }

    /**
     * Creates an operator with the business types of an application admin (the local bootstrap
     * {@code egov-pki operator add --business-type}); {@code mustChange} for a generated password.
     */
    public OperatorAccount create(String uid, String name, Set<Role> roles, Set<String> businessTypes, char[] password,
                                  boolean mustChange, Instant at) {
        return add(uid, name, roles, businessTypes, password, mustChange, Objects.requireNonNull(at, "at"));
    }

    private OperatorAccount add(String uid, String name, Set<Role> roles, Set<String> businessTypes,
                                char[] password, boolean mustChange, Instant at) {
        if (uid == null || !UID.matcher(uid).matches()) {
            throw DomainException.badRequest("uid", "operator login '" + uid
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        name = OperatorNames.require(name);
        if (roles.isEmpty()) {
            throw DomainException.badRequest("roles", "an operator needs at least one role; roles: "
                    + EnumSet.allOf(Role.class));
        }
        SeparationOfDuties.check(roles);
        ApplicationScope.checkAssignment(roles, businessTypes);
        PasswordRules.check(uid, password);
        DN dn = names.operator(uid);
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", "egovOperator", "egovOperatorPassword");
        entry.addAttribute("uid", uid);
        entry.addAttribute("cn", name.strip());
        entry.addAttribute("egovRole", roles.stream().map(Enum::name).sorted().toArray(String[]::new));
        entry.addAttribute("egovOperatorState", "ACTIVE");
        if (!businessTypes.isEmpty()) {
            entry.addAttribute("egovBusinessType", businessTypes.stream().map(String::strip).sorted().toArray(String[]::new));
        }
        entry.addAttribute("userPassword", PasswordHashes.ssha256(password, random));
        entry.addAttribute("egovPasswordMustChange", LdapValues.bool(mustChange));
        if (at != null) {
            entry.addAttribute("egovPasswordChangedAt", LdapValues.time(at));
        }
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                throw DomainException.conflict("an operator with login '" + uid + "' already exists");
            }
            throw LdapErrors.toDomain("creating operator " + uid, e);
        }
        if (Operator.readsRegistrationWhole(roles)) {
            try {
                requestReader(dn, true);
            } catch (RuntimeException e) {
                // Not in the group, a reviewer could not decide in an LDAP browser; no half-made operator.
                try {
                    ldap.delete(dn.toString());
                } catch (LDAPException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        }
        if (roles.contains(Role.APPLICATION_ADMIN)) {
            try {
                joinApplicationAdmins(dn);
            } catch (RuntimeException e) {
                // Outside the group the entry would keep an operator's LDAP-browser reads (requests and their
                // registration data): no application admin without its group.
                try {
                    ldap.delete(dn.toString());
                } catch (LDAPException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        }
        return account(uid).orElseThrow(() -> DomainException.internal("operator " + uid
                + " was added but cannot be read back", null));
    }
    /**
     * Adds an application admin to {@code cn=application-admins,ou=operators}, creating the group with
     * its first member: the directory's access control denies the group's members the LDAP-browser
     * rights of other operators.
     */
    private void joinApplicationAdmins(DN member) {
        String group = names.applicationAdmins().toString();
        try {
            ldap.modify(group, new Modification(ModificationType.ADD, "uniqueMember", member.toString()));
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("adding " + member + " to the application admins", e);
            }
            try {
                ldap.add(new Entry(group, new Attribute("objectClass", "top", "groupOfUniqueNames"),
                        new Attribute("cn", "application-admins"),
                        new Attribute("uniqueMember", member.toString())));
            } catch (LDAPException add) {
                if (add.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw LdapErrors.toDomain("creating the group of application admins", add);
                }
                // Another creation made the group first: join it.
                try {
                    ldap.modify(group, new Modification(ModificationType.ADD, "uniqueMember", member.toString()));
                } catch (LDAPException again) {
                    throw LdapErrors.toDomain("adding " + member + " to the application admins", again);
                }
            }
        }
    }


    @Override
    public List<OperatorAccount> list() {
        try {
            SearchResult result = ldap.search(names.container(org.egovpki.schema.DirectoryLayout.Container.OPERATORS)
                    .toString(), SearchScope.ONE, Filter.createEqualityFilter("objectClass", "egovOperator"),
                    ACCOUNT_ATTRIBUTES);
            List<OperatorAccount> accounts = new ArrayList<>();
            for (SearchResultEntry entry : result.getSearchEntries()) {
                accounts.add(toAccount(entry));
            }
            accounts.sort(Comparator.comparing(OperatorAccount::uid, String.CASE_INSENSITIVE_ORDER));
            return accounts;
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("listing operators", e);
        }
    }

    @Override
    public Optional<OperatorAccount> account(String uid) {
        return entry(uid, ACCOUNT_ATTRIBUTES).map(this::toAccount);
    }

    /**
     * Replaces the roles, and the membership of the request readers with them: an operator losing
     * the right leaves the group before its roles change, one gaining it joins after, so a failure
     * half-way never leaves LDAP-browser reads the roles do not grant.
     */
    @Override
    public void replaceRoles(String uid, Set<Role> roles) {
        DN dn = names.operator(uid);
        boolean reader = Operator.readsRegistrationWhole(roles);
        if (!reader) {
            requestReader(dn, false);
        }
        modify(uid, "changing the roles of", new Modification(ModificationType.REPLACE, "egovRole",
                roles.stream().map(Enum::name).sorted().toArray(String[]::new)));
        if (reader) {
            requestReader(dn, true);
        }
    }

    /**
     * Makes {@code cn=request-readers,ou=operators} hold exactly the CA service account and the
     * operators whose roles read registration data whole, creating the group if it is missing. Run
     * at every start, it repairs a membership a failed or interrupted role change left behind and
     * fills the group in a directory written before it existed.
     *
     * @return how many operators read requests in an LDAP browser
     */
    public int reconcileRequestReaders() {
        List<String> members = new ArrayList<>();
        members.add(names.caServiceAccount().toString());
        try {
            SearchResult result = ldap.search(names.container(org.egovpki.schema.DirectoryLayout.Container.OPERATORS)
                    .toString(), SearchScope.ONE, Filter.createEqualityFilter("objectClass", "egovOperator"),
                    ACCOUNT_ATTRIBUTES);
            for (SearchResultEntry entry : result.getSearchEntries()) {
                if (entry.getAttributeValue("uid") != null && toOperator(entry).readsRegistrationWhole()) {
                    members.add(names.operator(entry.getAttributeValue("uid")).toString());
                }
            }
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("listing the operators who read requests", e);
        }
        String group = names.requestReaders().toString();
        Modification replace = new Modification(ModificationType.REPLACE, "uniqueMember", members.toArray(String[]::new));
        try {
            ldap.modify(group, replace);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.toDomain("updating the request readers", e);
            }
            try {
                ldap.add(new Entry(group, new Attribute("objectClass", "top", "groupOfUniqueNames"),
                        new Attribute("cn", "request-readers"), new Attribute("uniqueMember", members)));
            } catch (LDAPException add) {
                if (add.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                    throw LdapErrors.toDomain("creating the group of request readers", add);
                }
                try {
                    ldap.modify(group, replace);
                } catch (LDAPException again) {
                    throw LdapErrors.toDomain("updating the request readers", again);
                }
            }
        }
        return members.size() - 1;
    }

    /** Adds {@code member} to the request readers or removes it; idempotent. */
    private void requestReader(DN member, boolean reader) {
        try {
            ldap.modify(names.requestReaders().toString(), new Modification(
                    reader ? ModificationType.ADD : ModificationType.DELETE, "uniqueMember", member.toString()));
        } catch (LDAPException e) {
            ResultCode code = e.getResultCode();
            if (reader && code == ResultCode.ATTRIBUTE_OR_VALUE_EXISTS
                    || !reader && (code == ResultCode.NO_SUCH_ATTRIBUTE || code == ResultCode.NO_SUCH_OBJECT)) {
                return;
            }
            if (reader && code == ResultCode.NO_SUCH_OBJECT) {
                reconcileRequestReaders(); // the group is missing: made whole from the operators' roles
                return;
            }
            throw LdapErrors.toDomain((reader ? "adding " : "removing ") + member
                    + (reader ? " to" : " from") + " the request readers", e);
        }
    }

    @Override
    public void setEnabled(String uid, boolean enabled) {
        modify(uid, enabled ? "enabling" : "disabling", new Modification(ModificationType.REPLACE,
                "egovOperatorState", enabled ? "ACTIVE" : "DISABLED"));
    }

    /**
     * Checks the new password against the current one and the history, then writes the new hash, the
     * history with the current hash first, the must-change flag and the time in one modify.
     */
    @Override
    public void setPassword(String uid, char[] password, int history, boolean mustChange, Instant at) {
        SearchResultEntry entry = entry(uid, "userPassword", "egovPasswordHistory", "objectClass")
                .orElseThrow(() -> DomainException.notFound("no operator with login '" + uid + "'"));
        PasswordRules.check(uid, password);
        List<String[]> earlier = new ArrayList<>();
        for (String value : LdapValues.values(entry, "egovPasswordHistory")) {
            int space = value.indexOf(' ');
            if (space > 0) {
                earlier.add(new String[] {value.substring(0, space), value.substring(space + 1)});
            }
        }
        earlier.sort(Comparator.comparing((String[] v) -> parseLong(v[0])).reversed());
        List<String> recent = new ArrayList<>();
        String current = entry.getAttributeValue("userPassword");
        if (current != null) {
            recent.add(current);
        }
        earlier.forEach(v -> recent.add(v[1]));
        for (String hash : recent.subList(0, Math.min(history, recent.size()))) {
            if (PasswordHashes.matches(hash, password)) {
                throw DomainException.badRequest("password", "the new password is one of the last " + history
                        + " passwords of operator '" + uid + "'; choose another");
            }
        }
        List<String> kept = new ArrayList<>();
        if (current != null && history > 1) {
            kept.add(at.toEpochMilli() + " " + current);
        }
        for (String[] v : earlier) {
            if (kept.size() >= history - 1) {
                break;
            }
            kept.add(v[0] + " " + v[1]);
        }
        List<Modification> changes = new ArrayList<>();
        if (!entry.hasObjectClass("egovOperatorPassword")) {
            changes.add(new Modification(ModificationType.ADD, "objectClass", "egovOperatorPassword"));
        }
        changes.add(new Modification(ModificationType.REPLACE, "userPassword", PasswordHashes.ssha256(password,
                random)));
        changes.add(new Modification(ModificationType.REPLACE, "egovPasswordHistory", kept.toArray(String[]::new)));
        changes.add(new Modification(ModificationType.REPLACE, "egovPasswordMustChange", LdapValues.bool(mustChange)));
        changes.add(new Modification(ModificationType.REPLACE, "egovPasswordChangedAt", LdapValues.time(at)));
        modify(uid, "setting the password of", changes.toArray(Modification[]::new));
    }

    @Override
    public boolean passwordMatches(String uid, char[] password) {
        if (uid == null || !UID.matcher(uid).matches() || password == null || password.length == 0) {
            return false;
        }
        DN dn = names.operator(uid);
        try {
            bindCheck.bind(dn.toString(), new String(password), new DraftBeheraLDAPPasswordPolicy10RequestControl());
            return true;
        } catch (LDAPException e) {
            if (locked(e)) {
                throw new OperatorLockedOut(uid, lockedUntil(dn));
            }
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || e.getResultCode() == ResultCode.NO_SUCH_OBJECT
                    || e.getResultCode() == ResultCode.INAPPROPRIATE_AUTHENTICATION) {
                return false;
            }
            throw LdapErrors.toDomain("checking the password of operator " + uid, e);
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Optional<SearchResultEntry> entry(String uid, String... attributes) {
        if (uid == null || !UID.matcher(uid).matches()) {
            return Optional.empty();
        }
        try {
            SearchResultEntry entry = ldap.getEntry(names.operator(uid).toString(), attributes);
            return entry == null || !entry.hasObjectClass("egovOperator") ? Optional.empty() : Optional.of(entry);
        } catch (LDAPException e) {
            throw LdapErrors.toDomain("reading operator " + uid, e);
        }
    }

    private void modify(String uid, String what, Modification... changes) {
        try {
            ldap.modify(names.operator(uid).toString(), changes);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                throw DomainException.notFound("no operator with login '" + uid + "'");
            }
            throw LdapErrors.toDomain(what + " operator " + uid, e);
        }
    }

    private OperatorAccount toAccount(Entry entry) {
        Instant changed = LdapValues.time(entry, "egovPasswordChangedAt");
        if (changed == null) {
            // Accounts from versions before operator administration: the password is as old as the entry.
            changed = LdapValues.time(entry, "createTimestamp");
        }
        return new OperatorAccount(toOperator(entry),
                !"DISABLED".equalsIgnoreCase(entry.getAttributeValue("egovOperatorState")),
                changed == null ? Instant.EPOCH : changed, LdapValues.bool(entry, "egovPasswordMustChange"));
    }

    private Operator toOperator(Entry entry) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : LdapValues.values(entry, "egovRole")) {
            try {
                roles.add(Role.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                // a role from a newer version or a typo in a browser: grants nothing
            }
        }
        String uid = entry.getAttributeValue("uid");
        String cn = entry.getAttributeValue("cn");
        // One spelling of the DN everywhere (enteredBy, reviewedBy), whatever form the server returned.
        // An application admin's scope; kept on every operator, it narrows only APPLICATION_ADMIN (ApplicationScope).
        Set<String> businessTypes = Set.copyOf(LdapValues.values(entry, "egovBusinessType"));
        return new Operator(uid, names.operator(uid).toString(), cn == null ? uid : cn, roles, businessTypes);
    }
}
