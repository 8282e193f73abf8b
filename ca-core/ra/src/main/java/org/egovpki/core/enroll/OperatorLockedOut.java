package org.egovpki.core.enroll;

import java.time.Instant;
import java.util.Objects;

/**
 * The operator gave the right password, but the directory has locked the account after too many
 * failed logins (over the LDAP port or the REST API: they share one lock). Only a caller that knew
 * the password learns this, so it tells a guesser nothing about which logins exist.
 */
public final class OperatorLockedOut extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final transient Instant until;

    public OperatorLockedOut(String uid, Instant until) {
        super("operator account '" + uid + "' is locked after too many failed logins until " + until, null, false,
                false);
        this.uid = Objects.requireNonNull(uid, "uid");
        this.until = Objects.requireNonNull(until, "until");
    }

    public String uid() {
        return uid;
    }

    /** When the lock ends, unless another wrong password starts it again. */
    public Instant until() {
        return until;
    }
}
