package org.egovpki.core.enroll;

import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.operator.Operator;

/**
 * An operator account as operator administration sees it: the operator, whether it may log in, and
 * the state of its password. Never the password or its hashes.
 *
 * @param operator           who, and the roles
 * @param enabled            false: no REST login and no LDAP bind
 * @param passwordChangedAt  when the password was last set (the entry's creation for accounts from
 *                           versions that did not record it); the password's age counts from here
 * @param passwordMustChange the password was set by someone else (a reset, a generated one-time
 *                           password): the operator may do nothing but change it
 */
public record OperatorAccount(Operator operator, boolean enabled, Instant passwordChangedAt,
                              boolean passwordMustChange) {

    public OperatorAccount {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(passwordChangedAt, "passwordChangedAt");
    }

    public String uid() {
        return operator.uid();
    }
}
