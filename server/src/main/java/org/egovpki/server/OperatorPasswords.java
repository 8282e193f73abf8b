package org.egovpki.server;

import java.security.SecureRandom;

/** Generated operator passwords: 16 characters from an unambiguous alphabet, always with letters and digits. */
public final class OperatorPasswords {

    private static final String LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";

    private OperatorPasswords() {
    }

    public static char[] generate(SecureRandom random) {
        String alphabet = LETTERS + DIGITS;
        char[] password = new char[16];
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(random.nextInt(alphabet.length()));
        }
        password[random.nextInt(8)] = DIGITS.charAt(random.nextInt(DIGITS.length()));
        password[8 + random.nextInt(8)] = LETTERS.charAt(random.nextInt(LETTERS.length()));
        return password;
    }
}
