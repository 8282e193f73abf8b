package org.egovpki.core;

import java.util.Locale;

/**
 * The one rule for which characters a value typed by a person — a name, a number, a search term, a
 * business type — may hold, applied by enrollment and by every lookup before the directory sees the
 * value (docs/information-services.md).
 *
 * <p>Refused are: control characters (Cc: C0, DEL, C1), format characters (Cf: zero-width spaces,
 * bidi overrides — both used to make two names look alike) and unpaired surrogates; and the code
 * points the directory's string matching (RFC 4518 §2.4) prohibits, which ApacheDS answers with an
 * error rather than "no match": private use (BMP and planes 15-16), unassigned, non-characters and
 * U+FFFD REPLACEMENT CHARACTER (the mark of a failed conversion, also what invalid UTF-8 in a URL
 * decodes to). Assigned characters outside the BMP, such as CJK Extension B, are fine.
 *
 * <p>Messages name a refused character as {@code U+XXXX}, never print it, and never repeat the value.
 */
public final class ValueCharacters {

    private ValueCharacters() {
    }

    /** The first control or format character or unpaired surrogate; {@code -1} if none. */
    public static int firstInvisible(String value) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (isInvisible(codePoint)) {
                return codePoint;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** The first private use, unassigned or non-character code point, or U+FFFD; {@code -1} if none. */
    public static int firstUnstorable(String value) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.PRIVATE_USE || type == Character.UNASSIGNED || codePoint == 0xFFFD
                    || (codePoint & 0xFFFE) == 0xFFFE || (codePoint >= 0xFDD0 && codePoint <= 0xFDEF)) {
                return codePoint;
            }
            i += Character.charCount(codePoint);
        }
        return -1;
    }

    /** Whether the code point is a control or format character or a surrogate. */
    public static boolean isInvisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE;
    }

    /**
     * Refuses a value holding a character of either kind.
     *
     * @param field the request field or parameter, named in the refusal
     * @param what  how the message calls the value ("name", "CN")
     * @throws DomainException BAD_REQUEST naming {@code field}
     */
    public static void require(String field, String what, String value) {
        String problem = problem(what, value);
        if (problem != null) {
            throw DomainException.badRequest(field, problem);
        }
    }

    /** Why the value is refused, for a message; {@code null} if it is fine. */
    public static String problem(String what, String value) {
        int invisible = firstInvisible(value);
        if (invisible >= 0) {
            return what + " contains the control or format character " + describe(invisible) + "; remove it";
        }
        int unstorable = firstUnstorable(value);
        if (unstorable >= 0) {
            return unstorableMessage(what, unstorable);
        }
        return null;
    }

    /** The refusal text for {@link #firstUnstorable}. */
    public static String unstorableMessage(String what, int codePoint) {
        return what + " contains " + describe(codePoint) + ", a private use, unassigned or non-character code point"
                + " (or the replacement character of invalid UTF-8) that names cannot hold; use the character's"
                + " standard Unicode code point";
    }

    /** {@code U+XXXX} for messages: never print the invisible character itself. */
    public static String describe(int codePoint) {
        return String.format(Locale.ROOT, "U+%04X", codePoint);
    }
}
