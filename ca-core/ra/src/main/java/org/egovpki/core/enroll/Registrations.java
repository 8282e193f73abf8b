package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.util.Locale;
import org.egovpki.core.profile.CertificateType;

/**
 * Registration data in the one form it is stored and certified in: check characters and codes
 * upper case, organisation codes without the hyphen. Applied after validation, so two spellings
 * of the same document never make two subscribers.
 */
final class Registrations {

    private Registrations() {
    }

    static RegistrationData normalised(RegistrationData r) {
        return new RegistrationData(r.realName(), r.idType(), upper(r.idNumber()), r.phone(), r.email(),
                r.organization(), r.legalName(), upper(r.uscc()), orgCode(r.organizationCode()), r.agentName(),
                r.agentPhone(), r.agentEmail(), upper(r.agentIdNumber()), r.hostNames(), r.ipAddresses(), r.owner());
    }

    /** What identifies the holder: the ID document of a person, the code of an organisation. */
    static String identityKey(CertificateType type, RegistrationData r) {
        return switch (type) {
            case PERSONAL -> r.idType() + ":" + upper(r.idNumber());
            case ORGANIZATION, CODE_SIGNING -> r.uscc() != null ? "USCC:" + upper(r.uscc())
                    : "ORG:" + orgCode(r.organizationCode());
            case DEVICE -> null;
        };
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    private static String orgCode(String s) {
        return s == null ? null : upper(s).replace("-", "");
    }
}
