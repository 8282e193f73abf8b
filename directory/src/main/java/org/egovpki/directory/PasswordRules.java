package org.egovpki.directory;

/**
 * Operator password rules (REQUIREMENTS §7): at least 8 characters, letters and digits, not
 * containing the login. The rules are the domain's ({@link org.egovpki.core.operator.PasswordRules});
 * this name stays for the directory code that checks a password before it writes one.
 */
public final class PasswordRules {

    public static final int MIN_LENGTH = org.egovpki.core.operator.PasswordRules.MIN_LENGTH;

    private PasswordRules() {
    }

    public static void check(String uid, char[] password) {
        org.egovpki.core.operator.PasswordRules.check(uid, password);
    }
}
