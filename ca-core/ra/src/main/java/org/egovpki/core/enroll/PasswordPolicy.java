package org.egovpki.core.enroll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long an operator password lasts and how many earlier ones it may not repeat
 * ({@code operators.passwordHistory}, {@code operators.passwordMaxAgeDays}).
 *
 * @param history how many passwords, the current one included, a new password may not equal (1: only
 *                the current one)
 * @param maxAge  how old a password may get before the operator must change it; {@link Duration#ZERO}:
 *                passwords do not expire
 */
public record PasswordPolicy(int history, Duration maxAge) {

    public static final PasswordPolicy DEFAULT = new PasswordPolicy(5, Duration.ofDays(90));

    public PasswordPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        if (history < 1 || history > 24) {
            throw new IllegalArgumentException("the password history must be 1 to 24 passwords, not " + history);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the password age limit must not be negative: " + maxAge);
        }
    }

    /** An expired password behaves like a reset one: the operator must change it before anything else. */
    public boolean changeRequired(OperatorAccount account, Instant now) {
        return account.passwordMustChange() || expired(account, now);
    }

    public boolean expired(OperatorAccount account, Instant now) {
        return !maxAge.isZero() && !now.isBefore(account.passwordChangedAt().plus(maxAge));
    }
}
