package org.egovpki.core.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4 (GB/T 32907-2016, the 128-bit block cipher) in the two modes egov-pki needs, on Bouncy
 * Castle's lightweight engine.
 *
 * <p><b>ECB without padding</b> exists for one reason: GM/T 0009 (GB/T 35276) and GM/T 0016
 * (SKF) protect an SM2 private scalar inside {@code SM2EnvelopedKey}/{@code ENVELOPEDKEYBLOB}
 * with SM4-ECB and no padding. The plaintext there is exactly two blocks of uniformly random
 * data, which is why ECB's usual weakness (equal blocks leak) does not matter. Do not use ECB for
 * anything else: it has no integrity and leaks structure.
 *
 * <p><b>GCM</b> (12-byte IV, 16-byte tag) is for everything new that needs SM4: it
 * authenticates the ciphertext and the associated data, and a failed check is reported as
 * {@link AuthenticationFailedException}, never as garbage plaintext. The caller owns IV
 * uniqueness: never encrypt twice with the same key and IV (GCM then leaks the XOR of the
 * plaintexts and the authentication key). With a fresh random key per message, a random IV is
 * fine.
 *
 * <p>Why the lightweight engine and not {@code Cipher.getInstance("SM4/...", PROVIDER)}: the
 * JCA path adds key objects, provider lookups and checked exceptions but no behaviour, and it
 * hides BC's {@code InvalidCipherTextException} (the one signal of a failed tag) inside
 * {@code AEADBadTagException}. Every method is a pure function of its arguments.
 */
public final class Sm4 {

    /** SM4 key length in bytes (128 bits). */
    public static final int KEY_LENGTH = 16;
    /** SM4 block length in bytes. */
    public static final int BLOCK_LENGTH = 16;
    /** GCM IV length in bytes (the 96-bit IV NIST SP 800-38D recommends; no GHASH of the IV). */
    public static final int GCM_IV_LENGTH = 12;
    /** GCM tag length in bytes, appended to the ciphertext. */
    public static final int GCM_TAG_LENGTH = 16;

    /**
     * The GCM tag did not verify: the ciphertext, tag, IV, AAD or key differs from what was
     * encrypted. Unchecked and distinct from {@link IllegalArgumentException}, so callers can tell
     * tampering (or a wrong key) apart from a malformed call.
     */
    public static final class AuthenticationFailedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        AuthenticationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Sm4() {
    }

    /** A fresh random 16-byte SM4 key from {@code random}. */
    public static byte[] newKey(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /**
     * SM4-ECB encryption without padding (GM/T 0009 private-key protection only; see the class
     * comment).
     *
     * @throws IllegalArgumentException if the key is not 16 bytes or the data length is not a
     *     multiple of 16
     */
    public static byte[] encryptEcb(byte[] key16, byte[] data) {
        return ecb(true, key16, data);
    }

    /**
     * SM4-ECB decryption without padding.
     *
     * @throws IllegalArgumentException if the key is not 16 bytes or the data length is not a
     *     multiple of 16
     */
    public static byte[] decryptEcb(byte[] key16, byte[] data) {
        return ecb(false, key16, data);
    }

    private static byte[] ecb(boolean encrypt, byte[] key16, byte[] data) {
        requireKey(key16);
        Objects.requireNonNull(data, "data");
        if (data.length % BLOCK_LENGTH != 0) {
            throw new IllegalArgumentException("SM4-ECB without padding needs a multiple of " + BLOCK_LENGTH
                    + " bytes; got " + data.length + " bytes");
        }
        SM4Engine engine = new SM4Engine();
        engine.init(encrypt, new KeyParameter(key16));
        byte[] out = new byte[data.length];
        for (int offset = 0; offset < data.length; offset += BLOCK_LENGTH) {
            engine.processBlock(data, offset, out, offset);
        }
        return out;
    }

    /**
     * SM4-GCM encryption.
     *
     * @param key16     the 16-byte key
     * @param iv12      a 12-byte IV, never reused with the same key
     * @param aad       associated data authenticated but not encrypted; empty for none
     * @param plaintext the data to encrypt (may be empty)
     * @return ciphertext followed by the 16-byte tag
     * @throws IllegalArgumentException if the key or IV has the wrong length
     */
    public static byte[] encryptGcm(byte[] key16, byte[] iv12, byte[] aad, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        GCMModeCipher gcm = gcm(true, key16, iv12, aad);
        byte[] out = new byte[gcm.getOutputSize(plaintext.length)];
        int written = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            written += gcm.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            // Encryption computes the tag; it has nothing to verify and cannot fail this way.
            throw new IllegalStateException("SM4-GCM encryption failed: " + e.getMessage(), e);
        }
        return written == out.length ? out : Arrays.copyOf(out, written);
    }

    /**
     * SM4-GCM decryption and tag check. Nothing is returned unless the tag verifies.
     *
     * @param ciphertextAndTag what {@link #encryptGcm} returned
     * @return the plaintext
     * @throws AuthenticationFailedException if the tag does not verify
     * @throws IllegalArgumentException if the key or IV has the wrong length, or the input is
     *     shorter than a tag
     */
    public static byte[] decryptGcm(byte[] key16, byte[] iv12, byte[] aad, byte[] ciphertextAndTag) {
        Objects.requireNonNull(ciphertextAndTag, "ciphertextAndTag");
        if (ciphertextAndTag.length < GCM_TAG_LENGTH) {
            throw new IllegalArgumentException("SM4-GCM input must hold at least the " + GCM_TAG_LENGTH
                    + "-byte tag; got " + ciphertextAndTag.length + " bytes");
        }
        GCMModeCipher gcm = gcm(false, key16, iv12, aad);
        byte[] out = new byte[gcm.getOutputSize(ciphertextAndTag.length)];
        int written = gcm.processBytes(ciphertextAndTag, 0, ciphertextAndTag.length, out, 0);
        try {
            written += gcm.doFinal(out, written);
        } catch (InvalidCipherTextException e) {
            Arrays.fill(out, (byte) 0);
            throw new AuthenticationFailedException("SM4-GCM tag does not verify: the ciphertext, tag, IV or"
                    + " associated data was altered, or the key is wrong", e);
        }
        return written == out.length ? out : Arrays.copyOf(out, written);
    }

    private static GCMModeCipher gcm(boolean encrypt, byte[] key16, byte[] iv12, byte[] aad) {
        requireKey(key16);
        Objects.requireNonNull(iv12, "iv12");
        Objects.requireNonNull(aad, "aad (use an empty array for none)");
        if (iv12.length != GCM_IV_LENGTH) {
            throw new IllegalArgumentException("SM4-GCM IV must be " + GCM_IV_LENGTH + " bytes; got "
                    + iv12.length + " bytes");
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(new SM4Engine());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key16), GCM_TAG_LENGTH * 8, iv12, aad));
        return gcm;
    }

    private static void requireKey(byte[] key16) {
        Objects.requireNonNull(key16, "key16");
        if (key16.length != KEY_LENGTH) {
            throw new IllegalArgumentException("SM4 key must be " + KEY_LENGTH + " bytes (128 bits); got "
                    + key16.length + " bytes");
        }
    }
}
