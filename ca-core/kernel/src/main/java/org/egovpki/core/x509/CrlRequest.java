package org.egovpki.core.x509;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a CRL should say about itself; its entries come separately, from a
 * {@link RevokedEntrySource}, because they can be too many to hold in a request.
 *
 * <p>One request type covers the CRL kinds egov-pki issues:
 * <ul>
 *   <li>a full CRL ({@code baseCrlNumber} null), optionally pointing to its delta CRLs with a
 *       FreshestCRL extension ({@code freshestCrlUrls}, non-critical, RFC 5280 §5.2.6);</li>
 *   <li>a delta CRL ({@link #deltaOf}), which carries the critical DeltaCRLIndicator naming the
 *       base CRL it updates (§5.2.4) and may list entries with reason removeFromCRL;</li>
 *   <li>either of them partitioned ({@link #withPartition}), with the critical
 *       issuingDistributionPoint (§5.2.5, GM/T 0015: only for partitioned CRLs).</li>
 * </ul>
 *
 * <p>Invariants: CRL numbers are non-negative and fit RFC 5280's 20 octets; a delta's base
 * number is below its own number (full and delta CRLs of an issuer share one increasing
 * sequence, §5.2.4); a delta CRL carries no FreshestCRL (§5.2.6); the next-update interval is at
 * least one second ({@link #DEFAULT_NEXT_UPDATE_AFTER} when null); FreshestCRL URIs are
 * absolute ASCII http, ldap or ldaps URIs.
 *
 * @param crlNumber        the CRLNumber extension; strictly increasing per issuer (the caller's store ensures it)
 * @param thisUpdate       thisUpdate, or null for the factory's clock (encoded to the second)
 * @param nextUpdateAfter  nextUpdate - thisUpdate, or null for 24 hours
 * @param baseCrlNumber    for a delta CRL the number of its base CRL, else null
 * @param partition        the issuing distribution point of a partitioned CRL, or null
 * @param freshestCrlUrls  where the delta CRLs of this full CRL are (FreshestCRL), empty for none
 */
public record CrlRequest(BigInteger crlNumber, Instant thisUpdate, Duration nextUpdateAfter,
                         BigInteger baseCrlNumber, CrlPartition partition, List<String> freshestCrlUrls) {

    /** Interval to nextUpdate when none is given. */
    public static final Duration DEFAULT_NEXT_UPDATE_AFTER = Duration.ofHours(24);

    private static final Set<String> FRESHEST_CRL_SCHEMES = Set.of("http", "ldap", "ldaps");

    public CrlRequest {
        requireCrlNumber("CRL number", crlNumber);
        nextUpdateAfter = nextUpdateAfter == null ? DEFAULT_NEXT_UPDATE_AFTER : nextUpdateAfter;
        if (nextUpdateAfter.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("nextUpdateAfter " + nextUpdateAfter + " of CRL " + crlNumber
                    + " must be positive and at least one second (CRL times have whole seconds), e.g. PT24H");
        }
        if (baseCrlNumber != null) {
            requireCrlNumber("base CRL number", baseCrlNumber);
            if (baseCrlNumber.compareTo(crlNumber) >= 0) {
                throw new IllegalArgumentException("delta CRL " + crlNumber + " names base CRL " + baseCrlNumber
                        + ", which is not below its own number; a delta CRL updates an earlier full CRL of the same"
                        + " number sequence (RFC 5280 §5.2.4)");
            }
        }
        freshestCrlUrls = freshestCrlUrls == null ? List.of() : List.copyOf(freshestCrlUrls);
        if (baseCrlNumber != null && !freshestCrlUrls.isEmpty()) {
            throw new IllegalArgumentException("delta CRL " + crlNumber + " cannot carry a FreshestCRL extension"
                    + " (RFC 5280 §5.2.6); point to deltas from the full CRL only");
        }
        for (int i = 0; i < freshestCrlUrls.size(); i++) {
            Urls.requireUrl("FreshestCRL URI " + (i + 1), freshestCrlUrls.get(i), FRESHEST_CRL_SCHEMES);
        }
    }

    /** A full CRL, not partitioned, without FreshestCRL. */
    public CrlRequest(BigInteger crlNumber, Instant thisUpdate, Duration nextUpdateAfter) {
        this(crlNumber, thisUpdate, nextUpdateAfter, null, null, List.of());
    }

    /** A full CRL with the given number, thisUpdate from the clock, nextUpdate 24 hours later. */
    public static CrlRequest of(BigInteger crlNumber) {
        return new CrlRequest(crlNumber, null, null);
    }

    /** This request as a delta CRL updating full CRL {@code baseCrlNumber} (critical DeltaCRLIndicator). */
    public CrlRequest deltaOf(BigInteger baseCrlNumber) {
        Objects.requireNonNull(baseCrlNumber, "baseCrlNumber");
        return new CrlRequest(crlNumber, thisUpdate, nextUpdateAfter, baseCrlNumber, partition, freshestCrlUrls);
    }

    /** This request for the partition {@code partition} (critical issuingDistributionPoint). */
    public CrlRequest withPartition(CrlPartition partition) {
        Objects.requireNonNull(partition, "partition");
        return new CrlRequest(crlNumber, thisUpdate, nextUpdateAfter, baseCrlNumber, partition, freshestCrlUrls);
    }

    /** This full CRL pointing to its delta CRLs at {@code urls} (non-critical FreshestCRL). */
    public CrlRequest withFreshestCrl(List<String> urls) {
        Objects.requireNonNull(urls, "urls");
        return new CrlRequest(crlNumber, thisUpdate, nextUpdateAfter, baseCrlNumber, partition, urls);
    }

    /** Whether this is a delta CRL. */
    public boolean isDelta() {
        return baseCrlNumber != null;
    }

    private static void requireCrlNumber(String what, BigInteger number) {
        Objects.requireNonNull(number, what);
        if (number.signum() < 0 || number.bitLength() > 159) {
            throw new IllegalArgumentException(what + " " + number
                    + " must be between 0 and 2^159-1 (20 octets, RFC 5280 §5.2.3)");
        }
    }
}
