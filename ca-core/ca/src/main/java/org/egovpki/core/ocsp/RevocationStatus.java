package org.egovpki.core.ocsp;

import java.time.Instant;
import java.util.Objects;

/**
 * What the CA knows about one certificate it issued: good, or revoked at a time with an
 * optional RFC 5280 CRLReason code.
 *
 * <p>Invariant: a good status has neither time nor reason; a revoked status always has a time,
 * and its reason, when present, is a CRLReason value (0..10 without the unused 7). A serial the
 * CA never issued has <em>no</em> status at all (see {@link CertificateStatusSource}), so that it
 * can never be mistaken for good.
 *
 * @param revocationTime when the certificate was revoked; {@code null} for a good certificate
 * @param reasonCode     RFC 5280 CRLReason code, or {@code null} when none was recorded
 */
public record RevocationStatus(Instant revocationTime, Integer reasonCode) {

    private static final RevocationStatus GOOD = new RevocationStatus(null, null);
    /** CRLReason 7 is not assigned; 8 removeFromCRL is allowed only in delta CRLs but harmless here. */
    private static final int UNUSED_REASON = 7;
    private static final int MAX_REASON = 10;

    public RevocationStatus {
        if (revocationTime == null && reasonCode != null) {
            throw new IllegalArgumentException("a good certificate has no revocation reason (got " + reasonCode
                    + "); use RevocationStatus.revoked(time, reason)");
        }
        if (reasonCode != null && (reasonCode < 0 || reasonCode > MAX_REASON || reasonCode == UNUSED_REASON)) {
            throw new IllegalArgumentException("revocation reason " + reasonCode
                    + " is not an RFC 5280 CRLReason; allowed 0..10 except 7");
        }
    }

    /** The certificate was issued and is not revoked. */
    public static RevocationStatus good() {
        return GOOD;
    }

    /**
     * The certificate is revoked.
     *
     * @param reasonCode RFC 5280 CRLReason, or {@code null} to send no reason
     */
    public static RevocationStatus revoked(Instant revocationTime, Integer reasonCode) {
        return new RevocationStatus(Objects.requireNonNull(revocationTime, "revocationTime"), reasonCode);
    }

    public boolean isRevoked() {
        return revocationTime != null;
    }
}
