package org.egovpki.core.x509;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Distinguished names for CA certificates: parsed from and formatted to RFC 4514 strings.
 *
 * <p>Invariants of a name from {@link #parse(String)}:
 * <ul>
 *   <li>Only the attribute types C, ST, L, O, OU, CN and E (emailAddress) occur, none blank,
 *       within the X.520/RFC 5280 upper bounds.</li>
 *   <li>C is a PrintableString of two upper-case letters, E an IA5String, all others
 *       UTF8String (RFC 5280 §4.1.2.4), so Chinese names work.</li>
 *   <li>The string is read in RFC 4514 order, most specific RDN first, and the DER is the
 *       reverse: {@code "CN=Root,O=egov-pki,C=CN"} encodes C, O, CN, which is how OpenSSL,
 *       {@code X500Principal.getName()} and LDAP DNs agree. Bouncy Castle's own
 *       {@code new X500Name(String)} keeps string order (C would come last in the DER), which is
 *       why this class exists.</li>
 * </ul>
 */
public final class DistinguishedNames {

    private static final String ALLOWED = "C, ST, L, O, OU, CN, E";
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    /** Allowed attribute types with their upper bounds in characters (RFC 5280 Appendix A). */
    private static final Map<ASN1ObjectIdentifier, Integer> MAX_LENGTH = Map.of(
            BCStyle.C, 2,
            BCStyle.ST, 128,
            BCStyle.L, 128,
            BCStyle.O, 64,
            BCStyle.OU, 64,
            BCStyle.CN, 64,
            BCStyle.EmailAddress, 255);

    private DistinguishedNames() {
    }

    /**
     * Parses an RFC 4514 DN such as {@code "CN=egov-pki SM2 Root CA,O=egov-pki,C=CN"}.
     *
     * @throws IllegalArgumentException naming the DN and the offending attribute if the syntax is
     *     wrong, an attribute type is not allowed, or a value is blank, too long or badly typed
     */
    public static X500Name parse(String dn) {
        if (dn == null || dn.isBlank()) {
            throw new IllegalArgumentException("distinguished name is empty; give one like \"CN=egov-pki SM2 Root CA,O=egov-pki,C=CN\"");
        }
        RDN[] rdns;
        try {
            rdns = BCStyle.INSTANCE.fromString(dn);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot parse distinguished name \"" + dn + "\": " + e.getMessage()
                    + "; allowed attribute types: " + ALLOWED, e);
        }
        if (rdns.length == 0) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\" has no attributes");
        }
        for (RDN rdn : rdns) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                requireAllowed(dn, attribute);
            }
        }
        List<RDN> derOrder = Arrays.asList(rdns.clone());
        Collections.reverse(derOrder);
        return new X500Name(derOrder.toArray(RDN[]::new));
    }

    /**
     * Formats a name as an RFC 4514 string, most specific RDN first, with Bouncy Castle's short
     * attribute names ({@code E} for emailAddress); {@link #parse(String)} reads it back to the
     * same name.
     */
    public static String format(X500Name name) {
        Objects.requireNonNull(name, "name");
        List<RDN> stringOrder = Arrays.asList(name.getRDNs());
        Collections.reverse(stringOrder);
        return BCStyle.INSTANCE.toString(new X500Name(stringOrder.toArray(RDN[]::new)));
    }

    private static void requireAllowed(String dn, AttributeTypeAndValue attribute) {
        ASN1ObjectIdentifier type = attribute.getType();
        Integer maxLength = MAX_LENGTH.get(type);
        if (maxLength == null) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\": attribute type "
                    + nameOf(type) + " is not allowed in a CA name; allowed: " + ALLOWED);
        }
        String name = nameOf(type);
        ASN1Encodable value = attribute.getValue();
        if (!(value instanceof ASN1String)) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\": the value of " + name
                    + " is not a string; write it as text, not as #hex");
        }
        String text = ((ASN1String) value).getString();
        if (text.isBlank()) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\": " + name + " is blank; give it a value or leave it out");
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\": " + name + " has " + length
                    + " characters, more than the " + maxLength + " allowed (RFC 5280 upper bounds)");
        }
        if (type.equals(BCStyle.C)) {
            if (!(value instanceof ASN1PrintableString) || !COUNTRY.matcher(text).matches()) {
                throw new IllegalArgumentException("distinguished name \"" + dn + "\": C=" + text
                        + " is not an ISO 3166 two-letter upper-case country code such as CN");
            }
        } else if (type.equals(BCStyle.EmailAddress)) {
            if (!(value instanceof ASN1IA5String) || !ASN1IA5String.isIA5String(text) || text.indexOf('@') < 1) {
                throw new IllegalArgumentException("distinguished name \"" + dn + "\": E=" + text
                        + " is not an ASCII e-mail address (it is encoded as IA5String)");
            }
        } else if (!(value instanceof ASN1UTF8String)) {
            throw new IllegalArgumentException("distinguished name \"" + dn + "\": " + name
                    + " must be text (encoded as UTF8String); write it as text, not as #hex");
        }
    }

    private static String nameOf(ASN1ObjectIdentifier type) {
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        return name == null ? type.getId() : name;
    }
}
