package org.egovpki.core.operator;

import java.util.Locale;
import org.egovpki.core.DomainException;

/** Operator password rules (REQUIREMENTS §7): at least 8 characters, letters and digits, not containing the login. */
public final class PasswordRules {

    public static final int MIN_LENGTH = 8;

    private PasswordRules() {
    }

    /** @throws DomainException {@code BAD_REQUEST} on field {@code password}, saying which rule the password breaks */
    public static void check(String uid, char[] password) {
        String p = password == null ? "" : new String(password);
        boolean letter = p.chars().anyMatch(Character::isLetter);
        boolean digit = p.chars().anyMatch(Character::isDigit);
        if (p.length() < MIN_LENGTH || !letter || !digit) {
            throw DomainException.badRequest("password", "a password needs at least " + MIN_LENGTH
                    + " characters with both letters and digits");
        }
        if (uid != null && p.toLowerCase(Locale.ROOT).contains(uid.toLowerCase(Locale.ROOT))) {
            throw DomainException.badRequest("password", "a password must not contain the login name");
        }
    }
}
