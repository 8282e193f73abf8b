package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.util.List;
import java.util.Optional;
import org.egovpki.core.profile.CertificateType;

/**
 * Subscribers in the directory: a public entry (id, display name, published certificates) and a
 * private registration entry. Only the issuer writes here.
 */
public interface SubscriberStore {

    /** The subscriber holding this canonical subject DN, if any (DN uniqueness, REQUIREMENTS §4). */
    Optional<String> holderOf(String canonicalSubjectDn);

    /**
     * Every subscriber recording that it holds this canonical subject DN. More than one only while
     * two issuances claim the DN at the same moment ({@link #register} then this look-up, in another
     * thread or another CA process): each claimant that sees another gives its claim back
     * ({@link #releaseSubjectDn}), so of two concurrent claimants at most one goes on.
     */
    List<String> holdersOf(String canonicalSubjectDn);

    /**
     * Takes back a claim {@link #register} recorded on a subscriber that has no certificate with
     * this subject DN (an issuance that lost the DN to another subscriber). Idempotent.
     */
    void releaseSubjectDn(String subscriberId, String canonicalSubjectDn);

    /**
     * What is registered for a subscriber: its kind ({@link SubscriberIdentity#kind}) and data.
     *
     * @param kind         PERSONAL, ORGANIZATION or DEVICE as stored; {@code null} if the entry has none
     * @param registration the registration data
     */
    record Registered(String kind, RegistrationData registration) {
    }

    /** What is registered for the subscriber, if it exists. */
    Optional<Registered> registrationOf(String subscriberId);

    /**
     * Creates the subscriber or updates its registration data, and records that it holds the
     * subject DN. Idempotent. Never replaces the registration of another kind of subscriber or of
     * another identity ({@link SubscriberIdentity#conflict}): that is refused with CONFLICT and
     * nothing changes.
     */
    void register(String subscriberId, CertificateType type, String canonicalSubjectDn, RegistrationData registration,
                  String businessType, String region, boolean publishOptOut, String challengeHash);

    /**
     * {@link #register} for a subscriber believed new (its registration was just read as absent),
     * which a store may do without reading first. {@code false}, with nothing changed, when the
     * subscriber exists after all (registered meanwhile): the caller then uses {@link #register}.
     */
    default boolean registerNew(String subscriberId, CertificateType type, String canonicalSubjectDn,
                                RegistrationData registration, String businessType, String region,
                                boolean publishOptOut, String challengeHash) {
        if (registrationOf(subscriberId).isPresent()) {
            return false;
        }
        register(subscriberId, type, canonicalSubjectDn, registration, businessType, region, publishOptOut,
                challengeHash);
        return true;
    }

    /** Adds the certificate to the subscriber's public {@code userCertificate;binary}. Idempotent. */
    void publishCertificate(String subscriberId, String displayName, byte[] certificateDer);

    /**
     * The certificates on the subscriber's public {@code userCertificate;binary} (empty when it has
     * none or no entry). Issuance recovery reads it: a certificate is published before its record
     * stores it, so a crash in between leaves it only here.
     */
    List<byte[]> publishedCertificates(String subscriberId);

    /**
     * Removes the certificate from the subscriber's public {@code userCertificate;binary}, so
     * applications looking certificates up no longer find it. Idempotent.
     */
    void unpublishCertificate(String subscriberId, byte[] certificateDer);

    /** The directory name of the subscriber's entry: the actor recorded for the subscriber's own actions. */
    String entryDn(String subscriberId);
}
