package org.egovpki.server.backup;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two keys of one backup archive, derived from the passphrase: PBKDF2-HMAC-SHA256 (JDK) over
 * the archive's random salt gives 64 bytes, the first 32 an AES-256-GCM key for the sealed members
 * (the secrets bundle and the directory LDIF, each with its own associated data), the last 32 an
 * HMAC-SHA256 key for the manifest. The manifest's MAC is checked before anything else, so a wrong
 * passphrase and a changed manifest are both found before a byte is written; the GCM tags then
 * cover the sealed members themselves.
 *
 * <p>Holds the keys until {@link #close()}, which wipes them.
 */
public final class ArchiveKeys implements AutoCloseable {

    /** The shortest passphrase accepted: below this an offline guess of the PBKDF2 key is cheap. */
    public static final int MIN_PASSPHRASE = 12;
    /** PBKDF2 iterations of new archives (OWASP 2023 figure for HMAC-SHA256); the manifest records the count used. */
    public static final int ITERATIONS = 600_000;
    static final String KDF = "PBKDF2WithHmacSHA256";
    static final String CIPHER = "AES-256-GCM";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final byte[] encryption;
    private final byte[] mac;

    private ArchiveKeys(byte[] encryption, byte[] mac) {
        this.encryption = encryption;
        this.mac = mac;
    }

    /**
     * Derives the keys; refuses a passphrase shorter than {@link #MIN_PASSPHRASE} characters.
     *
     * @throws IllegalArgumentException naming the rule, for a short passphrase
     */
    public static ArchiveKeys derive(char[] passphrase, byte[] salt, int iterations) {
        checkLength(passphrase);
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 512);
        try {
            byte[] both = SecretKeyFactory.getInstance(KDF).generateSecret(spec).getEncoded();
            try {
                return new ArchiveKeys(Arrays.copyOfRange(both, 0, 32), Arrays.copyOfRange(both, 32, 64));
            } finally {
                Arrays.fill(both, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 is not available in this JVM: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Refuses a passphrase shorter than {@link #MIN_PASSPHRASE} characters. */
    public static void checkLength(char[] passphrase) {
        if (passphrase == null || passphrase.length < MIN_PASSPHRASE) {
            throw new IllegalArgumentException("the passphrase is too short (" + (passphrase == null ? 0 : passphrase.length)
                    + " characters); use at least " + MIN_PASSPHRASE);
        }
    }

    /** A new random 16-byte PBKDF2 salt (also the key shares' salt, {@code custody.ShareFile}). */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return salt;
    }

    /** IV (12 bytes) followed by the AES-256-GCM ciphertext and tag; {@code aad} is bound to it. */
    public byte[] encrypt(byte[] plain, byte[] aad, SecureRandom random) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(encryption, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad);
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens what {@link #encrypt} sealed.
     *
     * @throws WrongPassphraseException if the tag does not verify (wrong key or changed bytes)
     */
    public byte[] decrypt(byte[] sealed, byte[] aad) {
        if (sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new WrongPassphraseException();
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(encryption, "AES"),
                    new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    byte[] mac(byte[] data) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(mac, "HmacSHA256"));
            return hmac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code tag} is this key's MAC of {@code data}, compared in constant time. */
    boolean verifies(byte[] data, byte[] tag) {
        return MessageDigest.isEqual(mac(data), tag);
    }

    @Override
    public void close() {
        Arrays.fill(encryption, (byte) 0);
        Arrays.fill(mac, (byte) 0);
    }

    /** The archive does not open with this passphrase: wrong, or the archive was changed. */
    public static final class WrongPassphraseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WrongPassphraseException() {
            super("wrong passphrase or damaged archive; nothing was written");
        }
    }
}
