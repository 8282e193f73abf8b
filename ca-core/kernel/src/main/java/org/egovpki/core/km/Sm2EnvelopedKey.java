package org.egovpki.core.km;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.ECPoint;
import org.egovpki.core.crypto.Sm4;

/**
 * The GM/T 0009 (GB/T 35276 §7.4) SM2 key-pair envelope: how a KM-generated encryption key pair
 * travels to the subscriber's token without anyone in between being able to read it.
 * <pre>
 * SM2EnvelopedKey ::= SEQUENCE {
 *   symAlgID               AlgorithmIdentifier, -- SM4-ECB 1.2.156.10197.1.104.1, NULL parameters
 *   symEncryptedKey        SM2Cipher,           -- the SM4 key, SM2-encrypted to the recipient
 *   Sm2PublicKey           BIT STRING,          -- 04‖X‖Y of the ENCRYPTION key pair
 *   Sm2EncryptedPrivateKey BIT STRING }         -- its 32-byte private scalar under SM4-ECB, no padding
 * </pre>
 * The recipient is the subscriber's <em>signing</em> key: the token already holds its private
 * half, decrypts the SM4 key with it, and imports the encryption key pair.
 *
 * <p>Invariants (checked on construction, so a parsed value is already sound): {@code symAlgId}
 * is SM4-ECB with NULL or absent parameters; {@code symEncryptedKey} carries a 16-byte SM4 key;
 * {@code publicKey} is an uncompressed point on sm2p256v1 (65 bytes); {@code encryptedPrivateKey}
 * is 32 bytes (two SM4 blocks). Whether the scalar matches the public key can only be checked by
 * the recipient ({@link EnvelopedKeys#open}); {@link #seal} checks it before sealing. Arrays are
 * copied in and out.
 *
 * <p>This record holds nothing secret: the scalar inside is encrypted, and the SM4 key is
 * encrypted to the recipient.
 *
 * @param symAlgId            the symmetric algorithm, SM4-ECB
 * @param symEncryptedKey     the SM4 key, SM2-encrypted to the recipient
 * @param publicKey           04‖X‖Y of the enveloped (encryption) key pair, 65 bytes
 * @param encryptedPrivateKey the private scalar, 32 bytes big-endian left-padded, SM4-ECB encrypted
 */
