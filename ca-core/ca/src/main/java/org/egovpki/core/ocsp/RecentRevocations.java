package org.egovpki.core.ocsp;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The revocations another CA process on the same directory recorded, which this process's OCSP
 * answers must follow ({@link OcspResponder#followRevocations}): the revoking process drops its own
 * answers at once, the other learns of the revocation only from the directory.
 *
 * <p>Contract: {@link #since} returns every certificate whose recorded revocation time is at or
 * after {@code since}, in any order. A store that is down throws
 * {@link org.egovpki.core.DomainException} of kind {@code UNAVAILABLE}. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface RecentRevocations {

    /** @return the certificates revoked at or after {@code since} */
    List<Revoked> since(Instant since);

    /**
     * One revoked certificate.
     *
     * @param issuerName     the {@link ServedCa#name()} of the CA that issued it
     * @param serial         its serial number
     * @param revocationTime when it was revoked, as recorded
     */
    record Revoked(String issuerName, BigInteger serial, Instant revocationTime) {

        public Revoked {
            Objects.requireNonNull(issuerName, "issuerName");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(revocationTime, "revocationTime");
        }
    }
}
