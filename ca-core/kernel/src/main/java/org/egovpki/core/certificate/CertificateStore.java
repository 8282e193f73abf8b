package org.egovpki.core.certificate;

/**
 * Certificate records under {@code ou=certificates}, with the writes: held only by the issuer and
 * revocation (an ArchUnit rule in the server's {@code ArchitectureTest} keeps it so). Readers get
 * {@link CertificateRecords}.
 */
public interface CertificateStore extends CertificateRecords {

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

    /** Replaces the record's issuance state, certificate, status and fingerprint with {@code record}'s. */
    void update(CertificateRecord record);

    /**
     * Marks an issued certificate revoked if, and only if, it is still VALID — one atomic
     * directory operation, so two revocations of the same certificate cannot both succeed.
     *
     * @return {@code false} if the record was no longer VALID (someone else revoked it first)
     */
    boolean revoke(CertificateRecord record, Revocation revocation);
}
