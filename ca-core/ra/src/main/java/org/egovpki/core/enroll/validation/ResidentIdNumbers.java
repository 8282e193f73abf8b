package org.egovpki.core.enroll.validation;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;

import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;

/**
 * GB 11643-1999 citizen identity numbers (公民身份号码), the 18-character number on the
 * second-generation resident identity card.
 *
 * <p>Layout: 6-digit administrative region code (GB/T 2260), 8-digit birth date YYYYMMDD, 3-digit
 * sequence number (odd for men, even for women), and a check character computed with ISO 7064
 * MOD 11-2: the sum of the first 17 digits weighted 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, taken
 * mod 11, indexes {@code 1 0 X 9 8 7 6 5 4 3 2}.
 *
 * <p>Checked: length, digits, the check character, and the birth date (a real calendar date, not
 * before 1900-01-01, not after {@code today}). The region code is only required not to start with
 * 0: GB/T 2260 changes every year and abolished counties stay valid on cards already issued, so a
 * region table would refuse real people. The 15-digit first-generation numbers are refused; those
 * cards expired in 2013. A lower-case x is accepted and normalised to X.
 *
 * <p>Passing this check means the number is well-formed, not that it belongs to the applicant:
 * that is the RA's identity check.
 */
public final class ResidentIdNumbers {

    /** Birth dates before this are refused: no living card holder was born earlier. */
    public static final LocalDate EARLIEST_BIRTH_DATE = LocalDate.of(1900, 1, 1);

    private static final int LENGTH = 18;
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK_CHARACTERS = "10X98765432";

    private ResidentIdNumbers() {
    }

    /** True when {@link #require(String, String, LocalDate)} would accept the value. */
    public static boolean isValid(String value, LocalDate today) {
        Objects.requireNonNull(today, "today");
        return value != null && problem(normalise(value), today) == null;
    }

    /**
     * Checks a resident ID number and returns it normalised (surrounding blanks removed, check
     * character X in upper case).
     *
     * @param field the input field to name in the refusal, such as {@code registration.idNumber}
     * @param today the date the number is checked on (birth dates after it are refused)
     * @throws DomainException BAD_REQUEST naming {@code field}, saying what is wrong and what to do
     */
    public static String require(String field, String value, LocalDate today) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(today, "today");
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest(field, "resident ID number is missing: give the 18-character number"
                    + " on the resident identity card");
        }
        String normalised = normalise(value);
        String problem = problem(normalised, today);
        if (problem != null) {
            throw DomainException.badRequest(field, problem);
        }
        return normalised;
    }

    private static String normalise(String value) {
        return value.strip().toUpperCase(Locale.ROOT);
    }

    /** The refusal message for a normalised value, or {@code null} if it is valid. */
    private static String problem(String value, LocalDate today) {
        // Never the whole number, the region or the birth date: this message reaches the client,
        // the audit trail and logs (seed 001 §6.4.2).
        String shown = PersonalData.mask(value);
        if (value.length() != LENGTH) {
            return "resident ID number " + shown + " has " + value.length() + " characters; a resident ID number"
                    + " has 18 (15-digit first-generation numbers are no longer valid): check the number on the ID card";
        }
        for (int i = 0; i < LENGTH - 1; i++) {
            if (!isDigit(value.charAt(i))) {
                return "resident ID number " + shown + " has a non-digit at position " + (i + 1)
                        + "; only the last character may be X: check the number on the ID card";
            }
        }
        char last = value.charAt(LENGTH - 1);
        if (!isDigit(last) && last != 'X') {
            return "resident ID number " + shown + " ends in " + last + "; the check character is a digit or X:"
                    + " check the number on the ID card";
        }
        if (value.charAt(0) == '0') {
            return "resident ID number " + shown + " starts with 0, which no region code does:"
                    + " check the number on the ID card";
        }
        String birth = value.substring(6, 14);
        LocalDate birthDate;
        try {
            birthDate = LocalDate.of(Integer.parseInt(birth.substring(0, 4)), Integer.parseInt(birth.substring(4, 6)),
                    Integer.parseInt(birth.substring(6, 8)));
        } catch (DateTimeException e) {
            return "resident ID number " + shown + " has a birth date that is not a calendar date (positions"
                    + " 7-14 are YYYYMMDD): check the number on the ID card";
        }
        if (birthDate.isBefore(EARLIEST_BIRTH_DATE)) {
            return "resident ID number " + shown + " has a birth date before 1900:"
                    + " check the number on the ID card";
        }
        if (birthDate.isAfter(today)) {
            return "resident ID number " + shown + " has a birth date in the future (today is " + today
                    + "): check the number on the ID card";
        }
        char expected = checkCharacter(value);
        if (last != expected) {
            // The expected check digit is not shown: it would tell a reader of the masked message
            // one more fact about the hidden digits.
            return "resident ID number " + shown + " has a wrong check digit: check the number on the ID card";
        }
        return null;
    }

    /** ISO 7064 MOD 11-2 over the first 17 digits. */
    static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK_CHARACTERS.charAt(sum % 11);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
