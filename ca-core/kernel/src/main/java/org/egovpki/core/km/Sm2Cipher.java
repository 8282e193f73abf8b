package org.egovpki.core.km;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM2Engine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.math.ec.ECPoint;

/**
 * An SM2 public-key ciphertext in the GM/T 0009 (GB/T 35276) ASN.1 form:
 * <pre>
 * SM2Cipher ::= SEQUENCE {
 *   XCoordinate INTEGER,                 -- C1 = kG, x
 *   YCoordinate INTEGER,                 -- C1 = kG, y
 *   HASH        OCTET STRING (SIZE(32)), -- C3 = SM3(x2 ‖ M ‖ y2)
 *   CipherText  OCTET STRING }           -- C2 = M xor KDF(x2 ‖ y2)
 * </pre>
 *
 * <p>The raw form is {@code 04‖X‖Y‖C3‖C2} (C1C3C2), the order GM/T 0003 (2012 onwards) and GM/T
 * 0009 use. Bouncy Castle's {@code SM2Engine} defaults to the older C1C2C3 order, so encryption
 * and decryption here always ask for {@code Mode.C1C3C2}: with the wrong order, decryption of an
 * interoperable ciphertext fails the C3 check as if the key were wrong.
 *
 * <p>Invariants: the coordinates are in [0, 2^256), {@code hash} is 32 bytes, {@code cipherText}
 * is not empty. The arrays are copied in and out, so the value is immutable. The coordinates are
 * not checked to be on the curve here (that is decryption's job: Bouncy Castle refuses an
 * off-curve C1).
 *
 * @param x          XCoordinate of C1
 * @param y          YCoordinate of C1
 * @param hash       C3, 32 bytes
 * @param cipherText C2, as long as the plaintext
 */
public record Sm2Cipher(BigInteger x, BigInteger y, byte[] hash, byte[] cipherText) {

    /** Length of C3, an SM3 digest. */
    public static final int HASH_LENGTH = 32;

    private static final String STRUCTURE = "SM2Cipher";

