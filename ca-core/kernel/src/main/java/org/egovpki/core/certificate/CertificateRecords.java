package org.egovpki.core.certificate;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The certificate records, read-only: what the RA, key delivery and the CRL jobs get.
 *
 * <p>Only the issuer and revocation hold the writer, {@link CertificateStore}; everyone else is
 * given this view, so a reader cannot change a record even by mistake.
 */
public interface CertificateRecords extends CertificateLookup, RevokedCertificates {

    /** The enveloped private key stored with an encryption certificate's record, if any. */
    Optional<byte[]> envelopedKey(String issuer, BigInteger serial);

    /** Records in the given issuance state (for start-up recovery). */
    List<CertificateRecord> findByIssuanceState(IssuanceState state);

    /** Records written for a request. */
    List<CertificateRecord> findByRequest(String requestId);

    /** A record by issuer and serial. */
    Optional<CertificateRecord> find(String issuer, BigInteger serial);
}
