package org.egovpki.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ErrorType;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10RequestControl;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ResponseControl;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.egovpki.core.DomainException;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.enroll.OperatorLockedOut;
import org.egovpki.core.operator.ApplicationScope;
import org.egovpki.core.operator.Role;

/**
 * Operators under {@code ou=operators} ({@code egovOperator}). Authentication is a bind as the
 * operator — the directory checks the password, and an operator who can log in to the REST API is
 * exactly one who can bind in an LDAP browser.
 */
public final class LdapOperatorDirectory implements OperatorDirectory {

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

    /** Binds on a fresh connection (for tools without a pool). */
    public static BindCheck fresh(String host, int port) {
        return (dn, password, controls) -> {
            try (LDAPConnection connection = new LDAPConnection(host, port)) {
                connection.bind(new SimpleBindRequest(dn, password, controls));
            }
        };
    }

    @Override
    public Optional<Operator> authenticate(String uid, char[] password) {
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
        return findByDn(dn.toString());
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
            Date locked = entry == null ? null : entry.getAttributeValueAsDate("pwdAccountLockedTime");
            if (locked == null) {
                throw DomainException.internal("the directory refused operator " + dn
                        + " as locked but records no lock time", null);
            }
            return locked.toInstant().plus(lockout.duration());
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

    @Override
    public Operator create(String uid, String name, Set<Role> roles, char[] password) {
        return create(uid, name, roles, Set.of(), password);
    }

    @Override
    public Operator create(String uid, String name, Set<Role> roles, Set<String> businessTypes, char[] password) {
        if (uid == null || !UID.matcher(uid).matches()) {
            throw DomainException.badRequest("uid", "operator login '" + uid
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (name == null || name.isBlank()) {
            throw DomainException.badRequest("name", "an operator needs a display name");
        }
        if (roles.isEmpty()) {
            throw DomainException.badRequest("roles", "an operator needs at least one role; roles: "
                    + EnumSet.allOf(Role.class));
        }
        ApplicationScope.checkAssignment(roles, businessTypes);
        PasswordRules.check(uid, password);
        DN dn = names.operator(uid);
        Entry entry = new Entry(dn);
        entry.addAttribute("objectClass", "top", "egovOperator");
        entry.addAttribute("uid", uid);
        entry.addAttribute("cn", name.strip());
        entry.addAttribute("egovRole", roles.stream().map(Enum::name).sorted().toArray(String[]::new));
        entry.addAttribute("egovOperatorState", "ACTIVE");
        if (!businessTypes.isEmpty()) {
            entry.addAttribute("egovBusinessType", businessTypes.stream().map(String::strip).sorted().toArray(String[]::new));
        }
        entry.addAttribute("userPassword", PasswordHashes.ssha256(password, random));
        try {
            ldap.add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
                throw DomainException.conflict("an operator with login '" + uid + "' already exists");
            }
            throw LdapErrors.toDomain("creating operator " + uid, e);
        }
        if (roles.contains(Role.APPLICATION_ADMIN)) {
            joinApplicationAdmins(dn);
        }
        return new Operator(uid, dn.toString(), name.strip(), roles,
                businessTypes.stream().map(String::strip).collect(java.util.stream.Collectors.toSet()));
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
                throw LdapErrors.toDomain("creating the group of application admins", add);
            }
        }
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
