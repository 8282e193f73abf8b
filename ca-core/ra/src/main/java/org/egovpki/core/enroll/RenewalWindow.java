package org.egovpki.core.enroll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a certificate may be renewed: from {@code before} ahead of its notAfter until {@code after}
 * past it, both ends included. Seed 001 §6.2.6.1 says 30 days each side; 004 opens renewal three
 * months ahead, so both are configuration ({@code lifecycle.renewalWindowBeforeDays},
 * {@code lifecycle.renewalWindowAfterDays}). Outside the window a new application is needed.
 *
 * @param before how long before notAfter the window opens (0 to 366 days)
 * @param after  how long after notAfter it closes (0 to 366 days)
 */
public record RenewalWindow(Duration before, Duration after) {

    /** The most either side may be: a year (and a leap day). */
    public static final Duration MAX = Duration.ofDays(366);

    public RenewalWindow {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.isNegative() || before.compareTo(MAX) > 0 || after.isNegative() || after.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("a renewal window side must be 0 to 366 days, was " + before + " before and "
                    + after + " after notAfter");
        }
    }

    /** The default of seed 001: 30 days before to 30 days after notAfter. */
    public static RenewalWindow days(int before, int after) {
        return new RenewalWindow(Duration.ofDays(before), Duration.ofDays(after));
    }

    /** When renewal of a certificate expiring at {@code notAfter} becomes possible. */
    public Instant opens(Instant notAfter) {
        return notAfter.minus(before);
    }

    /** The last moment renewal of a certificate expiring at {@code notAfter} is possible. */
    public Instant closes(Instant notAfter) {
        return notAfter.plus(after);
    }

    public boolean contains(Instant notAfter, Instant now) {
        return !now.isBefore(opens(notAfter)) && !now.isAfter(closes(notAfter));
    }
}
