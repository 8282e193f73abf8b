package org.egovpki.core.enroll.validation;

import java.util.Locale;
import java.util.Objects;

import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;

/**
 * GB 32100-2015 unified social credit codes (统一社会信用代码, USCC), the identifier on every
 * business licence and registration certificate issued since 2015.
 *
 * <p>Layout: 18 characters from {@code 0123456789ABCDEFGHJKLMNPQRTUWXY} (I, O, Z, S and V are
 * never used, being confusable with 1, 0, 2, 5 and U): position 1 the registering department,
 * 2 the organisation type, 3-8 the registering authority's region code (digits), 9-17 the subject
 * identifier, which is a GB 11714 organisation code with its own check character at position 17,
 * and 18 the check character: each of the first 17 characters' index in the alphabet, weighted
 * 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 (3<sup>i</sup> mod 31), summed;
 * C = 31 - (sum mod 31), 31 written as 0, mapped back through the alphabet.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Both check characters are enforced. The outer one is mandatory (REQUIREMENTS §4). The
 *       inner GB 11714 one (position 17) is enforced too, because every real code we examined
 *       passes it — including the known non-conforming ones. The codes that fail in the wild
 *       fail the <em>outer</em> check: Fujian pilot codes issued before the national rollout
 *       (for example {@code 91350211M00013FA1N}, {@code 91350203M0001QKT19}; discussed in
 *       chinabugotech/hutool issues 2020 and 4119) carry a position-18 character that GB 32100
 *       does not produce. They are refused here; such a body registers with a USCC correction
 *       from its registration authority or, failing that, an operator decision outside this
 *       class.</li>
 *   <li>Positions 1 and 2 are not checked against the department and type tables: the tables
 *       are extended by each department (A, N, Y ...) and the check character already catches
 *       typing errors there.</li>
 * </ul>
 * Input may be lower case; the normalised form is upper case with surrounding blanks removed.
 */
public final class SocialCreditCodes {

    /** The GB 32100 code alphabet; a character's value is its index. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static final int LENGTH = 18;
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    private static final String EXCLUDED = "IOZSV";

    private SocialCreditCodes() {
    }

    /** True when {@link #require(String, String)} would accept the value. */
    public static boolean isValid(String value) {
        return value != null && problem(normalise(value)) == null;
    }

    /**
     * Checks a unified social credit code and returns it normalised (upper case, no blanks
     * around it).
     *
     * @param field the input field to name in the refusal, such as {@code registration.uscc}
     * @throws DomainException BAD_REQUEST naming {@code field}, saying what is wrong and what to do
     */
    public static String require(String field, String value) {
        Objects.requireNonNull(field, "field");
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest(field, "unified social credit code is missing: give the 18-character code"
                    + " on the business licence or registration certificate");
        }
        String normalised = normalise(value);
        String problem = problem(normalised);
        if (problem != null) {
            throw DomainException.badRequest(field, problem);
        }
        return normalised;
    }

    private static String normalise(String value) {
        return value.strip().toUpperCase(Locale.ROOT);
    }

    private static String problem(String value) {
        String shown = PersonalData.mask(value);
        if (value.length() != LENGTH) {
            return "unified social credit code " + shown + " has " + value.length() + " characters; a unified social"
                    + " credit code has 18: check the code on the business licence";
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (EXCLUDED.indexOf(c) >= 0) {
                return "unified social credit code " + shown + " contains the letter " + c + " at position " + (i + 1)
                        + ", which GB 32100 never uses (no I, O, Z, S or V; read 1, 0, 2, 5 or U instead?):"
                        + " check the code on the business licence";
            }
            if (ALPHABET.indexOf(c) < 0) {
                return "unified social credit code " + shown + " contains '" + c + "' at position " + (i + 1)
                        + "; only digits and the letters " + ALPHABET.substring(10) + " are used:"
                        + " check the code on the business licence";
            }
        }
        for (int i = 2; i < 8; i++) {
            if (value.charAt(i) > '9') {
                return "unified social credit code " + shown + " has '" + value.charAt(i) + "' at position " + (i + 1)
                        + "; positions 3-8 are the region code and are digits: check the code on the business licence";
            }
        }
        char expected = checkCharacter(value);
        if (value.charAt(LENGTH - 1) != expected) {
            return "unified social credit code " + shown + " has a wrong check character (expected " + expected
                    + "): check the code on the business licence";
        }
        char expectedInner = OrganizationCodes.checkCharacter(value.substring(8, 16));
        if (value.charAt(16) != expectedInner) {
            return "unified social credit code " + shown + " embeds an organisation code"
                    + " (positions 9-17) whose GB 11714 check character is wrong (expected " + expectedInner
                    + " at position 17): check the code on the business licence";
        }
        return null;
    }

    /** The GB 32100 check character over the first 17 characters, which must be in the alphabet. */
    static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        return ALPHABET.charAt((31 - sum % 31) % 31);
    }
}
