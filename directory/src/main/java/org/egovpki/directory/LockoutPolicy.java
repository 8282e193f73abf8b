package org.egovpki.directory;

import java.time.Duration;
import java.util.Objects;

/**
 * When the directory locks an account after failed binds (the LDAP password policy's
 * {@code pwdMaxFailure}, {@code pwdLockoutDuration}, {@code pwdFailureCountInterval} with
 * {@code pwdLockout: TRUE}). The directory enforces it on every simple bind, so the LDAP port and
 * the REST API (which binds as the operator) share one count and one lock.
 *
 * @param maxFailures   failed binds within {@code failureWindow} that lock the account
 * @param duration      how long the account stays locked after the last failure
 * @param failureWindow how long a failure counts towards the lock
 */
public record LockoutPolicy(int maxFailures, Duration duration, Duration failureWindow) {

    /** Five failures within 15 minutes lock the account for 15 minutes. */
    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15));

    public LockoutPolicy {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(failureWindow, "failureWindow");
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be at least 1, not " + maxFailures);
        }
        if (duration.toSeconds() < 1 || failureWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("the lockout duration and failure window must be at least a second");
        }
    }

    /** The password policy counts in whole seconds. */
    public int durationSeconds() {
        return Math.toIntExact(duration.toSeconds());
    }

    public int failureWindowSeconds() {
        return Math.toIntExact(failureWindow.toSeconds());
    }
}
