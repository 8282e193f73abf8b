package org.egovpki.core.operator;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated operator: who they are in the directory and what they may do. The identity
 * ({@code dn}) always comes from the directory — a bind, or the {@code creatorsName} the directory
 * wrote on a decision entry when the operator added it — never from anything the operator typed,
 * and never from whoever modified an entry last.
 *
 * @param uid   login name
 * @param dn    the operator's directory entry, recorded as enteredBy / reviewedBy
 * @param name  display name
 * @param roles what the operator may do
 * @param businessTypes the business types an {@link Role#APPLICATION_ADMIN} is scoped to
 *                      ({@code egovBusinessType} on the operator entry); empty for everyone else
 */
public record Operator(String uid, String dn, String name, Set<Role> roles, Set<String> businessTypes) {

    /** An operator without a business-type scope. */
    public Operator(String uid, String dn, String name, Set<Role> roles) {
        this(uid, dn, name, roles, Set.of());
    }

    public Operator {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(name, "name");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        businessTypes = businessTypes == null ? Set.of() : Set.copyOf(businessTypes);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /**
     * Whether this operator sees registration data whole — identity and phone numbers unmasked:
     * reviewers, who decide a request by comparing it with the documents presented, and RA admins,
     * who answer for the RA's records (seed 001 §6.4.2: access by role). Everyone else sees them
     * masked through the API and reads no request in an LDAP browser.
     */
    public boolean readsRegistrationWhole() {
        return readsRegistrationWhole(roles);
    }

    /** {@link #readsRegistrationWhole()} for an operator holding {@code roles}. */
    public static boolean readsRegistrationWhole(Set<Role> roles) {
        return roles.contains(Role.REVIEWER) || roles.contains(Role.RA_ADMIN);
    }

    /** Whether this operator may enter requests (entry clerk, RA admin, CA admin). */
    public boolean mayEnterRequests() {
        return has(Role.ENTRY_CLERK) || has(Role.RA_ADMIN) || has(Role.CA_ADMIN);
    }

    /** Same person: compared by directory DN, case-insensitively (DN attribute values are case-insensitive here). */
    public boolean isSamePersonAs(String otherDn) {
        return otherDn != null && DnComparison.sameEntry(dn, otherDn);
    }
}
