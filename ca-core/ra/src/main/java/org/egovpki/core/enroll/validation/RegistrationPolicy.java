package org.egovpki.core.enroll.validation;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.core.profile.CertificateType;

/**
 * Which registration data each certificate type needs, and its syntax (REQUIREMENTS §4).
 *
 * <ul>
 *   <li>PERSONAL: realName; idType one of {@value RegistrationData#RESIDENT_ID}, PASSPORT,
 *       MILITARY_OFFICER, OTHER; idNumber — a GB 11643 resident ID number for RESIDENT_ID,
 *       otherwise 1-32 visible characters (printable ASCII for PASSPORT, since GM/T 0015 carries
 *       passport numbers as PrintableString; military officer cards may contain Chinese, which
 *       GM/T 0015 carries as UTF8String).</li>
 *   <li>ORGANIZATION and CODE_SIGNING: legalName; a GB 32100 unified social credit code, or —
 *       for bodies that never received one — a GB 11714 organisation code (if both are given, the
 *       organisation code must be positions 9-17 of the USCC); agentName; agentIdNumber (GB 11643).</li>
 *   <li>DEVICE: at least one host name or IP address, each valid (LDH DNS names with at least one
 *       dot and no wildcard; IP literals parsed strictly; private ranges are allowed — e-government
 *       networks use them); owner.</li>
 *   <li>Any type: e-mail addresses (email, agentEmail) are ASCII mailboxes; phones (phone,
 *       agentPhone) match {@code +?[0-9 -]{5,20}} with at least 5 digits; names are at most 64
 *       characters (they become the CN) without control or format characters.</li>
 * </ul>
 * Only the fields a type needs are required; the syntax of any other field given is still
 * checked. Refusals are BAD_REQUEST naming {@code registration.<field>}. This class checks and
 * does not normalise: store {@link ResidentIdNumbers#require} / {@link SocialCreditCodes#require}
 * results to keep the normalised forms.
 */
public final class RegistrationPolicy {

    /** Identity document types a person may register with. */
    public static final Set<String> ID_TYPES = Set.of(RegistrationData.RESIDENT_ID, "PASSPORT", "MILITARY_OFFICER", "OTHER");

