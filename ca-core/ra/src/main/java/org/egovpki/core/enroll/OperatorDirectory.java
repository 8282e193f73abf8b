package org.egovpki.core.enroll;

import org.egovpki.core.operator.Operator;
import org.egovpki.core.operator.Role;
import java.util.Optional;

/** Operators as the directory knows them ({@code ou=operators}). */
public interface OperatorDirectory {

    /**
     * Binds as the operator; empty if the login or password is wrong (never says which).
     *
     * @throws OperatorLockedOut if the password is right but the account is locked after too many
     *                           failed logins
     */
    Optional<Operator> authenticate(String uid, char[] password);

    /**
     * {@link #authenticate}, with the operator's account and the certificate bound to it read in the
     * same read of its entry: what the API checks at every call after the login.
     *
     * @throws OperatorLockedOut as {@link #authenticate}
     */
    Optional<OperatorLogin> login(String uid, char[] password);

    /** The operator whose entry has this DN (e.g. the {@code creatorsName} of a decision entry); empty if disabled. */
    Optional<Operator> findByDn(String dn);

    Optional<Operator> findByUid(String uid);

    /** Creates an operator; {@code CONFLICT} if the uid exists. */
    Operator create(String uid, String name, java.util.Set<Role> roles, char[] password);

    /**
     * Creates an operator with the business types an {@link Role#APPLICATION_ADMIN} is scoped to
     * (checked by {@link org.egovpki.core.operator.ApplicationScope#checkAssignment}); {@code CONFLICT}
     * if the uid exists. A directory that keeps no business types can create only unscoped operators.
     */
    default Operator create(String uid, String name, java.util.Set<Role> roles, java.util.Set<String> businessTypes,
                            char[] password) {
        org.egovpki.core.operator.ApplicationScope.checkAssignment(roles, businessTypes);
        if (!businessTypes.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no business types");
        }
        return create(uid, name, roles, password);
    }
}
