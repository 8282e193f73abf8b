package org.egovpki.core.operator;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The challenge phrase a subscriber sets at application (挑战语), kept only as a salted, slow
 * hash: {@code {PBKDF2-SHA256}<iterations>$<salt b64>$<hash b64>}. Checking is constant-time.
 */
public final class ChallengePhrases {

    public static final int MIN_LENGTH = 8;
    private static final int ITERATIONS = 310_000;
    private static final String PREFIX = "{PBKDF2-SHA256}";

    private ChallengePhrases() {
    }

    public static String hash(char[] phrase, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return PREFIX + ITERATIONS + "$" + b64(salt) + "$" + b64(derive(phrase, salt, ITERATIONS));
    }

    /**
     * A stored form no phrase matches (a random salt and a random value in place of the hash), with the
     * same iteration count as {@link #hash}: checking a phrase against it costs what checking a real one
     * does, so an unknown serial answers no faster than a wrong phrase. Costs nothing to make, where a
     * {@link #hash} of a made-up phrase would cost a full derivation at every start.
     */
    public static String decoy(SecureRandom random) {
        byte[] salt = new byte[16];
        byte[] value = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(value);
        return PREFIX + ITERATIONS + "$" + b64(salt) + "$" + b64(value);
    }

    public static boolean matches(char[] phrase, String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = stored.substring(PREFIX.length()).split("\\$");
        if (parts.length != 3) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[2]);
        byte[] actual = derive(phrase, Base64.getDecoder().decode(parts[1]), Integer.parseInt(parts[0]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] phrase, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(phrase, salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

}