    public Sm2Cipher {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        Sm2Curve.fixed(x, "SM2Cipher XCoordinate");
        Sm2Curve.fixed(y, "SM2Cipher YCoordinate");
        hash = Objects.requireNonNull(hash, "hash").clone();
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("SM2Cipher HASH must be " + HASH_LENGTH + " bytes (an SM3 digest); got "
                    + hash.length + " bytes");
        }
        cipherText = Objects.requireNonNull(cipherText, "cipherText").clone();
        if (cipherText.length == 0) {
            throw new IllegalArgumentException("SM2Cipher CipherText is empty; SM2 cannot encrypt nothing");
        }
    }

    /** A copy of C3. */
    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** A copy of C2. */
    @Override
    public byte[] cipherText() {
        return cipherText.clone();
    }

    /**
     * Reads the raw {@code 04‖X(32)‖Y(32)‖C3(32)‖C2} that Bouncy Castle's {@code SM2Engine} in
     * C1C3C2 mode (and most SDF/SKF devices) produce.
     *
     * @throws IllegalArgumentException if it is too short or C1 is not an uncompressed point
     */
    public static Sm2Cipher fromC1C3C2(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        int prefix = Sm2Curve.POINT_BYTES + HASH_LENGTH;
        if (raw.length <= prefix) {
            throw new IllegalArgumentException("raw SM2 ciphertext 04||X||Y||C3||C2 needs more than " + prefix
                    + " bytes; got " + raw.length);
        }
        if (raw[0] != 0x04) {
            throw new IllegalArgumentException(String.format(
                    "raw SM2 ciphertext must start with an uncompressed C1 (0x04); got 0x%02x", raw[0] & 0xff));
        }
        int f = Sm2Curve.FIELD_BYTES;
        return new Sm2Cipher(new BigInteger(1, Arrays.copyOfRange(raw, 1, 1 + f)),
                new BigInteger(1, Arrays.copyOfRange(raw, 1 + f, 1 + 2 * f)),
                Arrays.copyOfRange(raw, Sm2Curve.POINT_BYTES, prefix),
                Arrays.copyOfRange(raw, prefix, raw.length));
    }

    /**
     * The raw {@code 04‖X‖Y‖C3‖C2}, with X and Y at exactly 32 bytes each: the DER INTEGERs may
     * have been 33 bytes (sign byte) or shorter than 32 (leading zeros dropped), and C1C3C2 is
     * positional, so the width must be restored.
     */
    public byte[] toC1C3C2() {
        byte[] raw = new byte[Sm2Curve.POINT_BYTES + HASH_LENGTH + cipherText.length];
        raw[0] = 0x04;
        System.arraycopy(Sm2Curve.fixed(x, "x"), 0, raw, 1, Sm2Curve.FIELD_BYTES);
        System.arraycopy(Sm2Curve.fixed(y, "y"), 0, raw, 1 + Sm2Curve.FIELD_BYTES, Sm2Curve.FIELD_BYTES);
        System.arraycopy(hash, 0, raw, Sm2Curve.POINT_BYTES, HASH_LENGTH);
        System.arraycopy(cipherText, 0, raw, Sm2Curve.POINT_BYTES + HASH_LENGTH, cipherText.length);
        return raw;
    }

    /** The SM2Cipher SEQUENCE. */
    public ASN1Primitive toAsn1() {
        ASN1EncodableVector fields = new ASN1EncodableVector(4);
        fields.add(new ASN1Integer(x));
        fields.add(new ASN1Integer(y));
        fields.add(new DEROctetString(hash));
        fields.add(new DEROctetString(cipherText));
        return new DERSequence(fields);
    }

    /** The DER encoding of {@link #toAsn1()}. */
    public byte[] encoded() {
        return Asn1.der(toAsn1());
    }

    /**
     * Reads an SM2Cipher SEQUENCE.
     *
     * @throws IllegalArgumentException naming the field that is missing, of the wrong type or out
     *     of range
     */
    public static Sm2Cipher fromAsn1(ASN1Encodable asn1) {
        ASN1Sequence sequence = Asn1.sequence(asn1, 4, STRUCTURE);
        BigInteger x = Asn1.integer(sequence.getObjectAt(0), "SM2Cipher XCoordinate").getValue();
        BigInteger y = Asn1.integer(sequence.getObjectAt(1), "SM2Cipher YCoordinate").getValue();
        if (x.signum() < 0 || y.signum() < 0) {
            // Seen from encoders that write the 32-byte coordinate without the DER sign byte.
            throw new IllegalArgumentException("SM2Cipher coordinates must be non-negative INTEGERs; got a negative"
                    + " one (the encoder probably dropped the leading 0x00 a coordinate with the top bit set needs)");
        }
        return new Sm2Cipher(x, y, Asn1.octets(sequence.getObjectAt(2), "SM2Cipher HASH"),
                Asn1.octets(sequence.getObjectAt(3), "SM2Cipher CipherText"));
    }

    /**
     * Parses a DER SM2Cipher; the whole input must be the one SEQUENCE.
     *
     * @throws IllegalArgumentException if it is not one, or has trailing bytes
     */
    public static Sm2Cipher parse(byte[] der) {
        return fromAsn1(Asn1.parse(der, STRUCTURE));
    }

    /**
     * SM2-encrypts {@code plaintext} to an SM2 public key (GM/T 0003-4, SM3 KDF and C3).
     *
     * @param recipient the recipient's SM2 SubjectPublicKeyInfo
     * @throws IllegalArgumentException if the key is not an SM2 key (naming what it is) or the
     *     plaintext is empty
     */
    public static Sm2Cipher encrypt(SubjectPublicKeyInfo recipient, byte[] plaintext, SecureRandom random) {
        ECPoint point = Sm2Curve.publicPoint(recipient, "SM2 encryption recipient");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(random, "random");
        if (plaintext.length == 0) {
            throw new IllegalArgumentException("SM2 cannot encrypt an empty plaintext");
        }
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(true, new ParametersWithRandom(Sm2Curve.publicParameters(point), random));
        try {
            return fromC1C3C2(engine.processBlock(plaintext, 0, plaintext.length));
        } catch (InvalidCipherTextException e) {
            // Encryption has nothing to verify; Bouncy Castle declares the exception for decryption.
            throw new IllegalStateException("SM2 encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * SM2-decrypts with the recipient's private key.
     *
     * @param recipient an SM2 private key (Bouncy Castle or JCA {@code ECPrivateKey} on
     *     sm2p256v1, or any exportable PKCS#8 key for one)
     * @return the plaintext
     * @throws IllegalArgumentException if the key is not an SM2 private key, or if the C3 check
     *     fails: SM2 cannot tell a wrong key from an altered ciphertext, so the message names both
     */
    public byte[] decrypt(PrivateKey recipient) {
        SM2Engine engine = new SM2Engine(SM2Engine.Mode.C1C3C2);
        engine.init(false, Sm2Curve.privateKey(recipient, "SM2 decryption key"));
        byte[] raw = toC1C3C2();
        try {
            return engine.processBlock(raw, 0, raw.length);
        } catch (InvalidCipherTextException | IllegalArgumentException e) {
            // InvalidCipherTextException: C3 mismatch (wrong key or altered C2/C3);
            // IllegalArgumentException: C1 is not a point on the curve.
            throw new IllegalArgumentException("SM2 decryption failed: the private key is not the one this"
                    + " SM2Cipher was encrypted to, or the ciphertext was altered (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sm2Cipher other && x.equals(other.x) && y.equals(other.y)
                && Arrays.equals(hash, other.hash) && Arrays.equals(cipherText, other.cipherText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(x, y, Arrays.hashCode(hash), Arrays.hashCode(cipherText));
    }

    @Override
    public String toString() {
        return "Sm2Cipher[x=" + x.toString(16) + ", y=" + y.toString(16) + ", hash=" + HexFormat.of().formatHex(hash)
                + ", " + cipherText.length + " ciphertext bytes]";
    }
}
