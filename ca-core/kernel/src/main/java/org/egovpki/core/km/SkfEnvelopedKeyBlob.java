package org.egovpki.core.km;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import org.egovpki.core.crypto.Sm4;

/**
 * The GM/T 0016 (SKF, GB/T 35291) {@code ENVELOPEDKEYBLOB} that {@code SKF_ImportECCKeyPair}
 * takes: the same content as {@link Sm2EnvelopedKey}, as the C structure a USB key driver reads.
 * <pre>
 * offset size  field
 *      0    4  ULONG Version                      = 1
 *      4    4  ULONG ulSymmAlgID                  = SGD_SM4_ECB 0x00000401
 *      8    4  ULONG ulBits                       = 256 (the SM2 key)
 *     12   64  BYTE  cbEncryptedPriKey[64]        32 zero bytes, then the SM4-ECB encrypted scalar
 *     76    4  ECCPUBLICKEYBLOB.BitLen            = 256
 *     80   64  ECCPUBLICKEYBLOB.XCoordinate[64]   32 zero bytes, then X
 *    144   64  ECCPUBLICKEYBLOB.YCoordinate[64]   32 zero bytes, then Y
 *    208   64  ECCCIPHERBLOB.XCoordinate[64]      32 zero bytes, then C1.x
 *    272   64  ECCCIPHERBLOB.YCoordinate[64]      32 zero bytes, then C1.y
 *    336   32  ECCCIPHERBLOB.HASH[32]             C3
 *    368    4  ECCCIPHERBLOB.CipherLen            = 16 (the SM4 key)
 *    372    n  ECCCIPHERBLOB.Cipher[CipherLen]    C2
 * total 372 + CipherLen = 388 bytes
 * </pre>
 *
 * <p>Why these choices: ULONG is a 32-bit unsigned integer and the SKF drivers are little-endian
 * C, so ULONGs are little-endian. The fields are sized for 512-bit curves
 * ({@code ECC_MAX_XCOORDINATE_BITS_LEN}); a 256-bit value is right-aligned, i.e. big-endian
 * left-padded with 32 zero bytes, as the SKF specification shows for ECCPUBLICKEYBLOB. The
 * encrypted scalar follows the same rule: public SKF import code writes it at
 * {@code cbEncryptedPriKey + 32}, and a token that finds it at offset 0 would decrypt zeros. Every field
 * is 4-byte aligned, so the C structure has no padding, and {@code Cipher} is the flexible last
 * member: the blob ends exactly after it.
 *
 * <p>{@link #decode} is strict: a token driver that gets a wrong length or a stray byte fails
 * with an opaque error code, so we refuse anything but this exact layout, with a message that
 * names the offending field.
 */
public final class SkfEnvelopedKeyBlob {

    /** {@code Version} of the blob. */
    public static final int VERSION = 1;
    /** {@code SGD_SM4_ECB}, the GM/T 0006 algorithm identifier of SM4 in ECB mode. */
    public static final int SGD_SM4_ECB = 0x00000401;
    /** {@code ulBits} and {@code BitLen}: the SM2 key size. */
    public static final int BITS = 256;

    static final int FIELD = 64;
    static final int OFFSET_VERSION = 0;
    static final int OFFSET_SYMM_ALG_ID = 4;
    static final int OFFSET_BITS = 8;
    static final int OFFSET_ENCRYPTED_PRIVATE_KEY = 12;
    static final int OFFSET_PUBLIC_BIT_LEN = OFFSET_ENCRYPTED_PRIVATE_KEY + FIELD; // 76
    static final int OFFSET_PUBLIC_X = OFFSET_PUBLIC_BIT_LEN + 4;                  // 80
    static final int OFFSET_PUBLIC_Y = OFFSET_PUBLIC_X + FIELD;                    // 144
    static final int OFFSET_CIPHER_X = OFFSET_PUBLIC_Y + FIELD;                    // 208
    static final int OFFSET_CIPHER_Y = OFFSET_CIPHER_X + FIELD;                    // 272
    static final int OFFSET_HASH = OFFSET_CIPHER_Y + FIELD;                        // 336
    static final int OFFSET_CIPHER_LEN = OFFSET_HASH + Sm2Cipher.HASH_LENGTH;      // 368
    static final int OFFSET_CIPHER = OFFSET_CIPHER_LEN + 4;                        // 372
    /** Length of everything before {@code Cipher}. */
    public static final int FIXED_LENGTH = OFFSET_CIPHER;

    private static final int VALUE = Sm2Curve.FIELD_BYTES;
    private static final int PADDING = FIELD - VALUE;

    private SkfEnvelopedKeyBlob() {
    }

