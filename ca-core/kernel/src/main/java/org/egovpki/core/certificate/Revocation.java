package org.egovpki.core.certificate;

import java.time.Instant;
import java.util.Objects;

/**
 * A certificate's revocation as recorded on its record.
 *
 * <p>Invariants: the invalidity date, if any, is not after the revocation time.
 *
 * @param time           when the CA revoked it (the CRL entry's revocationDate, OCSP revocationTime)
 * @param reason         the CPS cause; its RFC 5280 code is what relying parties see
 * @param invalidityDate when the key is known or suspected to have become invalid, or {@code null}
 * @param revokedBy      DN of who revoked it: the operator, or the subscriber entry for self-service
 * @param channel        how the revocation arrived
 */
public record Revocation(Instant time, RevocationReason reason, Instant invalidityDate, String revokedBy,
                         RevocationChannel channel) {

    public Revocation {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(revokedBy, "revokedBy");
        Objects.requireNonNull(channel, "channel");
        if (invalidityDate != null && invalidityDate.isAfter(time)) {
            throw new IllegalArgumentException("invalidity date " + invalidityDate + " is after the revocation time "
                    + time);
        }
    }
}
