package org.egovpki.core.profile;

import org.bouncycastle.asn1.ASN1PrintableString;
import org.egovpki.core.DomainException;

/**
 * A subscriber's identity numbers for the GM/T 0015 identity extensions. Every value is optional
 * ({@code null} = absent); which of them reach a certificate is decided by the profile's
 * {@link IdentityExtensionForm}.
 *
 * <p>Invariants: a present value is not blank, has no leading or trailing blanks and at most
 * {@value #MAX_LENGTH} characters. Values that GM/T 0015 always encodes as PrintableString (all
 * but the military officer and passport numbers) contain only PrintableString characters
 * ({@code A-Z a-z 0-9 space ' ( ) + , - . / : = ?}), so the refusal comes when the data is taken
 * in rather than when a certificate is built. The passport number is a PrintableString in the
 * 2012 IdentifyCode but a UTF8String in the 2023 form, so it is checked when it is encoded. This
 * record checks syntax only; check digits (GB 11643, GB 32100) belong to registration.
 *
 * @param residentIdNumber      居民身份证号码 (resident identity card number)
 * @param passportNumber        护照号码
 * @param militaryOfficerNumber 军官证号码 (2012 IdentifyCode only)
 * @param socialInsuranceNumber 社会保险号
 * @param icRegistrationNumber  工商注册号 (business registration number; 2012 only)
 * @param organizationCode      组织机构代码 (2012 only)
 * @param taxationNumber        税号 (2012 only)
 * @param uscc                  统一社会信用代码 (2023 only)
 */
public record SubjectIdentity(
        String residentIdNumber,
        String passportNumber,
        String militaryOfficerNumber,
        String socialInsuranceNumber,
        String icRegistrationNumber,
        String organizationCode,
        String taxationNumber,
        String uscc) {

    /** Longest value accepted; real numbers are at most 20 characters. */
    public static final int MAX_LENGTH = 64;

    private static final SubjectIdentity NONE = new SubjectIdentity(null, null, null, null, null, null, null, null);

    public SubjectIdentity {
        requirePrintable("identity.residentIdNumber", residentIdNumber);
        requireText("identity.passportNumber", passportNumber);
        requireText("identity.militaryOfficerNumber", militaryOfficerNumber);
        requirePrintable("identity.socialInsuranceNumber", socialInsuranceNumber);
        requirePrintable("identity.icRegistrationNumber", icRegistrationNumber);
        requirePrintable("identity.organizationCode", organizationCode);
        requirePrintable("identity.taxationNumber", taxationNumber);
        requirePrintable("identity.uscc", uscc);
    }

    /** No identity values at all. */
    public static SubjectIdentity none() {
        return NONE;
    }

    /** A person identified by a resident identity card number. */
    public static SubjectIdentity residentId(String residentIdNumber) {
        return new SubjectIdentity(residentIdNumber, null, null, null, null, null, null, null);
    }

    /** An organisation identified by its unified social credit code. */
    public static SubjectIdentity organization(String uscc) {
        return new SubjectIdentity(null, null, null, null, null, null, null, uscc);
    }

    /** Whether no value is present. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    private static void requirePrintable(String field, String value) {
        requireText(field, value);
        if (value != null && !ASN1PrintableString.isPrintableString(value)) {
            throw DomainException.badRequest(field, field + " \"" + value + "\" contains characters a PrintableString "
                    + "cannot hold (GM/T 0015); use only A-Z, a-z, 0-9, space and ' ( ) + , - . / : = ?");
        }
    }

    private static void requireText(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw DomainException.badRequest(field, field + " is blank; leave it out or give the number");
        }
        if (!value.strip().equals(value)) {
            throw DomainException.badRequest(field, field + " \"" + value + "\" has leading or trailing blanks; remove them");
        }
        int length = value.codePointCount(0, value.length());
        if (length > MAX_LENGTH) {
            throw DomainException.badRequest(field, field + " has " + length + " characters, more than the "
                    + MAX_LENGTH + " allowed");
        }
    }
}
