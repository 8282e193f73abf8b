package org.egovpki.core.certificate;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/** Certificate records under {@code ou=certificates}. Written only by the issuer. */
public interface CertificateStore extends CertificateLookup, RevokedCertificates {

    /**
     * Reserves the serial and stores the intent. {@code false} if a record with this issuer and
     * serial already exists (the caller draws another serial); the existing record is untouched.
     */
    default boolean writeIntent(CertificateRecord intent) {
        return writeIntent(intent, null);
    }

    /**
     * As {@link #writeIntent(CertificateRecord)}, storing in the same write the KM's answer for an
     * encryption certificate: the DER SM2EnvelopedKey only the subscriber's token opens.
     *
     * @param envelopedKey the enveloped private key, or {@code null} for a signing certificate
     */
    boolean writeIntent(CertificateRecord intent, byte[] envelopedKey);

    /** The enveloped private key stored with an encryption certificate's record, if any. */
    Optional<byte[]> envelopedKey(String issuer, BigInteger serial);

    /** Replaces the record's issuance state, certificate, status and fingerprint with {@code record}'s. */
    void update(CertificateRecord record);

    /** Records in the given issuance state (for start-up recovery). */
    List<CertificateRecord> findByIssuanceState(IssuanceState state);

    /** Records written for a request. */
    List<CertificateRecord> findByRequest(String requestId);

    /** A record by issuer and serial. */
    Optional<CertificateRecord> find(String issuer, BigInteger serial);

    /**
     * Marks an issued certificate revoked if, and only if, it is still VALID — one atomic
     * directory operation, so two revocations of the same certificate cannot both succeed.
     *
     * @return {@code false} if the record was no longer VALID (someone else revoked it first)
     */
    boolean revoke(CertificateRecord record, Revocation revocation);
}
