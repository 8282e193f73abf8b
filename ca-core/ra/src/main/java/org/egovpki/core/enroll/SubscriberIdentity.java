package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.profile.CertificateType;

/**
 * Whether an application may be attached to an existing subscriber: the same kind of subscriber
 * (person, organisation, device) and the same identity — the ID document of a person, the code of
 * an organisation, the responsible owner of a device. Anything else would let one subscriber's
 * registration data (name, ID number, phone, challenge hash) be replaced by another's, so both
 * the RA (at submission) and the issuer (before it registers) refuse it.
 */
public final class SubscriberIdentity {

    private SubscriberIdentity() {
    }

    /** The kind of subscriber a certificate type is for, as the directory stores it. */
    public static String kind(CertificateType type) {
        return switch (type) {
            case PERSONAL -> "PERSONAL";
            case ORGANIZATION, CODE_SIGNING -> "ORGANIZATION";
            case DEVICE -> "DEVICE";
        };
    }

    /**
     * Why an application of {@code type} with {@code registration} cannot belong to the existing
     * subscriber {@code subscriberId}, or empty if it can. The message names neither identity.
     *
     * @param existingKind the stored kind ({@link #kind(CertificateType)}); {@code null} if unknown
     */
    public static Optional<String> conflict(String subscriberId, String existingKind, RegistrationData existing,
                                            CertificateType type, RegistrationData registration) {
        String kind = kind(type);
        if (existingKind != null && !existingKind.equals(kind)) {
            return Optional.of("subscriber '" + subscriberId + "' is a " + existingKind + " subscriber and this is a "
                    + kind + " application; leave subscriberId out, or give the id of a " + kind
                    + " subscriber with the same identity");
        }
        if (type == CertificateType.DEVICE) {
            if (!Objects.equals(strip(existing.owner()), strip(registration.owner()))) {
                return Optional.of("device subscriber '" + subscriberId + "' is registered with another owner; a "
                        + "device changes owner by a new application without subscriberId");
            }
            return Optional.empty();
        }
        String before = Registrations.identityKey(type, existing);
        String now = Registrations.identityKey(type, registration);
        if (!Objects.equals(before, now)) {
            return Optional.of("subscriber '" + subscriberId + "' is registered with a different identity document;"
                    + " check the subscriberId, or leave it out to have the subscriber found from the documents");
        }
        return Optional.empty();
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
