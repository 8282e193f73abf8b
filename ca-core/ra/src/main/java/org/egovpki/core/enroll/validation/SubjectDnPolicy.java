package org.egovpki.core.enroll.validation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1BMPString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.egovpki.core.DomainException;
import org.egovpki.core.profile.CertificateType;

/**
 * The naming rules for subscriber subjects (REQUIREMENTS §4; GM/T 0015, RFC 5280 §4.1.2.4).
 *
 * <p>A subject that passes {@link #check} contains only C, ST, L, O, OU (at most {@value #MAX_OU}), CN
 * (exactly once) and E (emailAddress), each at most once otherwise, one attribute per RDN. Values
 * are non-empty, carry no leading or trailing blanks, no control or format characters (which
 * would let two different names look alike), and stay within the RFC 5280 upper bounds (CN, O, OU
 * 64; L, ST 128; E 255 characters); at most {@value #MAX_RDNS} RDNs and {@value #MAX_SUBJECT_BYTES}
 * bytes encoded, checked before any value is read. C is two upper-case letters; E is an ASCII
 * mailbox.
 *
 * <p>The returned name is re-encoded canonically: RDNs in the order C, ST, L, O, OU..., CN, E
 * (the order GM/T 0015 examples and OpenSSL use; OUs keep their relative order), C as
 * PrintableString, E as IA5String, everything else UTF8String, all values in Unicode NFC. The CA
 * issues under this name, never under the bytes the subscriber sent, so the same name always has
 * the same encoding — which {@link #canonicalString(X500Name)} and DN uniqueness rely on.
 *
 * <p>CN by certificate type: PERSONAL — the registered real name; ORGANIZATION and CODE_SIGNING
 * — the registered legal name (both compared after trimming and NFC normalisation, otherwise
 * exactly); DEVICE — a DNS name, an IP address or a device identifier
 * {@code [A-Za-z0-9][A-Za-z0-9._:-]{0,63}}, and a DNS name or IP address must be one of the
 * device's registered host names or addresses. Wildcard names ({@code *.example.gov.cn}) are not
 * issued: a device certificate identifies one registered device, and nothing in the requirements
 * asks for wildcards. A DEVICE CN that is a syntactically valid DNS name is always treated as one
 * (and must be registered), even though the device identifier pattern would also match it.
 *
 * <p>Refusals are BAD_REQUEST naming the attribute as {@code subject.CN}, {@code subject.E} and
 * so on ({@code subject.SERIALNUMBER} for a forbidden one), or {@code subject} for the structure.
 */
public final class SubjectDnPolicy {

    /** Attribute types allowed, in canonical encoding order. */
    private static final List<ASN1ObjectIdentifier> ORDER =
            List.of(BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.O, BCStyle.OU, BCStyle.CN, BCStyle.EmailAddress);
    private static final Map<ASN1ObjectIdentifier, String> SHORT_NAMES = Map.of(
            BCStyle.C, "C", BCStyle.ST, "ST", BCStyle.L, "L", BCStyle.O, "O", BCStyle.OU, "OU", BCStyle.CN, "CN",
            BCStyle.EmailAddress, "E");
    private static final Map<ASN1ObjectIdentifier, Integer> MAX_LENGTH = Map.of(
            BCStyle.C, 2, BCStyle.ST, 128, BCStyle.L, 128, BCStyle.O, 64, BCStyle.OU, 64, BCStyle.CN, 64,
            BCStyle.EmailAddress, 255);
    private static final String ALLOWED = "C, ST, L, O, OU, CN, E";
    /** Most OU values in a subject: enough for a department path, bounded so a name stays a name. */
    static final int MAX_OU = 4;
    /** Most RDNs: C, ST, L, O, {@value #MAX_OU} OUs, CN and E. */
    static final int MAX_RDNS = 6 + MAX_OU;
    /** Largest DER encoding of a subject (the per-value bounds of every allowed attribute, in UTF-8). */
    static final int MAX_SUBJECT_BYTES = 4096;
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern DEVICE_IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** An RFC 4514 §2.4 hexstring value: '=' then '#'. */
    private static final Pattern HEX_VALUE = Pattern.compile("=\\s*#");
    private static final Pattern WHITESPACE_RUN = Pattern.compile("[\\s\\p{Z}]+");
    private static final BCStyle SEED_STYLE = new SeedStyle();

