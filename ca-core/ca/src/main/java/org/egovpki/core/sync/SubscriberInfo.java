package org.egovpki.core.sync;

import java.util.Objects;

import org.egovpki.core.enroll.validation.RegistrationData;
import org.egovpki.core.profile.CertificateType;

/**
 * The subscriber's basic information a certificate event carries (seeds 001 §6.4.3, 004 §7.3.3):
 * an allow-list of registration fields, never the registration entry itself. {@code idNumber} is
 * held whole here; {@link SyncEventBodies} masks it unless the target is authorised for it.
 *
 * @param id           the subscriber id ({@code p-…}, {@code o-…}, {@code d-…})
 * @param type         the certificate type, which says what kind of subscriber it is
 * @param name         a person's name, an organisation's legal name, or a device's owner
 * @param idType       the identity document type (RESIDENT_ID, PASSPORT, …, USCC, ORGANIZATION_CODE), or {@code null}
 * @param idNumber     the document number or organisation code, whole, or {@code null}
 * @param organisation the organisation a person or device belongs to (for an organisation: itself), or {@code null}
 * @param region       the administrative region code, or {@code null}
 */
public record SubscriberInfo(String id, CertificateType type, String name, String idType, String idNumber,
                             String organisation, String region) {

    /** The {@code idType} of an organisation identified by its unified social credit code (GB 32100). */
    public static final String USCC = "USCC";
    /** The {@code idType} of an organisation identified by its legacy organisation code. */
    public static final String ORGANIZATION_CODE = "ORGANIZATION_CODE";

    public SubscriberInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
    }

    /**
     * The basic information of a subscriber from its registration data: for a person the name
     * and identity document; for an organisation (and a code-signing subscriber) the legal name
     * and the USCC, else the organisation code; for a device its owner and organisation.
     */
    public static SubscriberInfo of(String subscriberId, CertificateType type, RegistrationData registration,
                                    String region) {
        Objects.requireNonNull(registration, "registration");
        return switch (type) {
            case PERSONAL -> new SubscriberInfo(subscriberId, type, registration.realName(), registration.idType(),
                    registration.idNumber(), registration.organization(), region);
            case ORGANIZATION, CODE_SIGNING -> {
                boolean uscc = registration.uscc() != null && !registration.uscc().isBlank();
                String code = uscc ? registration.uscc() : registration.organizationCode();
                yield new SubscriberInfo(subscriberId, type, registration.legalName(),
                        code == null ? null : uscc ? USCC : ORGANIZATION_CODE, code, registration.legalName(), region);
            }
            case DEVICE -> new SubscriberInfo(subscriberId, type, registration.owner(), null, null,
                    registration.organization(), region);
        };
    }

    @Override
    public String toString() {
        return "SubscriberInfo[" + id + ", " + type + "]"; // never the name or the number
    }
}