public record Sm2EnvelopedKey(AlgorithmIdentifier symAlgId, Sm2Cipher symEncryptedKey, byte[] publicKey,
                              byte[] encryptedPrivateKey) {

    /** SM4-ECB, 1.2.156.10197.1.104.1, with NULL parameters as GM/T 0009 shows it. */
    public static final AlgorithmIdentifier SM4_ECB =
            new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb, DERNull.INSTANCE);

    private static final String STRUCTURE = "SM2EnvelopedKey";

    public Sm2EnvelopedKey {
        Objects.requireNonNull(symAlgId, "symAlgId");
        Objects.requireNonNull(symEncryptedKey, "symEncryptedKey");
        ASN1Encodable parameters = symAlgId.getParameters();
        if (!GMObjectIdentifiers.sms4_ecb.equals(symAlgId.getAlgorithm())
                || (parameters != null && !DERNull.INSTANCE.equals(parameters.toASN1Primitive()))) {
            throw new IllegalArgumentException("SM2EnvelopedKey symAlgID must be SM4-ECB (" + GMObjectIdentifiers.sms4_ecb
                    + ") with NULL or absent parameters; got " + symAlgId.getAlgorithm()
                    + (parameters == null ? "" : " with parameters " + parameters));
        }
        int keyLength = symEncryptedKey.cipherText().length;
        if (keyLength != Sm4.KEY_LENGTH) {
            throw new IllegalArgumentException("SM2EnvelopedKey symEncryptedKey must carry a " + Sm4.KEY_LENGTH
                    + "-byte SM4 key; its CipherText is " + keyLength + " bytes");
        }
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        if (publicKey.length != Sm2Curve.POINT_BYTES || publicKey[0] != 0x04) {
            throw new IllegalArgumentException("SM2EnvelopedKey Sm2PublicKey must be an uncompressed point 04||X||Y ("
                    + Sm2Curve.POINT_BYTES + " bytes); got " + publicKey.length + " bytes"
                    + (publicKey.length == 0 ? "" : String.format(" starting 0x%02x", publicKey[0] & 0xff)));
        }
        Sm2Curve.point(publicKey, "SM2EnvelopedKey Sm2PublicKey");
        encryptedPrivateKey = Objects.requireNonNull(encryptedPrivateKey, "encryptedPrivateKey").clone();
        if (encryptedPrivateKey.length != Sm2Curve.FIELD_BYTES) {
            throw new IllegalArgumentException("SM2EnvelopedKey Sm2EncryptedPrivateKey must be " + Sm2Curve.FIELD_BYTES
                    + " bytes (the SM4-ECB encrypted scalar, no padding); got " + encryptedPrivateKey.length + " bytes");
        }
    }

    /**
     * Seals an encryption key pair to a recipient: a fresh SM4 key encrypts the scalar (SM4-ECB,
     * the scalar as 32 bytes big-endian, left-padded so the plaintext is always exactly two
     * blocks and the recipient can read it back positionally), and SM2 (C1C3C2) encrypts the SM4
     * key to {@code recipient}.
     *
     * <p>This is a pure format operation; the KM calls it with the scalar it generated. The SM4
     * key and the plaintext scalar bytes are wiped before returning.
     *
     * @param privateScalar       d of the encryption key pair
     * @param encryptionPublicKey d·G as an SM2 SubjectPublicKeyInfo
     * @param recipient           the SM2 public key that may open the envelope (the subscriber's signing key)
     * @throws IllegalArgumentException if a key is not SM2, the scalar is out of range, or it does
     *     not match {@code encryptionPublicKey}
     */
    public static Sm2EnvelopedKey seal(BigInteger privateScalar, SubjectPublicKeyInfo encryptionPublicKey,
                                       SubjectPublicKeyInfo recipient, SecureRandom random) {
        Objects.requireNonNull(privateScalar, "privateScalar");
        Objects.requireNonNull(random, "random");
        ECPoint publicPoint = Sm2Curve.publicPoint(encryptionPublicKey, "encryption public key");
        Sm2Curve.publicPoint(recipient, "envelope recipient");
        if (!Sm2Curve.isScalar(privateScalar)) {
            throw new IllegalArgumentException("private scalar is not a valid SM2 private key (must be in [1, n-1])");
        }
        if (!Sm2Curve.multiplyG(privateScalar).equals(publicPoint)) {
            throw new IllegalArgumentException("private scalar does not match the encryption public key (d·G differs);"
                    + " refusing to seal a key pair the recipient could not use");
        }
        byte[] sm4Key = Sm4.newKey(random);
        byte[] scalar = Sm2Curve.fixed(privateScalar, "private scalar");
        try {
            byte[] encryptedScalar = Sm4.encryptEcb(sm4Key, scalar);
            Sm2Cipher encryptedKey = Sm2Cipher.encrypt(recipient, sm4Key, random);
            return new Sm2EnvelopedKey(SM4_ECB, encryptedKey, Sm2Curve.uncompressed(publicPoint), encryptedScalar);
        } finally {
            Arrays.fill(sm4Key, (byte) 0);
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /** A copy of the enveloped public key, 04‖X‖Y. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** A copy of the encrypted scalar. */
    @Override
    public byte[] encryptedPrivateKey() {
        return encryptedPrivateKey.clone();
    }

    /**
     * The enveloped (encryption) public key as an SM2 SubjectPublicKeyInfo (id-ecPublicKey with
     * parameter sm2p256v1), for comparing with the encryption certificate.
     */
    public SubjectPublicKeyInfo publicKeyInfo() {
        return new SubjectPublicKeyInfo(Sm2Curve.keyAlgorithm(), publicKey);
    }

    /** The SM2EnvelopedKey SEQUENCE. Both BIT STRINGs have zero unused bits. */
    public ASN1Primitive toAsn1() {
        ASN1EncodableVector fields = new ASN1EncodableVector(4);
        fields.add(symAlgId);
        fields.add(symEncryptedKey.toAsn1());
        fields.add(new DERBitString(publicKey));
        // DER drops trailing zero bits only for named-bit lists; this is an octet string in a
        // BIT STRING, so an encrypted scalar ending in 0x00 keeps all 32 bytes.
        fields.add(new DERBitString(encryptedPrivateKey));
        return new DERSequence(fields);
    }

    /** The DER encoding of {@link #toAsn1()}. */
    public byte[] encoded() {
        return Asn1.der(toAsn1());
    }

    /**
     * Reads an SM2EnvelopedKey SEQUENCE.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static Sm2EnvelopedKey fromAsn1(ASN1Encodable asn1) {
        ASN1Sequence sequence = Asn1.sequence(asn1, 4, STRUCTURE);
        ASN1Encodable algorithm = sequence.getObjectAt(0);
        if (!(algorithm.toASN1Primitive() instanceof ASN1Sequence algorithmSequence)
                || algorithmSequence.size() < 1 || algorithmSequence.size() > 2) {
            throw new IllegalArgumentException("SM2EnvelopedKey symAlgID must be an AlgorithmIdentifier SEQUENCE; got "
                    + Asn1.kind(algorithm));
        }
        AlgorithmIdentifier symAlgId;
        try {
            symAlgId = AlgorithmIdentifier.getInstance(algorithmSequence);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SM2EnvelopedKey symAlgID is not an AlgorithmIdentifier: "
                    + e.getMessage(), e);
        }
        return new Sm2EnvelopedKey(symAlgId,
                Sm2Cipher.fromAsn1(sequence.getObjectAt(1)),
                Asn1.bitStringOctets(sequence.getObjectAt(2), "SM2EnvelopedKey Sm2PublicKey"),
                Asn1.bitStringOctets(sequence.getObjectAt(3), "SM2EnvelopedKey Sm2EncryptedPrivateKey"));
    }

    /**
     * Parses a DER SM2EnvelopedKey; the whole input must be the one SEQUENCE.
     *
     * @throws IllegalArgumentException if it is not one, has trailing bytes, or breaks an invariant
     */
    public static Sm2EnvelopedKey parse(byte[] der) {
        return fromAsn1(Asn1.parse(der, STRUCTURE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sm2EnvelopedKey other && symAlgId.equals(other.symAlgId)
                && symEncryptedKey.equals(other.symEncryptedKey) && Arrays.equals(publicKey, other.publicKey)
                && Arrays.equals(encryptedPrivateKey, other.encryptedPrivateKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(symAlgId, symEncryptedKey, Arrays.hashCode(publicKey), Arrays.hashCode(encryptedPrivateKey));
    }

    @Override
    public String toString() {
        return "Sm2EnvelopedKey[" + symAlgId.getAlgorithm() + ", public key " + HexFormat.of().formatHex(publicKey) + "]";
    }
}
