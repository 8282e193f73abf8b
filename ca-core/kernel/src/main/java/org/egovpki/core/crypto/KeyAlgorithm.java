package org.egovpki.core.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Locale;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The key algorithms a CA key may use, each bound to the single signature algorithm it signs
 * with.
 *
 * <p>Invariant: {@link #SM2} means an id-ecPublicKey key on the GM/T 0003 curve sm2p256v1
 * (1.2.156.10197.1.301) and nothing else; {@link #EC} means ECDSA on any other named curve
 * (P-256 for keys generated here). The JCA calls both "EC", but SM2 signs with SM3withSM2 over
 * the Z value (user ID 1234567812345678) and ECDSA with SHA-256, so confusing them produces
 * signatures nobody can verify. {@link #of(PublicKey)} therefore decides by the curve OID in the
 * SubjectPublicKeyInfo, never by {@code getAlgorithm()}.
 */
public enum KeyAlgorithm {
    /** SM2 on sm2p256v1, signing with SM3withSM2 (GM/T 0003, GM/T 0009). The default. */
    SM2("SM3WITHSM2", 256),
    /** RSA, signing with SHA256withRSA (PKCS#1 v1.5). At least {@value #MIN_RSA_BITS} bits. */
    RSA("SHA256WITHRSA", 2048),
    /** ECDSA; keys generated here are on P-256 (secp256r1); signs with SHA256withECDSA. */
    EC("SHA256WITHECDSA", 256);

    /** Smallest RSA modulus generated here (REQUIREMENTS §3: RSA below 2048 bits is refused). */
    public static final int MIN_RSA_BITS = 2048;

    private static final int MAX_RSA_BITS = 16384;
    private static final String ALLOWED_NAMES = "SM2, RSA, EC, ECDSA";

    private final String signatureAlgorithm;
    private final int defaultKeySize;

    KeyAlgorithm(String signatureAlgorithm, int defaultKeySize) {
        this.signatureAlgorithm = signatureAlgorithm;
        this.defaultKeySize = defaultKeySize;
    }

    /** The JCA name of the signature algorithm a key of this kind signs with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Key size used by {@link #generate(SecureRandom)}: 2048 for RSA, 256 for SM2 and EC. */
    public int defaultKeySize() {
        return defaultKeySize;
    }

    /** Generates a key pair of the default size (SM2: sm2p256v1, EC: P-256, RSA: 2048 bits). */
    public KeyPair generate(SecureRandom random) {
        return generate(random, defaultKeySize);
    }

    /**
     * Generates a key pair with Bouncy Castle.
     *
     * @param keySize RSA modulus bits ({@value #MIN_RSA_BITS}..16384); must be 256 for SM2 and EC
     * @throws IllegalArgumentException if the size is not allowed for this algorithm
     */
    public KeyPair generate(SecureRandom random, int keySize) {
        Objects.requireNonNull(random, "random");
        AlgorithmParameterSpec spec = parameterSpec(keySize);
        KeyPair keyPair;
        try {
            KeyPairGenerator generator =
                    KeyPairGenerator.getInstance(this == RSA ? "RSA" : "EC", BouncyCastle.PROVIDER);
            // SM2 must always be initialised with the curve: an uninitialised BC "SM2"/"EC"
            // generator silently makes prime239v1 keys (GM-CRYPTO.md).
            generator.initialize(spec, random);
            keyPair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot generate a " + this + " key pair with Bouncy Castle: " + e.getMessage(), e);
        }
        KeyAlgorithm actual = of(keyPair.getPublic());
        if (actual != this) {
            throw new IllegalStateException(
                    "asked for a " + this + " key pair but Bouncy Castle produced a " + actual + " key");
        }
        return keyPair;
    }

    AlgorithmParameterSpec parameterSpec(int keySize) {
        if (this == RSA) {
            if (keySize < MIN_RSA_BITS || keySize > MAX_RSA_BITS) {
                throw new IllegalArgumentException("RSA key size " + keySize + " is not allowed; use "
                        + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits");
            }
            return new RSAKeyGenParameterSpec(keySize, RSAKeyGenParameterSpec.F4);
        }
        if (keySize != 256) {
            throw new IllegalArgumentException(this + " keys are always 256 bits (" + curveName()
                    + "); key size " + keySize + " is not allowed");
        }
        return new ECGenParameterSpec(curveName());
    }

    private String curveName() {
        return this == SM2 ? "sm2p256v1" : "secp256r1";
    }

    /**
     * Classifies a public key by its SubjectPublicKeyInfo: rsaEncryption is {@link #RSA},
     * id-ecPublicKey on sm2p256v1 is {@link #SM2}, id-ecPublicKey on any other named curve is
     * {@link #EC}.
     *
     * @throws IllegalArgumentException for other algorithms and for EC keys with explicit or
     *     implicit curve parameters (RFC 5480 requires a named curve)
     */
    public static KeyAlgorithm of(PublicKey key) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw new IllegalArgumentException("public key (" + key.getAlgorithm()
                    + ") has no X.509 SubjectPublicKeyInfo encoding; cannot tell its algorithm");
        }
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "public key encoding is not a SubjectPublicKeyInfo: " + e.getMessage(), e);
        }
        return of(info);
    }

    /** Same as {@link #of(PublicKey)} for a key already in ASN.1 form (for example from a CSR). */
    public static KeyAlgorithm of(SubjectPublicKeyInfo info) {
        Objects.requireNonNull(info, "info");
        AlgorithmIdentifier algorithm = info.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            return RSA;
        }
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            throw new IllegalArgumentException("unsupported public key algorithm " + oid
                    + "; supported: RSA (1.2.840.113549.1.1.1), EC/SM2 (id-ecPublicKey 1.2.840.10045.2.1)");
        }
        if (algorithm.getParameters() == null) {
            throw new IllegalArgumentException("EC public key has no curve parameters; use a named curve");
        }
        X962Parameters parameters = X962Parameters.getInstance(algorithm.getParameters());
        if (!parameters.isNamedCurve()) {
            throw new IllegalArgumentException("EC public key with explicit or implicit curve parameters is"
                    + " not supported; use a named curve (sm2p256v1 for SM2, secp256r1 for EC)");
        }
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(parameters.getParameters());
        return GMObjectIdentifiers.sm2p256v1.equals(curve) ? SM2 : EC;
    }

    /**
     * Parses a configured algorithm name, ignoring case and surrounding blanks: "SM2", "RSA",
     * "EC" or "ECDSA" (the last two both mean {@link #EC}).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static KeyAlgorithm parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("key algorithm is missing; allowed (case-insensitive): "
                    + ALLOWED_NAMES);
        }
        switch (name.strip().toUpperCase(Locale.ROOT)) {
            case "SM2":
                return SM2;
            case "RSA":
                return RSA;
            case "EC":
            case "ECDSA":
                return EC;
            default:
                throw new IllegalArgumentException("unknown key algorithm \"" + name
                        + "\"; allowed (case-insensitive): " + ALLOWED_NAMES);
        }
    }
}
