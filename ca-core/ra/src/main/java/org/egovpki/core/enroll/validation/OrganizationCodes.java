package org.egovpki.core.enroll.validation;

import java.util.Locale;
import java.util.Objects;

import org.egovpki.core.DomainException;
import org.egovpki.core.privacy.PersonalData;

/**
 * GB 11714-1997 organisation codes (全国组织机构代码): 8 body characters (digits or upper-case
 * letters) and a check character, printed as {@code XXXXXXXX-C}. Since 2015 the code lives on as
 * positions 9-17 of the unified social credit code ({@link SocialCreditCodes}); bodies that never
 * received a USCC still register with it.
 *
 * <p>Check character: body characters take the values 0-9 and A=10 ... Z=35, weighted 3 7 9 10 5
 * 8 4 2; C = 11 - (sum mod 11), where 10 is written X and 11 is written 0.
 *
 * <p>Input may use lower case and the printed hyphen; the normalised form is the 9 characters in
 * upper case without the hyphen, the form embedded in a USCC.
 */
public final class OrganizationCodes {

    private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

    private OrganizationCodes() {
    }

    /** True when {@link #require(String, String)} would accept the value. */
    public static boolean isValid(String value) {
        return value != null && problem(normalise(value)) == null;
    }

    /**
     * Checks an organisation code and returns it normalised (9 upper-case characters, no hyphen).
     *
     * @throws DomainException BAD_REQUEST naming {@code field}
     */
    public static String require(String field, String value) {
        Objects.requireNonNull(field, "field");
        if (value == null || value.isBlank()) {
            throw DomainException.badRequest(field, "organisation code is missing: give the 9-character code"
                    + " (XXXXXXXX-X) from the organisation code certificate");
        }
        String normalised = normalise(value);
        String problem = problem(normalised);
        if (problem != null) {
            throw DomainException.badRequest(field, problem);
        }
        return normalised;
    }

    private static String normalise(String value) {
        String upper = value.strip().toUpperCase(Locale.ROOT);
        if (upper.length() == 10 && upper.charAt(8) == '-') {
            return upper.substring(0, 8) + upper.charAt(9);
        }
        return upper;
    }

    private static String problem(String value) {
        String shown = PersonalData.mask(value);
        if (value.length() != 9) {
            return "organisation code " + shown + " has " + value.length() + " characters; an organisation code has 9"
                    + " (8 plus the check character, printed XXXXXXXX-X): check the code on the certificate";
        }
        for (int i = 0; i < 8; i++) {
            if (valueOf(value.charAt(i)) < 0) {
                return "organisation code " + shown + " has '" + value.charAt(i) + "' at position " + (i + 1)
                        + "; only digits and letters A-Z are used: check the code on the certificate";
            }
        }
        char expected = checkCharacter(value);
        if (value.charAt(8) != expected) {
            return "organisation code " + shown + " has a wrong check character (expected " + expected
                    + ", GB 11714): check the code on the certificate";
        }
        return null;
    }

    /** The GB 11714 check character of the first 8 characters, which must be digits or A-Z. */
    static char checkCharacter(CharSequence body) {
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += valueOf(body.charAt(i)) * WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            return 'X';
        }
        return check == 11 ? '0' : (char) ('0' + check);
    }

    /** 0-9 for digits, 10-35 for A-Z, -1 otherwise. */
    private static int valueOf(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
