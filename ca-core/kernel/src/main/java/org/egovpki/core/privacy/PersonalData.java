package org.egovpki.core.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How personal data appears where it must not appear whole: error messages, audit details, log
 * lines and the views of operators who do not decide on it (seed 001 §6.4.2: application data is
 * sensitive; staff see what their role needs; REQUIREMENTS §4).
 *
 * <p>Identity document numbers, organisation codes and phone numbers are shown with their
 * beginning and end only, enough for an operator to tell two numbers apart or find a typing
 * error, never enough to recover the number: a resident ID number keeps its first 3 and last 4
 * characters, hiding the county and the whole birth date ({@code 110***********002X}); numbers
 * of 8 to 14 characters (phones, passports) keep 2 and 2 ({@code 13*******78}); shorter ones are
 * hidden completely. Challenge phrases are never shown at all, masked or not.
 *
 * <p>One helper for every module, so the rule is the same in every message.
 */
public final class PersonalData {

    /** A token that looks like an identity number or phone: 7+ digits/capitals with 5+ digits. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("(?<![0-9A-Za-z])(?=(?:[A-Za-z-]*[0-9]){5})"
            + "[0-9A-Za-z][0-9A-Za-z-]{6,}(?![0-9A-Za-z])");
    /**
     * Digit-led groups joined by single spaces, as people write phone and ID numbers
     * ({@code +86 139 1234 5678}, {@code 110105 19491231 002X}); number-like with 7+ digits in all.
     */
    private static final Pattern GROUPED_NUMBER = Pattern.compile("(?<![0-9A-Za-z+])\\+?[0-9][0-9A-Za-z-]*"
            + "(?: [0-9][0-9A-Za-z-]*)+(?![0-9A-Za-z])");
    private static final int GROUPED_MIN_DIGITS = 7;
    private static final int MAX_STARS = 14;

    private PersonalData() {
    }

    /**
     * An identity document number, organisation code or phone number as it may be shown:
     * {@code null} stays {@code null}; surrounding blanks are removed first.
     */
    public static String mask(String number) {
        if (number == null) {
            return null;
        }
        String value = number.strip();
        int length = value.codePointCount(0, value.length());
        int keepStart = length >= 15 ? 3 : length >= 8 ? 2 : 0;
        int keepEnd = length >= 15 ? 4 : length >= 8 ? 2 : 0;
        StringBuilder out = new StringBuilder();
        int index = 0;
        for (int i = 0; i < length; i++) {
            int cp = value.codePointAt(index);
            index += Character.charCount(cp);
            if (i < keepStart || i >= length - keepEnd) {
                out.appendCodePoint(visible(cp) ? cp : '?');
            } else if (i - keepStart < MAX_STARS) {
                out.append('*');
            }
        }
        return out.toString();
    }

    /**
     * The text with every token that looks like an identity number or phone number masked: for
     * text this code did not write and cannot vouch for, such as a directory server's diagnostic
     * message, which may quote the entry it refused. A number written in groups separated by single
     * spaces is masked as one number.
     */
    public static String maskNumbersIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher grouped = GROUPED_NUMBER.matcher(text);
        StringBuilder ungrouped = new StringBuilder();
        while (grouped.find()) {
            String group = grouped.group();
            boolean numberLike = group.chars().filter(c -> c >= '0' && c <= '9').count() >= GROUPED_MIN_DIGITS;
            grouped.appendReplacement(ungrouped, Matcher.quoteReplacement(numberLike ? mask(group) : group));
        }
        grouped.appendTail(ungrouped);
        Matcher m = NUMBER_LIKE.matcher(ungrouped);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(mask(m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static boolean visible(int cp) {
        int type = Character.getType(cp);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && !Character.isWhitespace(cp);
    }
}
