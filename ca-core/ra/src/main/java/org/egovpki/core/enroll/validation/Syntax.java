package org.egovpki.core.enroll.validation;

import java.util.Locale;
import java.util.regex.Pattern;
import org.egovpki.core.ValueCharacters;
import org.egovpki.core.privacy.PersonalData;

/**
 * Strict syntax checks shared by the subject and registration policies: DNS host names, IP
 * literals, e-mail addresses and "clean text". All methods are pure and never resolve anything:
 * {@link java.net.InetAddress#getByName(String)} is deliberately not used, because for a string
 * that is not a literal it performs a DNS lookup.
 */
final class Syntax {

    /** Longest DNS name in text form without the trailing dot (RFC 1035 §2.3.4). */
    static final int MAX_DNS_NAME = 253;

    private static final Pattern LDH_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DOTTED_DIGITS = Pattern.compile("[0-9.]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    /** RFC 5322 atext, the characters of an unquoted local part. */
    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final Pattern LOCAL_PART = Pattern.compile(ATEXT + "(?:\\." + ATEXT + ")*");
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_EMAIL = 254;
    /** How many characters {@link #shown} keeps of a value. */
    private static final int SHOWN = 40;
    /** How far past the cut {@link #shown} reads to mask a number the cut splits (longer than any ID or phone). */
    private static final int MAX_TOKEN_TAIL = 64;

    private Syntax() {
    }

    /**
     * A DNS host name in LDH form (RFC 1123 §2.1, RFC 5890 A-labels included): at least two
     * labels, each 1-63 letters, digits or hyphens not starting or ending with a hyphen, at most
     * 253 characters, and a top-level label that is not all digits (so "10.1.2" is not a name).
     * No trailing dot, no wildcard.
     */
    static boolean isDnsName(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_DNS_NAME || value.indexOf('.') < 0) {
            return false;
        }
        String[] labels = value.split("\\.", -1);
        for (String label : labels) {
            if (!LDH_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !ALL_DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** Explains why a would-be host name is not one, for messages; {@code null} if it is one. */
    static String dnsNameProblem(String value) {
        if (isDnsName(value)) {
            return null;
        }
        if (value.startsWith("*.")) {
            return "wildcard names are not issued; register each host name";
        }
        if (value.endsWith(".")) {
            return "it ends with a dot; give the name without the trailing dot";
        }
        if (!isAscii(value)) {
            return "it is not ASCII; give an internationalised name in its xn-- (punycode) form";
        }
        if (value.length() > MAX_DNS_NAME) {
            return "it is longer than " + MAX_DNS_NAME + " characters";
        }
        if (value.indexOf('.') < 0) {
            return "it has no dot; give the fully qualified name";
        }
        return "each label must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen,"
                + " and the last label must not be all digits";
    }

    /** True when the value consists of digits and dots only: it is meant as an IPv4 address. */
    static boolean looksLikeIpv4(String value) {
        return value != null && DOTTED_DIGITS.matcher(value).matches() && value.indexOf('.') >= 0;
    }

    /**
     * Parses an IP literal strictly: IPv4 as four decimal octets 0-255 without leading zeros
     * (010 is octal to some parsers, decimal to others); IPv6 in RFC 4291 §2.2 text form,
     * optionally with "::" once and a trailing dotted IPv4 part; no zone index, no brackets, no
     * prefix length.
     *
     * @return the 4 or 16 address bytes, or {@code null} if the value is not such a literal
     */
    static byte[] parseIp(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return value.indexOf(':') >= 0 ? parseIpv6(value) : parseIpv4(value);
    }

    private static byte[] parseIpv4(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !ALL_DIGITS.matcher(part).matches()
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return null;
            }
            address[i] = (byte) octet;
        }
        return address;
    }

    private static byte[] parseIpv6(String value) {
        int doubleColon = value.indexOf("::");
        if (doubleColon < 0) {
            byte[] address = ipv6Groups(value, true);
            return address != null && address.length == 16 ? address : null;
        }
        if (value.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        byte[] head = ipv6Groups(value.substring(0, doubleColon), false);
        byte[] tail = ipv6Groups(value.substring(doubleColon + 2), true);
        if (head == null || tail == null || head.length + tail.length > 14) {
            return null; // "::" stands for at least one zero group
        }
        byte[] address = new byte[16];
        System.arraycopy(head, 0, address, 0, head.length);
        System.arraycopy(tail, 0, address, 16 - tail.length, tail.length);
        return address;
    }

    /** The bytes of colon-separated hex groups; the last group may be dotted IPv4 if allowed. */
    private static byte[] ipv6Groups(String text, boolean ipv4AllowedAtEnd) {
        if (text.isEmpty()) {
            return new byte[0];
        }
        String[] groups = text.split(":", -1);
        byte[] out = new byte[groups.length * 2 + 2];
        int length = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (i == groups.length - 1 && ipv4AllowedAtEnd && group.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(group);
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 0, out, length, 4);
                length += 4;
            } else {
                if (!HEX_GROUP.matcher(group).matches()) {
                    return null;
                }
                int word = Integer.parseInt(group, 16);
                out[length++] = (byte) (word >> 8);
                out[length++] = (byte) word;
            }
            if (length > 16) {
                return null;
            }
        }
        byte[] result = new byte[length];
        System.arraycopy(out, 0, result, 0, length);
        return result;
    }

