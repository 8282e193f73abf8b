package org.egovpki.core.x509;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One revoked certificate as it appears in a CRL.
 *
 * <p>Invariants: the serial is positive; the reason, if given, is an RFC 5280 §5.3.1 CRLReason
 * (0-6, 8, 9, 10; 7 is unassigned); the invalidity date, if given, is not after the revocation
 * date. Reason 0 (unspecified) is accepted but left out of the CRL entry, as RFC 5280 §5.3.1
 * recommends.
 *
 * <p>Reason 8, {@link #REMOVE_FROM_CRL}, is accepted here but only a delta CRL may carry it
 * ({@link CrlFactory} refuses it in a full CRL): it tells a relying party to drop a certificate
 * its base CRL lists, because the certificate was released from hold or has expired and left the
 * complete CRL (RFC 5280 §5.2.4, §5.3.1). Such an entry has no invalidity date: it is not a
 * revocation.
 *
 * @param serial          serial number of the revoked certificate
 * @param revocationDate  when the CA revoked it (encoded to the second)
 * @param reasonCode      RFC 5280 CRLReason code, or null to omit the reasonCode extension
 * @param invalidityDate  when the key is known or suspected to have been compromised, or null
 */
public record RevokedEntry(BigInteger serial, Instant revocationDate, Integer reasonCode, Instant invalidityDate) {

    /** Reason codes a full CRL may carry (RFC 5280 §5.3.1). */
    public static final Set<Integer> ALLOWED_REASON_CODES = Set.of(0, 1, 2, 3, 4, 5, 6, 9, 10);

    /** removeFromCRL: delta CRLs only (RFC 5280 §5.3.1). */
    public static final int REMOVE_FROM_CRL = 8;

    public RevokedEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revocationDate, "revocationDate");
        if (serial.signum() <= 0) {
            throw new IllegalArgumentException("revoked serial " + serial + " is not positive");
        }
        if (reasonCode != null && reasonCode != REMOVE_FROM_CRL && !ALLOWED_REASON_CODES.contains(reasonCode)) {
            throw new IllegalArgumentException("reason code " + reasonCode + " for serial " + SerialNumbers.toHex(serial)
                    + " is not allowed in a CRL; use one of 0-6, 9, 10, 8 (removeFromCRL, delta CRLs only)"
                    + " (RFC 5280 §5.3.1) or null");
        }
        if (reasonCode != null && reasonCode == REMOVE_FROM_CRL && invalidityDate != null) {
            throw new IllegalArgumentException("serial " + SerialNumbers.toHex(serial) + " is removed from the CRL"
                    + " (reason 8, removeFromCRL) and so cannot have an invalidity date; leave invalidityDate null");
        }
        if (invalidityDate != null && invalidityDate.isAfter(revocationDate)) {
            throw new IllegalArgumentException("invalidity date " + invalidityDate + " of serial " + SerialNumbers.toHex(serial)
                    + " is after its revocation date " + revocationDate + "; the key cannot become invalid after revocation");
        }
    }

    /** A delta-CRL entry telling relying parties to drop {@code serial}, listed in the base CRL. */
    public static RevokedEntry removeFromCrl(BigInteger serial, Instant removalDate) {
        return new RevokedEntry(serial, removalDate, REMOVE_FROM_CRL, null);
    }

    /** An entry without reason code or invalidity date. */
    public static RevokedEntry of(BigInteger serial, Instant revocationDate) {
        return new RevokedEntry(serial, revocationDate, null, null);
    }
}
