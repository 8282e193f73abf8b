package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.util.Objects;

/**
 * One application as an RA operator enters it (001 §6.2.1).
 *
 * @param csr               PKCS#10, DER or PEM
 * @param profile           certificate profile name
 * @param subscriberId      the RA's subscriber id, or {@code null} to derive it from the identity documents
 * @param registration      registration data
 * @param businessType      e-government business type
 * @param region            administrative region code
 * @param publishOptOut     do not publish the certificate in the directory
 * @param challengePhrase   the phrase for self-service revocation (stored only hashed)
 * @param agreementAccepted the subscriber accepted the subscriber agreement
 */
public record Submission(byte[] csr, String profile, String subscriberId, RegistrationData registration,
                         String businessType, String region, boolean publishOptOut, char[] challengePhrase,
                         boolean agreementAccepted) {

    public Submission {
        csr = csr == null ? null : csr.clone();
        challengePhrase = challengePhrase == null ? null : challengePhrase.clone();
        registration = Objects.requireNonNullElseGet(registration,
                () -> new RegistrationData(null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null, null));
    }

    @Override
    public byte[] csr() {
        return csr == null ? null : csr.clone();
    }

    @Override
    public char[] challengePhrase() {
        return challengePhrase == null ? null : challengePhrase.clone();
    }
}