    /**
     * An ASCII mailbox {@code local@domain}: exactly one "@", an unquoted RFC 5322 dot-atom local
     * part of at most 64 characters, a domain that passes {@link #isDnsName(String)} (so it has a
     * dot), at most 254 characters in all (RFC 5321 §4.5.3.1).
     */
    static boolean isEmail(String value) {
        return emailProblem(value) == null;
    }

    /** Explains why a value is not an acceptable e-mail address; {@code null} if it is one. */
    static String emailProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "it is empty";
        }
        if (!isAscii(value)) {
            return "it contains non-ASCII characters; certificates carry e-mail addresses as IA5String,"
                    + " so give an ASCII address (domain in xn-- form)";
        }
        if (value.length() > MAX_EMAIL) {
            return "it is longer than " + MAX_EMAIL + " characters";
        }
        int at = value.indexOf('@');
        if (at < 0 || value.indexOf('@', at + 1) >= 0) {
            return "it must contain exactly one @";
        }
        String local = value.substring(0, at);
        String domain = value.substring(at + 1);
        if (local.isEmpty() || local.length() > MAX_LOCAL_PART || !LOCAL_PART.matcher(local).matches()) {
            return "the part before the @ must be 1-64 letters, digits or !#$%&'*+/=?^_`{|}~- separated by single dots";
        }
        String domainProblem = dnsNameProblem(domain);
        if (domainProblem != null) {
            return "the domain " + domain + " is not a host name: " + domainProblem;
        }
        return null;
    }

    static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** The first control or format character or unpaired surrogate: {@link ValueCharacters#firstInvisible}. */
    static int firstInvisibleCharacter(String value) {
        return ValueCharacters.firstInvisible(value);
    }

    /** The first code point the directory cannot hold: {@link ValueCharacters#firstUnstorable}. */
    static int firstUnstorableCharacter(String value) {
        return ValueCharacters.firstUnstorable(value);
    }

    /** The refusal text for {@link #firstUnstorableCharacter}. */
    static String unstorableMessage(String what, int codePoint) {
        return ValueCharacters.unstorableMessage(what, codePoint);
    }

    /** {@code U+XXXX} for messages: never print the invisible character itself. */
    static String describeCodePoint(int codePoint) {
        return ValueCharacters.describe(codePoint);
    }

    /**
     * A subscriber-supplied value fit for a refusal message: at most {@value #SHOWN} characters,
     * invisible characters replaced by '?', and every token that looks like an identity or phone
     * number masked with {@link PersonalData#maskNumbersIn} (a CN, an e-mail address or an OU may
     * carry one), so a message never carries a whole input, hidden text or a whole number. A token
     * that the cut at {@value #SHOWN} characters would split is masked whole before the cut, so
     * the cut never leaves the beginning of a number unmasked.
     */
    static String shown(String value) {
        int end = value.offsetByCodePoints(0, Math.min(SHOWN, length(value)));
        int tokenEnd = end;
        while (tokenEnd < value.length() && tokenEnd - end < MAX_TOKEN_TAIL && isTokenCharacter(value.charAt(tokenEnd))) {
            tokenEnd++;
        }
        StringBuilder out = new StringBuilder();
        PersonalData.maskNumbersIn(value.substring(0, tokenEnd)).codePoints().limit(SHOWN).forEach(cp -> {
            if (ValueCharacters.isInvisible(cp)) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (length(value) > SHOWN) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean isTokenCharacter(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-');
    }

    static int length(String value) {
        return value.codePointCount(0, value.length());
    }

    /** Case-insensitive (ASCII) equality for host names. */
    static boolean sameHostName(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
