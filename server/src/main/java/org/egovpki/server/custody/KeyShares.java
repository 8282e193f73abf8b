package org.egovpki.server.custody;

import com.codahale.shamir.Scheme;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;

/**
 * Shamir's secret sharing of the CA key store password through {@code com.codahale:shamir}
 * (GF(256), one polynomial per byte): any {@code threshold} of the {@code total} shares give the
 * password back, fewer give nothing about it. No field arithmetic here; only the UTF-8 encoding
 * around the library and the wiping of the copies this class makes.
 */
final class KeyShares {

    private KeyShares() {
    }

    /** Splits {@code password} into {@code total} shares, keyed by their index 1..total. */
    static Map<Integer, byte[]> split(char[] password, int threshold, int total, SecureRandom random) {
        byte[] secret = utf8(password);
        try {
            return new Scheme(random, total, threshold).split(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Joins shares (index → bytes) back into the password. With fewer than the threshold, or
     * shares of different splits, the result is a wrong password, not an error: the caller checks
     * it by opening the key store.
     */
    static char[] join(Map<Integer, byte[]> shares) {
        byte[] secret = new Scheme(new SecureRandom(), 255, 2).join(shares);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(secret));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return password;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        return bytes;
    }
}
