package org.egovpki.core.x509;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a full (base) CRL should contain.
 *
 * <p>Invariants: the CRL number is non-negative and fits RFC 5280's 20 octets; the next-update
 * interval is positive ({@link #DEFAULT_NEXT_UPDATE_AFTER} when null); the entries are an
 * unmodifiable copy with no serial listed twice. Delta and partitioned CRLs will extend this
 * request (delta indicator, issuing distribution point) rather than add a second one.
 *
 * @param crlNumber        the CRLNumber extension; strictly increasing per issuer (the caller's store ensures it)
 * @param thisUpdate       thisUpdate, or null for the factory's clock (encoded to the second)
 * @param nextUpdateAfter  nextUpdate - thisUpdate, or null for 24 hours
 * @param entries          the revoked certificates, in the order they are to appear
 */
public record CrlRequest(BigInteger crlNumber, Instant thisUpdate, Duration nextUpdateAfter, List<RevokedEntry> entries) {

    /** Interval to nextUpdate when none is given. */
    public static final Duration DEFAULT_NEXT_UPDATE_AFTER = Duration.ofHours(24);

    public CrlRequest {
        Objects.requireNonNull(crlNumber, "crlNumber");
        if (crlNumber.signum() < 0 || crlNumber.bitLength() > 159) {
            throw new IllegalArgumentException("CRL number " + crlNumber
                    + " must be between 0 and 2^159-1 (20 octets, RFC 5280 §5.2.3)");
        }
        nextUpdateAfter = nextUpdateAfter == null ? DEFAULT_NEXT_UPDATE_AFTER : nextUpdateAfter;
        if (nextUpdateAfter.isZero() || nextUpdateAfter.isNegative()) {
            throw new IllegalArgumentException("nextUpdateAfter " + nextUpdateAfter + " must be positive, e.g. PT24H");
        }
        entries = entries == null ? List.of() : List.copyOf(entries);
        Set<BigInteger> seen = new HashSet<>();
        for (RevokedEntry entry : entries) {
            if (!seen.add(entry.serial())) {
                throw new IllegalArgumentException("serial " + SerialNumbers.toHex(entry.serial())
                        + " is listed twice in CRL " + crlNumber + "; list each revoked certificate once");
            }
        }
    }

    /** A CRL with the given number and entries, thisUpdate from the clock, nextUpdate 24 hours later. */
    public static CrlRequest of(BigInteger crlNumber, List<RevokedEntry> entries) {
        return new CrlRequest(crlNumber, null, null, entries);
    }
}
