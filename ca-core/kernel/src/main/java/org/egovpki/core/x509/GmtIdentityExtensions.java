package org.egovpki.core.x509;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.egovpki.core.DomainException;
import org.egovpki.core.profile.IdentityExtensionForm;
import org.egovpki.core.profile.SubjectIdentity;

/**
 * The GM/T 0015 subject identity extensions (GM-CRYPTO.md), all non-critical.
 *
 * <p>2012 edition: id-IdentifyCode {@value #IDENTIFY_CODE_ID}
 * <pre>
 * IdentifyCode ::= CHOICE {
 *     residenterCardNumber      [0] PrintableString,
 *     militaryOfficerCardNumber [1] UTF8String,
 *     passportNumber            [2] PrintableString }
 * </pre>
 * and id-InsuranceNumber (.4.1.2), id-ICRegistrationNumber (.4.1.3), id-OrganizationCode
 * (.4.1.4), id-TaxationNumber (.4.1.5), each a bare PrintableString. 2023 edition (as XiPKI
 * implements it): resident ID .4.1.1.1 PrintableString, passport .4.1.1.2 UTF8String, social
 * insurance .4.1.2 (shared with 2012, written once) and USCC 1.2.156.10260.4.4 PrintableString.
 *
 * <p><b>IdentifyCode tagging is EXPLICIT</b>, so a resident ID is encoded
 * {@code A0 len 13 len "1101..."}. XiPKI (the open-source CA whose GM/T 0015 support GM-CRYPTO.md follows) states in its
 * certificate profile code that the standard does not say whether the tags are IMPLICIT or
 * EXPLICIT, and writes EXPLICIT; its certificate checker demands EXPLICIT in issued
 * certificates (it tolerates IMPLICIT only in requests). Other public Chinese implementations
 * found encode and decode EXPLICIT too, and a tagged type read without a module tag default is
 * EXPLICIT under X.680. IMPLICIT ({@code 80 len "1101..."}) would make our certificates fail
 * those readers, so we write EXPLICIT. (Only a constant demo profile in XiPKI's test data uses
 * IMPLICIT; it is not what its issuing code produces.)
 *
 * <p>The CHOICE holds one number. When a subscriber has several, the resident ID wins over the
 * military officer number, which wins over the passport: the resident identity card is the
 * primary identity document in China and the one registration validates (GB 11643). Values that
 * an edition has no OID for are not written in that edition: GMT_2023 alone drops the military
 * officer, business registration, organisation code and taxation numbers, GMT_2012 alone drops
 * the USCC; a profile that needs all of them uses {@link IdentityExtensionForm#BOTH}.
 */
public final class GmtIdentityExtensions {

    private static final String ARC = "1.2.156.10260.4";

    /** 2012 id-IdentifyCode. */
    public static final String IDENTIFY_CODE_ID = ARC + ".1.1";
    /** id-InsuranceNumber (2012) = social insurance number (2023). */
    public static final String INSURANCE_NUMBER_ID = ARC + ".1.2";
    /** 2012 id-ICRegistrationNumber (business registration number). */
    public static final String IC_REGISTRATION_NUMBER_ID = ARC + ".1.3";
    /** 2012 id-OrganizationCode. */
    public static final String ORGANIZATION_CODE_ID = ARC + ".1.4";
    /** 2012 id-TaxationNumber. */
    public static final String TAXATION_NUMBER_ID = ARC + ".1.5";
    /** 2023 resident identity card number. */
    public static final String RESIDENT_ID_2023_ID = ARC + ".1.1.1";
    /** 2023 passport number. */
    public static final String PASSPORT_2023_ID = ARC + ".1.1.2";
    /** 2023 unified social credit code. */
    public static final String USCC_ID = ARC + ".4";

    public static final ASN1ObjectIdentifier IDENTIFY_CODE = new ASN1ObjectIdentifier(IDENTIFY_CODE_ID);
    public static final ASN1ObjectIdentifier INSURANCE_NUMBER = new ASN1ObjectIdentifier(INSURANCE_NUMBER_ID);
    public static final ASN1ObjectIdentifier IC_REGISTRATION_NUMBER = new ASN1ObjectIdentifier(IC_REGISTRATION_NUMBER_ID);
    public static final ASN1ObjectIdentifier ORGANIZATION_CODE = new ASN1ObjectIdentifier(ORGANIZATION_CODE_ID);
    public static final ASN1ObjectIdentifier TAXATION_NUMBER = new ASN1ObjectIdentifier(TAXATION_NUMBER_ID);
    public static final ASN1ObjectIdentifier RESIDENT_ID_2023 = new ASN1ObjectIdentifier(RESIDENT_ID_2023_ID);
    public static final ASN1ObjectIdentifier PASSPORT_2023 = new ASN1ObjectIdentifier(PASSPORT_2023_ID);
    public static final ASN1ObjectIdentifier USCC = new ASN1ObjectIdentifier(USCC_ID);

