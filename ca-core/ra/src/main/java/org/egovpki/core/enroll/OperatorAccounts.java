package org.egovpki.core.enroll;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;

/**
 * The operator entries as operator administration changes them ({@code ou=operators}). Only the CA
 * server writes them; operators cannot change operator entries in the directory themselves, not
 * even their own. Who may ask for a change is {@link OperatorAdministration}'s decision, not the store's.
 */
public interface OperatorAccounts {

    /** Every operator, enabled or not, ordered by login. */
    List<OperatorAccount> list();

    /** The account with this login, enabled or not; empty if there is none. */
    Optional<OperatorAccount> account(String uid);

    /**
     * Creates an operator.
     *
     * @param mustChange the password is a one-time password the operator must change at its first login
     * @throws org.egovpki.core.DomainException {@code CONFLICT} if the login exists
     */
    OperatorAccount create(String uid, String name, Set<Role> roles, char[] password, boolean mustChange,
                           Instant at);

    /** Replaces the operator's roles. */
    void replaceRoles(String uid, Set<Role> roles);

    /** Enables or disables the operator; a disabled one can neither log in to the API nor bind to the directory. */
    void setEnabled(String uid, boolean enabled);

    /**
     * Sets a new password. The password the operator has now joins its history; the history keeps
     * the last {@code history - 1} before it.
     *
     * @param history    how many passwords, the current one included, the new one may not equal
     * @param mustChange whether the operator must change it at its next login
     * @throws org.egovpki.core.DomainException {@code BAD_REQUEST} on field {@code password} if the new
     *                                          password is one of those {@code history} passwords; nothing changes then
     */
    void setPassword(String uid, char[] password, int history, boolean mustChange, Instant at);

    /** Whether this is the operator's password now (a bind as the operator; counts towards the lockout like any bind). */
    boolean passwordMatches(String uid, char[] password);

    /**
     * Whether the operator with this login exists, is enabled and, as it is now, passes {@code test}
     * (e.g. holds a role): the question a two-person rule asks of a proposer when the second person comes.
     */
    default boolean enabledAnd(String uid, Predicate<Operator> test) {
        return account(uid).filter(OperatorAccount::enabled).map(account -> test.test(account.operator()))
                .orElse(false);
    }
}
