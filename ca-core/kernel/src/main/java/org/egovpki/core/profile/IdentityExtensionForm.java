package org.egovpki.core.profile;

/**
 * Which edition of the GM/T 0015 subject identity extensions a profile writes into its
 * certificates (GM-CRYPTO.md). Deployed relying parties still read the 2012 OIDs while the 2023
 * edition moved the resident ID and passport numbers to their own OIDs and added the unified
 * social credit code, so a profile chooses one edition or both.
 */
public enum IdentityExtensionForm {
    /** No identity extensions, even when the subscriber has identity values. */
    NONE,
    /**
     * GM/T 0015-2012: id-IdentifyCode (1.2.156.10260.4.1.1, a CHOICE of resident ID, military
     * officer or passport number), id-InsuranceNumber (.4.1.2), id-ICRegistrationNumber (.4.1.3),
     * id-OrganizationCode (.4.1.4) and id-TaxationNumber (.4.1.5).
     */
    GMT_2012,
    /**
     * GM/T 0015-2023: resident ID (1.2.156.10260.4.1.1.1), passport (.4.1.1.2), social insurance
     * (.4.1.2) and USCC (1.2.156.10260.4.4).
     */
    GMT_2023,
    /** Both editions; an OID the two share (.4.1.2) is written once. */
    BOTH;

    /** Whether certificates carry the 2012 extensions. */
    public boolean includes2012() {
        return this == GMT_2012 || this == BOTH;
    }

    /** Whether certificates carry the 2023 extensions. */
    public boolean includes2023() {
        return this == GMT_2023 || this == BOTH;
    }
}
