package org.egovpki.core.enroll.validation;

import java.util.List;

/**
 * A subscriber's registration data (REQUIREMENTS §4, seeds 001 §6.1.3, 002 §2.1): private, kept in
 * the directory's {@code cn=registration} entry, never published. Which fields are required
 * depends on the certificate type; absent values are {@code null} (lists: empty).
 *
 * @param realName         personal: the name on the ID document
 * @param idType           personal: RESIDENT_ID, PASSPORT, MILITARY_OFFICER or OTHER
 * @param idNumber         personal: the document number (resident IDs checked per GB 11643)
 * @param phone            contact phone
 * @param email            contact email
 * @param organization     the organisation a person belongs to, or a device's owner organisation
 * @param legalName        organisation: legal name on its licence
 * @param uscc             organisation: unified social credit code (checked per GB 32100)
 * @param organizationCode organisation: legacy organisation code, where no USCC exists
 * @param agentName        organisation: authorised agent's name
 * @param agentPhone       organisation: authorised agent's phone
 * @param agentEmail       organisation: authorised agent's email
 * @param agentIdNumber    organisation: authorised agent's resident ID number
 * @param hostNames        device: DNS names (become SAN dNSName entries after validation)
 * @param ipAddresses      device: IP addresses (become SAN iPAddress entries after validation)
 * @param owner            device: the responsible person or unit
 */
public record RegistrationData(
        String realName,
        String idType,
        String idNumber,
        String phone,
        String email,
        String organization,
        String legalName,
        String uscc,
        String organizationCode,
        String agentName,
        String agentPhone,
        String agentEmail,
        String agentIdNumber,
        List<String> hostNames,
        List<String> ipAddresses,
        String owner) {

    public RegistrationData {
        hostNames = hostNames == null ? List.of() : List.copyOf(hostNames);
        ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    }

    /** The resident ID type, the one the GB 11643 check digit applies to. */
    public static final String RESIDENT_ID = "RESIDENT_ID";

    /**
     * Which fields are present, never their values: the generated form would put names, ID and phone
     * numbers into any log line or message that prints a registration or a value holding one.
     */
    @Override
    public String toString() {
        String[] names = {"realName", "idType", "idNumber", "phone", "email", "organization", "legalName", "uscc",
                "organizationCode", "agentName", "agentPhone", "agentEmail", "agentIdNumber", "owner"};
        String[] values = {realName, idType, idNumber, phone, email, organization, legalName, uscc, organizationCode,
                agentName, agentPhone, agentEmail, agentIdNumber, owner};
        List<String> present = new java.util.ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (values[i] != null) {
                present.add(names[i]);
            }
        }
        if (!hostNames.isEmpty()) {
            present.add(hostNames.size() + " host names");
        }
        if (!ipAddresses.isEmpty()) {
            present.add(ipAddresses.size() + " IP addresses");
        }
        return "RegistrationData" + present;
    }
}