    /** The ENVELOPEDKEYBLOB for {@code envelope} ({@value #FIXED_LENGTH} + 16 bytes). */
    public static byte[] encode(Sm2EnvelopedKey envelope) {
        Objects.requireNonNull(envelope, "envelope");
        Sm2Cipher cipher = envelope.symEncryptedKey();
        byte[] cipherText = cipher.cipherText();
        byte[] publicKey = envelope.publicKey();
        ByteBuffer blob = ByteBuffer.allocate(FIXED_LENGTH + cipherText.length).order(ByteOrder.LITTLE_ENDIAN);
        blob.putInt(OFFSET_VERSION, VERSION);
        blob.putInt(OFFSET_SYMM_ALG_ID, SGD_SM4_ECB);
        blob.putInt(OFFSET_BITS, BITS);
        blob.put(OFFSET_ENCRYPTED_PRIVATE_KEY + PADDING, envelope.encryptedPrivateKey());
        blob.putInt(OFFSET_PUBLIC_BIT_LEN, BITS);
        blob.put(OFFSET_PUBLIC_X + PADDING, publicKey, 1, VALUE);
        blob.put(OFFSET_PUBLIC_Y + PADDING, publicKey, 1 + VALUE, VALUE);
        blob.put(OFFSET_CIPHER_X + PADDING, Sm2Curve.fixed(cipher.x(), "C1 x"));
        blob.put(OFFSET_CIPHER_Y + PADDING, Sm2Curve.fixed(cipher.y(), "C1 y"));
        blob.put(OFFSET_HASH, cipher.hash());
        blob.putInt(OFFSET_CIPHER_LEN, cipherText.length);
        blob.put(OFFSET_CIPHER, cipherText);
        return blob.array();
    }

    /**
     * Reads an ENVELOPEDKEYBLOB back into an {@link Sm2EnvelopedKey} (symAlgID SM4-ECB with NULL
     * parameters).
     *
     * @throws IllegalArgumentException if the version, algorithm, bit lengths, cipher length or
     *     total length is not exactly as documented, if a padding byte is not zero, or if the
     *     content breaks an {@link Sm2EnvelopedKey} invariant (public key not on the curve)
     */
    public static Sm2EnvelopedKey decode(byte[] blob) {
        Objects.requireNonNull(blob, "blob");
        if (blob.length < FIXED_LENGTH) {
            throw new IllegalArgumentException("ENVELOPEDKEYBLOB is " + blob.length + " bytes; it needs at least "
                    + FIXED_LENGTH + " before the cipher");
        }
        ByteBuffer in = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        expect(in, OFFSET_VERSION, VERSION, "Version");
        expect(in, OFFSET_SYMM_ALG_ID, SGD_SM4_ECB, "ulSymmAlgID (SGD_SM4_ECB)");
        expect(in, OFFSET_BITS, BITS, "ulBits");
        expect(in, OFFSET_PUBLIC_BIT_LEN, BITS, "PubKey.BitLen");
        long cipherLength = Integer.toUnsignedLong(in.getInt(OFFSET_CIPHER_LEN));
        if (cipherLength != Sm4.KEY_LENGTH) {
            throw new IllegalArgumentException("ENVELOPEDKEYBLOB ECCCipherBlob.CipherLen is " + cipherLength
                    + "; the enveloped SM4 key is " + Sm4.KEY_LENGTH + " bytes");
        }
        if (blob.length != FIXED_LENGTH + cipherLength) {
            throw new IllegalArgumentException("ENVELOPEDKEYBLOB is " + blob.length + " bytes; with CipherLen "
                    + cipherLength + " it must be exactly " + (FIXED_LENGTH + cipherLength)
                    + (blob.length > FIXED_LENGTH + cipherLength ? " (trailing bytes)" : " (truncated)"));
        }
        byte[] publicKey = new byte[Sm2Curve.POINT_BYTES];
        publicKey[0] = 0x04;
        System.arraycopy(value(blob, OFFSET_PUBLIC_X, "PubKey.XCoordinate"), 0, publicKey, 1, VALUE);
        System.arraycopy(value(blob, OFFSET_PUBLIC_Y, "PubKey.YCoordinate"), 0, publicKey, 1 + VALUE, VALUE);
        Sm2Cipher cipher = new Sm2Cipher(
                new BigInteger(1, value(blob, OFFSET_CIPHER_X, "ECCCipherBlob.XCoordinate")),
                new BigInteger(1, value(blob, OFFSET_CIPHER_Y, "ECCCipherBlob.YCoordinate")),
                Arrays.copyOfRange(blob, OFFSET_HASH, OFFSET_HASH + Sm2Cipher.HASH_LENGTH),
                Arrays.copyOfRange(blob, OFFSET_CIPHER, blob.length));
        return new Sm2EnvelopedKey(Sm2EnvelopedKey.SM4_ECB, cipher, publicKey,
                value(blob, OFFSET_ENCRYPTED_PRIVATE_KEY, "cbEncryptedPriKey"));
    }

    private static void expect(ByteBuffer in, int offset, int expected, String field) {
        int actual = in.getInt(offset);
        if (actual != expected) {
            throw new IllegalArgumentException(String.format(
                    "ENVELOPEDKEYBLOB %s at offset %d is 0x%08x; expected 0x%08x (little-endian ULONG)",
                    field, offset, actual, expected));
        }
    }

    /** The 32-byte value right-aligned in the 64-byte field at {@code offset}; the rest must be zero. */
    private static byte[] value(byte[] blob, int offset, String field) {
        for (int i = offset; i < offset + PADDING; i++) {
            if (blob[i] != 0) {
                throw new IllegalArgumentException("ENVELOPEDKEYBLOB " + field + " at offset " + offset
                        + " must hold a 256-bit value right-aligned in 64 bytes; padding byte " + (i - offset)
                        + " is not zero");
            }
        }
        return Arrays.copyOfRange(blob, offset + PADDING, offset + FIELD);
    }
}
