package org.egovpki.core.certificate;

import java.time.Instant;
import java.util.Objects;

/**
 * Which revoked certificates a CRL lists.
 *
 * @param issuer        the issuing CA's name
 * @param validAt       only certificates whose notAfter is at or after this instant: expired
 *                      revoked certificates drop off the next CRL (RFC 5280 §3.3)
 * @param revokedSince  for a delta CRL, only revocations at or after this instant; {@code null}
 *                      for a full CRL
 * @param shard         only certificates of this CRL partition, or {@code null} for all
 */
public record RevokedSelection(String issuer, Instant validAt, Instant revokedSince, Integer shard) {

    public RevokedSelection {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(validAt, "validAt");
        if (shard != null && shard < 0) {
            throw new IllegalArgumentException("CRL shard " + shard + " is negative");
        }
    }

    /** Every unexpired revoked certificate of the issuer. */
    public static RevokedSelection all(String issuer, Instant validAt) {
        return new RevokedSelection(issuer, validAt, null, null);
    }
}
