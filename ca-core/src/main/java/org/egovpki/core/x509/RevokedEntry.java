package org.egovpki.core.x509;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One revoked certificate as it appears in a CRL.
 *
 * <p>Invariants: the serial is positive; the reason, if given, is an RFC 5280 §5.3.1 CRLReason
 * usable in a full CRL (0-6, 9, 10: not 7, which is unassigned, nor 8, removeFromCRL, which only
 * delta CRLs carry); the invalidity date, if given, is not after the revocation date. Reason 0
 * (unspecified) is accepted but left out of the CRL entry, as RFC 5280 §5.3.1 recommends.
 *
 * @param serial          serial number of the revoked certificate
 * @param revocationDate  when the CA revoked it (encoded to the second)
 * @param reasonCode      RFC 5280 CRLReason code, or null to omit the reasonCode extension
 * @param invalidityDate  when the key is known or suspected to have been compromised, or null
 */
public record RevokedEntry(BigInteger serial, Instant revocationDate, Integer reasonCode, Instant invalidityDate) {

    /** Reason codes a full CRL may carry (RFC 5280 §5.3.1). */
    public static final Set<Integer> ALLOWED_REASON_CODES = Set.of(0, 1, 2, 3, 4, 5, 6, 9, 10);

    public RevokedEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revocationDate, "revocationDate");
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("revoked serial " + serial + " is not positive");
        }
        if (reasonCode != null && !ALLOWED_REASON_CODES.contains(reasonCode)) {
            throw new IllegalArgumentException("reason code " + reasonCode + " for serial " + SerialNumbers.toHex(serial)
                    + " is not allowed in a CRL; use one of 0-6, 9, 10 (RFC 5280 §5.3.1; 8 removeFromCRL is for delta CRLs)"
                    + " or null");
        }
        if (invalidityDate != null && invalidityDate.isAfter(revocationDate)) {
            throw new IllegalArgumentException("invalidity date " + invalidityDate + " of serial " + SerialNumbers.toHex(serial)
                    + " is after its revocation date " + revocationDate + "; the key cannot become invalid after revocation");
        }
    }

    /** An entry without reason code or invalidity date. */
    public static RevokedEntry of(BigInteger serial, Instant revocationDate) {
        return new RevokedEntry(serial, revocationDate, null, null);
    }
}
