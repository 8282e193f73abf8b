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
 *
 * <p>The same identity is not enough for a request that does not change the subscriber's data on
 * purpose ({@link #nameConflict}): a new application under a registered ID number or organisation
 * code must also carry the registered name — else approving it would rename the person or the
 * organisation in the directory without anyone having reviewed a change of name. A change of name
 * is a certificate modification (变更, 002 §3.8, 003 §4.8), reviewed as one. Contact data (phones,
 * e-mail, a person's organisation, an organisation's agent) may change with a new application: the
 * reviewer checks them against the documents like any application's, and they identify nobody.
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
            if (!Registrations.sameName(existing.owner(), registration.owner())) {
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

    /**
     * Why a request would rename the subscriber registered with {@code existing}, or empty: a
     * request of any kind but {@link RequestKind#MODIFICATION} whose person's real name or
     * organisation's legal name is not the registered one ({@link Registrations#sameName}: width,
     * spaces, case and the name dot do not count). A device's name is its owner, which
     * {@link #conflict} already holds fixed. The message names neither the identity number nor the
     * registered name: whoever enters an application must not learn a registered name by it.
     */
    public static Optional<Refusal> nameConflict(RequestKind kind, CertificateType type, RegistrationData existing,
                                                 RegistrationData registration) {
        if (kind == RequestKind.MODIFICATION || type == CertificateType.DEVICE) {
            return Optional.empty();
        }
        boolean person = type == CertificateType.PERSONAL;
        String before = person ? existing.realName() : existing.legalName();
        String now = person ? registration.realName() : registration.legalName();
        if (Registrations.sameName(before, now)) {
            return Optional.empty();
        }
        String document = person ? "identity document" : "organisation code";
        if (kind == RequestKind.NEW) {
            return Optional.of(new Refusal(person ? "registration.realName" : "registration.legalName",
                    "the " + document + " of this application is registered under another name; a registered "
                            + "name changes only through a certificate modification (变更) of one of the subscriber's "
                            + "certificates, reviewed as such: check the name against the document, or enter a "
                            + "modification for a change of name"));
        }
        return Optional.of(new Refusal("serial", "the subscriber of this certificate is now registered under another "
                + "name (a modification of another of its certificates changed it); a certificate under the former "
                + "name is not " + (kind == RequestKind.RENEWAL ? "renewed" : kind == RequestKind.REKEY ? "rekeyed"
                : "replaced") + ": enter a modification of it instead"));
    }

    /** A refusal and the input it concerns. */
    public record Refusal(String field, String message) {
    }
}
