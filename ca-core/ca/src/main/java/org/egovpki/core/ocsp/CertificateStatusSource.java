package org.egovpki.core.ocsp;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The read-only view of certificate records the OCSP responder needs, and nothing more
 * (STYLE.md habit 2: one small interface per consumer).
 *
 * <p>Contract: an empty result means the named CA never issued {@code serial}; the responder then
 * answers {@code unknown}, never {@code good} (REQUIREMENTS §5, OCSP). Implementations must be
 * thread-safe. A store that is down should throw
 * {@link org.egovpki.core.DomainException} of kind {@code UNAVAILABLE}; the responder answers
 * {@code tryLater}.
 */
@FunctionalInterface
public interface CertificateStatusSource {

    /**
     * @param issuerName the {@link ServedCa#name()} of the CA that would have issued the certificate
     * @param serial     the certificate serial number from the request (positive, but not checked)
     * @return the status, or empty when this CA never issued that serial
     */
    Optional<RevocationStatus> status(String issuerName, BigInteger serial);
}
