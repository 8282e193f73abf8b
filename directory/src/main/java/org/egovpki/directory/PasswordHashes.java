package org.egovpki.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salted SHA-256 password values for {@code userPassword}, so the directory never stores a bind
 * password in clear. ApacheDS and OpenLDAP (pw-sha2) name the scheme {@code {SSHA256}}; the value is
 * base64(SHA-256(password ‖ salt) ‖ salt).
 */
public final class PasswordHashes {

    private static final int SALT_BYTES = 16;

    private PasswordHashes() {
    }

    public static String ssha256(char[] password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(new String(password).getBytes(StandardCharsets.UTF_8));
            sha256.update(salt);
            byte[] digest = sha256.digest();
            byte[] value = new byte[digest.length + salt.length];
            System.arraycopy(digest, 0, value, 0, digest.length);
            System.arraycopy(salt, 0, value, digest.length, salt.length);
            return "{SSHA256}" + Base64.getEncoder().encodeToString(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Whether {@code password} is the password of a {@code {SSHA256}} value made by {@link #ssha256}
     * (compared in constant time); false for any other scheme.
     */
    public static boolean matches(String stored, char[] password) {
        if (stored == null || password == null || !stored.regionMatches(true, 0, "{SSHA256}", 0, 9)) {
            return false;
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(stored.substring(9));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (value.length <= 32) {
            return false;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(new String(password).getBytes(StandardCharsets.UTF_8));
            sha256.update(value, 32, value.length - 32);
            return MessageDigest.isEqual(sha256.digest(), java.util.Arrays.copyOf(value, 32));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