    /** IdentifyCode CHOICE tags. */
    public static final int TAG_RESIDENT_ID = 0;
    public static final int TAG_MILITARY_OFFICER = 1;
    public static final int TAG_PASSPORT = 2;

    private GmtIdentityExtensions() {
    }

    /**
     * The identity extensions for {@code identity} in {@code form}, in a fixed order (2012 OIDs
     * first), each OID at most once, all non-critical. Empty for {@link IdentityExtensionForm#NONE}
     * or an identity without values for that form.
     *
     * @throws DomainException BAD_REQUEST (field {@code identity.passportNumber}) if a passport
     *     number that the 2012 IdentifyCode must carry is not a PrintableString
     */
    public static List<Extension> extensions(IdentityExtensionForm form, SubjectIdentity identity) {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(identity, "identity");
        Map<ASN1ObjectIdentifier, ASN1Encodable> values = new LinkedHashMap<>();
        if (form.includes2012()) {
            ASN1Encodable identifyCode = identifyCode(identity);
            if (identifyCode != null) {
                values.put(IDENTIFY_CODE, identifyCode);
            }
            putPrintable(values, INSURANCE_NUMBER, identity.socialInsuranceNumber());
            putPrintable(values, IC_REGISTRATION_NUMBER, identity.icRegistrationNumber());
            putPrintable(values, ORGANIZATION_CODE, identity.organizationCode());
            putPrintable(values, TAXATION_NUMBER, identity.taxationNumber());
        }
        if (form.includes2023()) {
            putPrintable(values, RESIDENT_ID_2023, identity.residentIdNumber());
            if (identity.passportNumber() != null) {
                values.put(PASSPORT_2023, new DERUTF8String(identity.passportNumber()));
            }
            // Same OID and encoding as the 2012 id-InsuranceNumber: putIfAbsent writes it once.
            putPrintable(values, INSURANCE_NUMBER, identity.socialInsuranceNumber());
            putPrintable(values, USCC, identity.uscc());
        }
        List<Extension> extensions = new ArrayList<>(values.size());
        values.forEach((oid, value) -> extensions.add(nonCritical(oid, value)));
        return List.copyOf(extensions);
    }

    private static ASN1Encodable identifyCode(SubjectIdentity identity) {
        if (identity.residentIdNumber() != null) {
            return new DERTaggedObject(true, TAG_RESIDENT_ID, new DERPrintableString(identity.residentIdNumber()));
        }
        if (identity.militaryOfficerNumber() != null) {
            return new DERTaggedObject(true, TAG_MILITARY_OFFICER, new DERUTF8String(identity.militaryOfficerNumber()));
        }
        String passport = identity.passportNumber();
        if (passport != null) {
            if (!ASN1PrintableString.isPrintableString(passport)) {
                throw DomainException.badRequest("identity.passportNumber", "passport number \"" + passport
                        + "\" cannot go into the GM/T 0015-2012 IdentifyCode, which holds it as a PrintableString"
                        + " (A-Z, a-z, 0-9, space and ' ( ) + , - . / : = ?); correct the number or use a profile"
                        + " with the 2023 identity extensions only");
            }
            return new DERTaggedObject(true, TAG_PASSPORT, new DERPrintableString(passport));
        }
        return null;
    }

    private static void putPrintable(Map<ASN1ObjectIdentifier, ASN1Encodable> values, ASN1ObjectIdentifier oid,
            String value) {
        if (value != null) {
            // SubjectIdentity has checked the character set.
            values.putIfAbsent(oid, new DERPrintableString(value));
        }
    }

    private static Extension nonCritical(ASN1ObjectIdentifier oid, ASN1Encodable value) {
        try {
            return new Extension(oid, false, new DEROctetString(value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode identity extension " + oid + ": " + e.getMessage(), e);
        }
    }
}