    private static final int MAX_NAME = 64;
    private static final int MAX_OWNER = 128;
    private static final int MAX_OTHER_ID = 32;
    /** Most host names, and most IP addresses, one device registers (each becomes a SAN entry). */
    static final int MAX_DEVICE_NAMES = 32;
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 -]{5,20}");
    private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x21-\\x7E](?:[\\x20-\\x7E]*[\\x21-\\x7E])?");

    /**
     * Checks the registration data required for a certificate type.
     *
     * @param today the date resident ID birth dates are checked against
     * @throws DomainException BAD_REQUEST naming the first offending {@code registration.*} field
     */
    public void check(CertificateType type, RegistrationData r, LocalDate today) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(r, "registration");
        Objects.requireNonNull(today, "today");
        switch (type) {
            case PERSONAL:
                checkPerson(r, today);
                break;
            case ORGANIZATION:
            case CODE_SIGNING:
                checkOrganization(r, today);
                break;
            case DEVICE:
                checkDevice(r);
                break;
            default:
                throw new IllegalStateException("no registration rule for certificate type " + type);
        }
        checkContact("registration.email", r.email(), "registration.phone", r.phone());
        checkContact("registration.agentEmail", r.agentEmail(), "registration.agentPhone", r.agentPhone());
        optionalName("registration.organization", r.organization(), MAX_NAME);
    }

    private static void checkPerson(RegistrationData r, LocalDate today) {
        requireName("registration.realName", r.realName(), "the real name on the ID document", MAX_NAME);
        String idType = r.idType();
        if (idType == null || idType.isBlank()) {
            throw DomainException.badRequest("registration.idType", "the ID document type is missing; give one of "
                    + sorted(ID_TYPES));
        }
        if (!ID_TYPES.contains(idType)) {
            throw DomainException.badRequest("registration.idType", "ID document type "
                    + Syntax.shown(idType) + " is not known; give one of " + sorted(ID_TYPES));
        }
        if (RegistrationData.RESIDENT_ID.equals(idType)) {
            ResidentIdNumbers.require("registration.idNumber", r.idNumber(), today);
            return;
        }
        String number = r.idNumber();
        if (number == null || number.isBlank()) {
            throw DomainException.badRequest("registration.idNumber", "the " + idType + " document number is missing;"
                    + " give it as printed on the document");
        }
        String stripped = number.strip();
        int length = Syntax.length(stripped);
        if (length > MAX_OTHER_ID) {
            throw DomainException.badRequest("registration.idNumber", "the " + idType + " document number has " + length
                    + " characters, more than the " + MAX_OTHER_ID + " allowed: give it as printed on the document");
        }
        if ("PASSPORT".equals(idType) ? !PRINTABLE_ASCII.matcher(stripped).matches()
                : Syntax.firstInvisibleCharacter(stripped) >= 0) {
            throw DomainException.badRequest("registration.idNumber", "the " + idType + " document number contains"
                    + " characters that are not printable" + ("PASSPORT".equals(idType) ? " ASCII" : "")
                    + ": give it as printed on the document");
        }
    }

    private static void checkOrganization(RegistrationData r, LocalDate today) {
        requireName("registration.legalName", r.legalName(), "the legal name on the organisation's licence", MAX_NAME);
        boolean hasUscc = r.uscc() != null && !r.uscc().isBlank();
        boolean hasOrganizationCode = r.organizationCode() != null && !r.organizationCode().isBlank();
        if (!hasUscc && !hasOrganizationCode) {
            throw DomainException.badRequest("registration.uscc", "the unified social credit code is missing; give the"
                    + " 18-character code on the business licence (or, for a body without one, its organisation code)");
        }
        String uscc = hasUscc ? SocialCreditCodes.require("registration.uscc", r.uscc()) : null;
        String organizationCode = hasOrganizationCode
                ? OrganizationCodes.require("registration.organizationCode", r.organizationCode()) : null;
        if (uscc != null && organizationCode != null && !uscc.substring(8, 17).equals(organizationCode)) {
            throw DomainException.badRequest("registration.organizationCode", "organisation code "
                    + PersonalData.mask(organizationCode) + " is not positions 9-17 of the unified social credit code "
                    + PersonalData.mask(uscc) + ": give the matching code or leave the organisation code out");
        }
        requireName("registration.agentName", r.agentName(), "the authorised agent's name", MAX_NAME);
        ResidentIdNumbers.require("registration.agentIdNumber", r.agentIdNumber(), today);
    }

    private static void checkDevice(RegistrationData r) {
        List<String> hostNames = r.hostNames();
        List<String> ipAddresses = r.ipAddresses();
        if (hostNames.isEmpty() && ipAddresses.isEmpty()) {
            throw DomainException.badRequest("registration.hostNames", "a device needs at least one host name or IP"
                    + " address; register the names and addresses the certificate will carry");
        }
        if (hostNames.size() > MAX_DEVICE_NAMES || ipAddresses.size() > MAX_DEVICE_NAMES) {
            throw DomainException.badRequest(hostNames.size() > MAX_DEVICE_NAMES ? "registration.hostNames"
                    : "registration.ipAddresses", "a device registers at most " + MAX_DEVICE_NAMES
                    + " host names and " + MAX_DEVICE_NAMES + " IP addresses; this one has " + hostNames.size()
                    + " and " + ipAddresses.size() + ": register one device per certificate");
        }
        for (String hostName : hostNames) {
            String value = hostName == null ? "" : hostName.strip();
            String problem = value.isEmpty() ? "it is empty" : Syntax.dnsNameProblem(value);
            if (problem != null) {
                throw DomainException.badRequest("registration.hostNames", "host name \""
                        + Syntax.shown(value) + "\" is not acceptable: " + problem);
            }
        }
        for (String ipAddress : ipAddresses) {
            String value = ipAddress == null ? "" : ipAddress.strip();
            if (Syntax.parseIp(value) == null) {
                throw DomainException.badRequest("registration.ipAddresses", "\"" + Syntax.shown(value)
                        + "\" is not an IP address: give IPv4 as four numbers 0-255 without leading zeros, or IPv6 in"
                        + " RFC 4291 form, without zone, brackets or prefix length");
            }
        }
        requireName("registration.owner", r.owner(), "the person or unit responsible for the device", MAX_OWNER);
    }

    private static void checkContact(String emailField, String email, String phoneField, String phone) {
        if (email != null && !email.isBlank()) {
            String problem = Syntax.emailProblem(email.strip());
            if (problem != null) {
                throw DomainException.badRequest(emailField, "e-mail address " + Syntax.shown(email.strip())
                        + " is not acceptable: " + problem);
            }
        }
        if (phone != null && !phone.isBlank()) {
            String value = phone.strip();
            if (!PHONE.matcher(value).matches() || value.chars().filter(Character::isDigit).count() < 5) {
                throw DomainException.badRequest(phoneField, "phone number " + PersonalData.mask(value)
                        + " is not acceptable: give 5-20 digits, spaces or hyphens, optionally starting with +");
            }
        }
    }

    private static void requireName(String field, String value, String what, int maxLength) {
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest(field, field.substring("registration.".length()) + " is missing; give "
                    + what);
        }
        optionalName(field, value, maxLength);
    }

    private static void optionalName(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return;
        }
        String stripped = value.strip();
        int invisible = Syntax.firstInvisibleCharacter(stripped);
        if (invisible >= 0) {
            throw DomainException.badRequest(field, field.substring("registration.".length())
                    + " contains the control or format character " + Syntax.describeCodePoint(invisible) + "; remove it");
        }
        int unstorable = Syntax.firstUnstorableCharacter(stripped);
        if (unstorable >= 0) {
            throw DomainException.badRequest(field, Syntax.unstorableMessage(field.substring("registration.".length()),
                    unstorable));
        }
        int length = Syntax.length(stripped);
        if (length > maxLength) {
            throw DomainException.badRequest(field, field.substring("registration.".length()) + " has " + length
                    + " characters, more than the " + maxLength + " allowed: shorten it");
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
