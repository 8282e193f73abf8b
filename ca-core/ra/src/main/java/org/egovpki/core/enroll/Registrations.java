package org.egovpki.core.enroll;

import org.egovpki.core.enroll.validation.RegistrationData;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.egovpki.core.profile.CertificateType;

/**
 * Registration data in the one form it is stored and certified in: check characters and codes
 * upper case, organisation codes without the hyphen. Applied after validation, so two spellings
 * of the same document never make two subscribers.
 */
final class Registrations {

    private static final Pattern NAME_DOTS = Pattern.compile("\\s*[\u00B7\u0387\u2022\u2027\u2219\u22C5\u2E31"
            + "\u30FB\uFF65]\\s*");
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
    private static final Pattern SPACE_BETWEEN_HAN = Pattern.compile("(?<=\\p{IsHan}) (?=\\p{IsHan})");

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

    /**
     * Whether two names — a person's, an organisation's, a device owner's — are the same name
     * written two ways, as an RA clerk may type one from a document: compared in Unicode NFKC (so
     * full-width letters, digits and the ideographic space are their ordinary forms), with runs of
     * white space as one space and none at either end, none between two Han characters (Chinese
     * names are written without one) or around the dot between the parts of a name (间隔号, which
     * minority and foreign names carry and which is typed as U+00B7, U+2022, U+30FB and their
     * look-alikes), and case-insensitively, as the directory matches {@code cn}. Anything else is
     * another name.
     */
    static boolean sameName(String a, String b) {
        return Objects.equals(comparableName(a), comparableName(b));
    }

    private static String comparableName(String name) {
        if (name == null) {
            return null;
        }
        String s = Normalizer.normalize(name, Normalizer.Form.NFKC);
        s = SPACES.matcher(s).replaceAll(" ").strip();
        s = NAME_DOTS.matcher(s).replaceAll("\u00B7");
        s = SPACE_BETWEEN_HAN.matcher(s).replaceAll("");
        return s.toLowerCase(Locale.ROOT);
    }

    private static String upper(String s) {
        return s == null ? null : s.strip().toUpperCase(Locale.ROOT);
    }

    private static String orgCode(String s) {
        return s == null ? null : upper(s).replace("-", "");
    }
}