    /**
     * Checks a requested subject against the naming rules and the subscriber's registration data.
     *
     * @return the subject re-encoded in canonical form (see the class description)
     * @throws DomainException BAD_REQUEST naming the offending attribute or registration field
     */
    public X500Name check(X500Name subject, CertificateType type, RegistrationData registration) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(registration, "registration");
        RDN[] subjectRdns = subject.getRDNs();
        if (subjectRdns.length > MAX_RDNS) {
            throw DomainException.badRequest("subject", "the subject has " + subjectRdns.length + " RDNs, more than the "
                    + MAX_RDNS + " allowed (C, ST, L, O, up to " + MAX_OU + " OU, CN, E): shorten the name");
        }
        int encoded = encodedLength(subject);
        if (encoded > MAX_SUBJECT_BYTES) {
            throw DomainException.badRequest("subject", "the subject is " + encoded + " bytes encoded, more than the "
                    + MAX_SUBJECT_BYTES + " allowed: shorten the name");
        }
        Map<ASN1ObjectIdentifier, List<String>> values = new LinkedHashMap<>();
        for (RDN rdn : subjectRdns) {
            if (rdn.isMultiValued()) {
                String types = Arrays.stream(rdn.getTypesAndValues()).map(atv -> displayName(atv.getType()))
                        .collect(Collectors.joining("+"));
                throw DomainException.badRequest("subject", "the subject has a multi-valued RDN (" + types
                        + "); put each attribute in its own RDN");
            }
            AttributeTypeAndValue attribute = rdn.getFirst();
            ASN1ObjectIdentifier attributeType = attribute.getType();
            String name = SHORT_NAMES.get(attributeType);
            if (name == null) {
                String display = displayName(attributeType);
                throw DomainException.badRequest("subject." + display, "attribute " + display + " ("
                        + attributeType.getId() + ") is not allowed in a subscriber's subject; use only " + ALLOWED);
            }
            String value = text(name, attribute.getValue());
            requireCleanValue(name, value, MAX_LENGTH.get(attributeType));
            values.computeIfAbsent(attributeType, t -> new ArrayList<>()).add(value);
        }
        for (ASN1ObjectIdentifier attributeType : ORDER) {
            int count = values.getOrDefault(attributeType, List.of()).size();
            String name = SHORT_NAMES.get(attributeType);
            if (attributeType.equals(BCStyle.CN) && count == 0) {
                throw DomainException.badRequest("subject.CN", "the subject has no CN; give exactly one CN");
            }
            if (attributeType.equals(BCStyle.OU) && count > MAX_OU) {
                throw DomainException.badRequest("subject.OU", "the subject has " + count + " OU attributes, more than"
                        + " the " + MAX_OU + " allowed: keep the organisational units that identify the subscriber");
            }
            if (!attributeType.equals(BCStyle.OU) && count > 1) {
                throw DomainException.badRequest("subject." + name, "the subject has " + count + " " + name
                        + " attributes; give exactly one" + (attributeType.equals(BCStyle.CN) ? "" : " or none"));
            }
        }
        for (String country : values.getOrDefault(BCStyle.C, List.of())) {
            if (!COUNTRY.matcher(country).matches()) {
                throw DomainException.badRequest("subject.C", "C=" + Syntax.shown(country)
                        + " is not an ISO 3166 two-letter upper-case country code; use CN for China");
            }
        }
        for (String email : values.getOrDefault(BCStyle.EmailAddress, List.of())) {
            String problem = Syntax.emailProblem(email);
            if (problem != null) {
                throw DomainException.badRequest("subject.E", "E=" + Syntax.shown(email)
                        + " is not an acceptable e-mail address: " + problem);
            }
        }
        checkCommonName(values.get(BCStyle.CN).get(0), type, registration);
        requireNoPersonalNumbers(values, registration);
        List<RDN> rdns = new ArrayList<>();
        for (ASN1ObjectIdentifier attributeType : ORDER) {
            for (String value : values.getOrDefault(attributeType, List.of())) {
                rdns.add(new RDN(attributeType, encode(attributeType, value)));
            }
        }
        return new X500Name(rdns.toArray(RDN[]::new));
    }

    /**
     * The normalised RFC 4514 string under which a subject DN is unique across subscribers.
     *
     * <p>Deterministic: attribute types as upper-case short names (C, ST, L, O, OU, CN, E; other
     * known types by their Bouncy Castle name in upper case, unknown ones as dotted OIDs); values
     * in Unicode NFC with runs of whitespace collapsed to one space and trimmed, case preserved,
     * RFC 4514 special characters escaped; RDNs in encoded order, written most specific first as
     * RFC 4514 does; the string type of a value (PrintableString, UTF8String ...) does not
     * matter. Pass the output of {@link #check}, whose RDN order is already canonical: two names
     * with the same attributes in a different order are different DNs.
     */
    public static String canonicalString(X500Name name) {
        Objects.requireNonNull(name, "name");
        List<RDN> rdns = new ArrayList<>(Arrays.asList(name.getRDNs()));
        Collections.reverse(rdns);
        StringBuilder out = new StringBuilder();
        for (RDN rdn : rdns) {
            if (out.length() > 0) {
                out.append(',');
            }
            AttributeTypeAndValue[] attributes = rdn.getTypesAndValues();
            for (int i = 0; i < attributes.length; i++) {
                if (i > 0) {
                    out.append('+');
                }
                out.append(displayName(attributes[i].getType())).append('=')
                        .append(canonicalValue(attributes[i].getValue()));
            }
        }
        return out.toString();
    }

    /**
     * Parses an RFC 4514 subject string, most specific RDN first ({@code "CN=Zhang San,O=Test,C=CN"});
     * attribute names are case-insensitive and the seeds' {@code S} is read as ST. The result is
     * in encoding order (C first for that example) but not yet checked: pass it to {@link #check}.
     *
     * @throws DomainException BAD_REQUEST on field {@code subject} if the string cannot be parsed
     */
    public static X500Name parse(String dn) {
        if (dn == null || dn.isBlank()) {
            throw DomainException.badRequest("subject", "the subject is empty; give one like \"CN=Zhang San,O=Test,C=CN\"");
        }
        RDN[] rdns;
        try {
            rdns = SEED_STYLE.fromString(dn);
        } catch (RuntimeException e) {
            // Bouncy Castle's message ("can't recode value for oid 2.5.4.3") is no help to a citizen: say it ourselves.
            String why = HEX_VALUE.matcher(dn).find()
                    ? "a value written as #hex (BER) is not accepted; write the text itself"
                    : "it is not an RFC 4514 name; escape , + \" \\ < > ; = with a backslash";
            throw DomainException.badRequest("subject", "cannot read the subject \"" + Syntax.shown(dn)
                    + "\": " + why + ", like \"CN=Zhang San,O=Test,C=CN\" with attributes " + ALLOWED);
        }
        List<RDN> encodingOrder = new ArrayList<>(Arrays.asList(rdns));
        Collections.reverse(encodingOrder);
        return new X500Name(encodingOrder.toArray(RDN[]::new));
    }

    private static void checkCommonName(String cn, CertificateType type, RegistrationData registration) {
        switch (type) {
            case PERSONAL:
                requireRegisteredName(cn, registration.realName(), "registration.realName", "real name",
                        "the name on the ID document");
                break;
            case ORGANIZATION:
            case CODE_SIGNING:
                requireRegisteredName(cn, registration.legalName(), "registration.legalName", "legal name",
                        "the legal name on the organisation's licence");
                break;
            case DEVICE:
                checkDeviceCommonName(cn, registration);
                break;
            default:
                throw new IllegalStateException("no CN rule for certificate type " + type);
        }
    }

    /**
     * The registration's ID and phone numbers are private (REQUIREMENTS §4) while the subject is
     * published and written to the audit trail, the log and every sync target whatever its
     * personal-data setting: no attribute value may spell one out. (A profile with identity
     * extensions certifies the ID number in its own extension, GM/T 0015.)
     */
    private static void requireNoPersonalNumbers(Map<ASN1ObjectIdentifier, List<String>> values,
                                                 RegistrationData registration) {
        for (ASN1ObjectIdentifier attributeType : ORDER) {
            for (String value : values.getOrDefault(attributeType, List.of())) {
                if (PersonalNumbers.spelledOutIn(value, registration)) {
                    String name = SHORT_NAMES.get(attributeType);
                    throw DomainException.badRequest("subject." + name, name + " contains an ID or phone number of the"
                            + " registration (separators and short forms included); the subject is published and"
                            + " recorded in many places, so leave the number out of it");
                }
            }
        }
    }

    private static void requireRegisteredName(String cn, String registered, String field, String what, String source) {
        if (registered == null || registered.isBlank()) {
            throw DomainException.badRequest(field, "the registration data has no " + what + ", which the CN must equal;"
                    + " register " + source);
        }
        String expected = Normalizer.normalize(registered.strip(), Normalizer.Form.NFC);
        if (!cn.equals(expected)) {
            throw DomainException.badRequest("subject.CN", "CN \"" + Syntax.shown(cn)
                    + "\" is not the registered " + what + " \"" + Syntax.shown(expected)
                    + "\"; the CN must be " + source + ": correct the CN or the registration");
        }
    }

    private static void checkDeviceCommonName(String cn, RegistrationData registration) {
        String shown = Syntax.shown(cn);
        byte[] address = Syntax.parseIp(cn);
        if (address != null) {
            for (String registered : registration.ipAddresses()) {
                if (registered != null && Arrays.equals(address, Syntax.parseIp(registered.strip()))) {
                    return;
                }
            }
            throw DomainException.badRequest("subject.CN", "CN " + shown + " is an IP address that is not among the"
                    + " device's registered IP addresses " + registration.ipAddresses()
                    + ": register the address or use a registered one");
        }
        if (cn.startsWith("*.")) {
            throw DomainException.badRequest("subject.CN", "CN " + shown + " is a wildcard name; wildcard certificates"
                    + " are not issued: use one registered host name");
        }
        if (Syntax.isDnsName(cn)) {
            for (String registered : registration.hostNames()) {
                if (registered != null && Syntax.sameHostName(cn, registered.strip())) {
                    return;
                }
            }
            throw DomainException.badRequest("subject.CN", "CN " + shown + " is a host name that is not among the"
                    + " device's registered host names " + registration.hostNames()
                    + ": register the name or use a registered one");
        }
        if (Syntax.looksLikeIpv4(cn)) {
            throw DomainException.badRequest("subject.CN", "CN " + shown + " looks like an IPv4 address but is not one"
                    + " (four numbers 0-255 without leading zeros): correct it");
        }
        if (!DEVICE_IDENTIFIER.matcher(cn).matches()) {
            throw DomainException.badRequest("subject.CN", "CN " + shown + " of a device certificate must be a DNS name,"
                    + " an IP address or a device identifier (letters, digits and . _ : -, starting with a letter or"
                    + " digit, at most 64 characters)");
        }
    }

    /** The text of a value, accepting the string types clients actually send. */
    private static String text(String name, ASN1Encodable value) {
        // BC also lets bit strings and UniversalStrings pose as ASN1String (as "#hex"): not text.
        if (value instanceof ASN1UTF8String || value instanceof ASN1PrintableString || value instanceof ASN1BMPString
                || value instanceof ASN1IA5String) {
            String text = ((ASN1String) value).getString();
            return Normalizer.normalize(text, Normalizer.Form.NFC);
        }
        throw DomainException.badRequest("subject." + name, "the value of " + name + " is not text the CA accepts"
                + " (use UTF8String, PrintableString or BMPString; E may be IA5String)");
    }

    private static void requireCleanValue(String name, String value, int maxLength) {
        String field = "subject." + name;
        if (value.isEmpty() || value.isBlank()) {
            throw DomainException.badRequest(field, name + " is empty; give a value or leave the attribute out");
        }
        int first = value.codePointAt(0);
        int last = value.codePointBefore(value.length());
        if (isBlankCodePoint(first) || isBlankCodePoint(last)) {
            throw DomainException.badRequest(field, name + "=\"" + Syntax.shown(value)
                    + "\" has leading or trailing blanks; remove them");
        }
        int invisible = Syntax.firstInvisibleCharacter(value);
        if (invisible >= 0) {
            throw DomainException.badRequest(field, name + " contains the control or format character "
                    + Syntax.describeCodePoint(invisible) + "; remove it");
        }
        int unstorable = Syntax.firstUnstorableCharacter(value);
        if (unstorable >= 0) {
            throw DomainException.badRequest(field, Syntax.unstorableMessage(name, unstorable));
        }
        int length = Syntax.length(value);
        if (length > maxLength) {
            throw DomainException.badRequest(field, name + " has " + length + " characters, more than the " + maxLength
                    + " allowed (RFC 5280 upper bound): shorten it");
        }
    }

    private static int encodedLength(X500Name subject) {
        try {
            return subject.getEncoded(ASN1Encoding.DER).length;
        } catch (java.io.IOException e) {
            throw DomainException.badRequest("subject", "the subject cannot be encoded: " + e.getMessage());
        }
    }

    private static boolean isBlankCodePoint(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static ASN1Encodable encode(ASN1ObjectIdentifier type, String value) {
        if (type.equals(BCStyle.C)) {
            return new DERPrintableString(value);
        }
        if (type.equals(BCStyle.EmailAddress)) {
            return new DERIA5String(value);
        }
        return new DERUTF8String(value);
    }

    private static String displayName(ASN1ObjectIdentifier type) {
        String shortName = SHORT_NAMES.get(type);
        if (shortName != null) {
            return shortName;
        }
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        return name == null ? type.getId() : name.toUpperCase(Locale.ROOT);
    }

    private static String canonicalValue(ASN1Encodable value) {
        if (value instanceof ASN1UTF8String || value instanceof ASN1PrintableString || value instanceof ASN1BMPString
                || value instanceof ASN1IA5String) {
            String text = Normalizer.normalize(((ASN1String) value).getString(), Normalizer.Form.NFC);
            return escape(WHITESPACE_RUN.matcher(text).replaceAll(" ").strip());
        }
        try {
            return "#" + HexFormat.of().formatHex(value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode an attribute value: " + e.getMessage(), e);
        }
    }

    /** RFC 4514 §2.4 escaping. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\'
                    || (i == 0 && (c == '#' || c == ' ')) || (i == value.length() - 1 && c == ' ');
            if (c == 0) {
                out.append("\\00");
            } else {
                if (special) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Bouncy Castle's style, plus the seeds' "S" for stateOrProvinceName. */
    private static final class SeedStyle extends BCStyle {
        @Override
        public ASN1ObjectIdentifier attrNameToOID(String attrName) {
            if ("S".equalsIgnoreCase(attrName.strip())) {
                return BCStyle.ST;
            }
            return super.attrNameToOID(attrName);
        }
    }
}
