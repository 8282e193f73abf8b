package org.egovpki.server.sync.receiver;

import java.security.cert.X509CRL;
import java.util.Optional;
import java.util.Set;
import java.util.List;
import java.security.cert.X509Certificate;

/**
 * What the receiver trusts: the CAs of the CA it receives from, by name, with their chains, and
 * each CA's current CRL for the signer's revocation check.
 */
interface CaCertificates {

    /** The CA names known. */
    Set<String> names();

    /** The CA's certificate, then its issuers up to the root; empty if the CA is not known. */
    List<X509Certificate> chain(String ca);

    /**
     * The CA's current full CRL, verified under the CA's key.
     *
     * @throws CaUnavailableException if it cannot be obtained now (the message is answered 503, to be retried)
     */
    X509CRL crl(String ca);

    /** Takes a newer CRL of the CA (from a verified {@code crl.published} event) as its current one. */
    void offer(String ca, X509CRL crl);

    /** A CA's certificates or CRL could not be fetched: a temporary failure, answered 503. */
    final class CaUnavailableException extends RuntimeException {
        CaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The chain's first certificate: the CA itself. */
    default Optional<X509Certificate> certificate(String ca) {
        return chain(ca).stream().findFirst();
    }
}
