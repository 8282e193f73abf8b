package org.egovpki.core.km;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.jce.spec.ECPrivateKeySpec;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * The GM/T 0003 curve sm2p256v1 and the conversions between JCA keys, ASN.1 keys and the raw
 * fixed-width values the GM/T 0009 and GM/T 0016 formats carry.
 *
 * <p>Invariant: every key or point that leaves this class is on sm2p256v1 and is not the point at
 * infinity; every scalar is in [1, n-1]. The constants are immutable Bouncy Castle values.
 */
final class Sm2Curve {

    /** Bytes of a coordinate or scalar: the field and the order are both 256 bits. */
    static final int FIELD_BYTES = 32;
    /** Bytes of an uncompressed point {@code 04‖X‖Y}. */
    static final int POINT_BYTES = 1 + 2 * FIELD_BYTES;

    static final X9ECParameters PARAMETERS = GMNamedCurves.getByOID(GMObjectIdentifiers.sm2p256v1);
    static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMETERS);

    private static final BigInteger FIELD_LIMIT = BigInteger.ONE.shiftLeft(8 * FIELD_BYTES);

    private Sm2Curve() {
    }

    /** The algorithm identifier of an SM2 public key: id-ecPublicKey with parameter sm2p256v1. */
    static AlgorithmIdentifier keyAlgorithm() {
        return new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1);
    }

    /**
     * The point of an SM2 SubjectPublicKeyInfo.
     *
     * @param role what the key is for, for the error message ("recipient", "encryption public key")
     * @throws IllegalArgumentException naming the algorithm if the key is not SM2, or if the point
     *     is not on the curve
     */
    static ECPoint publicPoint(SubjectPublicKeyInfo info, String role) {
        Objects.requireNonNull(info, role);
        KeyAlgorithm algorithm;
        try {
            algorithm = KeyAlgorithm.of(info);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " must be an SM2 public key (id-ecPublicKey on sm2p256v1"
                    + " 1.2.156.10197.1.301): " + e.getMessage(), e);
        }
        if (algorithm != KeyAlgorithm.SM2) {
            throw new IllegalArgumentException(role + " must be an SM2 public key (id-ecPublicKey on sm2p256v1"
                    + " 1.2.156.10197.1.301); got an " + algorithm + " key (" + describe(info.getAlgorithm()) + ")");
        }
        return point(info.getPublicKeyData().getOctets(), role);
    }

    /**
     * Decodes an encoded point (uncompressed {@code 04‖X‖Y}, or compressed) on sm2p256v1.
     *
     * @throws IllegalArgumentException if it is malformed, not on the curve, or infinity
     */
    static ECPoint point(byte[] encoded, String role) {
        ECPoint point;
        try {
            point = DOMAIN.getCurve().decodePoint(encoded).normalize();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(role + " is not a point on the SM2 curve sm2p256v1: "
                    + e.getMessage(), e);
        }
        if (point.isInfinity()) {
            throw new IllegalArgumentException(role + " is the point at infinity, not a public key");
        }
        return point;
    }

    /** The uncompressed encoding {@code 04‖X‖Y} (65 bytes) of a point. */
    static byte[] uncompressed(ECPoint point) {
        return point.getEncoded(false);
    }

    /** An SM2 SubjectPublicKeyInfo for {@code point}. */
    static SubjectPublicKeyInfo publicKeyInfo(ECPoint point) {
        return new SubjectPublicKeyInfo(keyAlgorithm(), uncompressed(point));
    }

    /** Whether {@code d} is a valid private scalar, 1 ≤ d ≤ n-1. */
    static boolean isScalar(BigInteger d) {
        return d.signum() > 0 && d.compareTo(DOMAIN.getN()) < 0;
    }

    /** d·G, the public point of scalar {@code d} (which must be valid). */
    static ECPoint multiplyG(BigInteger d) {
        return DOMAIN.getG().multiply(d).normalize();
    }

    /**
     * {@code value} as exactly 32 big-endian bytes, left-padded with zeros. GM/T 0009 and GM/T
     * 0016 carry coordinates and scalars at the field width; BigInteger and DER INTEGER drop
     * leading zero bytes (and DER adds one when the top bit is set), so the width must be
     * restored before the value is hashed, encrypted or placed in a fixed field.
     *
     * @throws IllegalArgumentException if the value is negative or wider than 256 bits
     */
    static byte[] fixed(BigInteger value, String what) {
        if (value.signum() < 0 || value.compareTo(FIELD_LIMIT) >= 0) {
            throw new IllegalArgumentException(what + " must be in [0, 2^256); got " + value.bitLength()
                    + (value.signum() < 0 ? "-bit negative value" : "-bit value"));
        }
        return BigIntegers.asUnsignedByteArray(FIELD_BYTES, value);
    }

    /**
     * The private scalar of an SM2 private key: a Bouncy Castle or JCA {@code ECPrivateKey} on
     * sm2p256v1, or any key whose encoding is a PKCS#8 PrivateKeyInfo for one.
     *
     * @throws IllegalArgumentException if the key is not an SM2 private key, naming what it is
     */
    static ECPrivateKeyParameters privateKey(PrivateKey key, String role) {
        Objects.requireNonNull(key, role);
        ECPrivateKeyParameters parameters = null;
        if (key instanceof java.security.interfaces.ECPrivateKey
                || key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey) {
            try {
                AsymmetricKeyParameter converted = ECUtil.generatePrivateKeyParameter(key);
                parameters = (ECPrivateKeyParameters) converted;
            } catch (InvalidKeyException | ClassCastException e) {
                throw new IllegalArgumentException(role + " is an EC key Bouncy Castle cannot read: "
                        + e.getMessage(), e);
            }
        } else if ("PKCS#8".equalsIgnoreCase(key.getFormat()) && key.getEncoded() != null) {
            parameters = fromPkcs8(key, role);
        }
        if (parameters == null) {
            throw new IllegalArgumentException(role + " must be an SM2 private key (EC on sm2p256v1); got a key of"
                    + " algorithm " + key.getAlgorithm() + (key.getFormat() == null ? " that cannot be exported" : ""));
        }
        if (!isSm2(parameters.getParameters())) {
            throw new IllegalArgumentException(role + " is an EC key on another curve (order "
                    + parameters.getParameters().getN().toString(16) + "), not SM2 sm2p256v1");
        }
        if (!isScalar(parameters.getD())) {
            throw new IllegalArgumentException(role + " has a private scalar outside [1, n-1]");
        }
        return new ECPrivateKeyParameters(parameters.getD(), DOMAIN);
    }

    private static ECPrivateKeyParameters fromPkcs8(PrivateKey key, String role) {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(key.getEncoded());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " encoding is not a PKCS#8 PrivateKeyInfo: " + e.getMessage(), e);
        }
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        ASN1Encodable curve = algorithm.getParameters();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm()) || curve == null
                || !GMObjectIdentifiers.sm2p256v1.equals(X962Parameters.getInstance(curve).getParameters())) {
            throw new IllegalArgumentException(role + " must be an SM2 private key (EC on sm2p256v1); got a key of"
                    + " algorithm " + key.getAlgorithm() + " (PKCS#8 " + describe(algorithm) + ")");
        }
        try {
            BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
            return new ECPrivateKeyParameters(d, DOMAIN);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " PKCS#8 body is not an ECPrivateKey: " + e.getMessage(), e);
        }
    }

    private static boolean isSm2(ECDomainParameters parameters) {
        // Compared by value: a JCA key converted from explicit parameters carries a generic Fp
        // curve, not Bouncy Castle's SM2 curve class, so identity or class checks would fail.
        ECPoint g = parameters.getG().normalize();
        ECPoint sm2G = DOMAIN.getG();
        return parameters.getN().equals(DOMAIN.getN())
                && parameters.getCurve().getField().getCharacteristic().equals(DOMAIN.getCurve().getField().getCharacteristic())
                && parameters.getCurve().getA().toBigInteger().equals(DOMAIN.getCurve().getA().toBigInteger())
                && parameters.getCurve().getB().toBigInteger().equals(DOMAIN.getCurve().getB().toBigInteger())
                && g.getAffineXCoord().toBigInteger().equals(sm2G.getAffineXCoord().toBigInteger())
                && g.getAffineYCoord().toBigInteger().equals(sm2G.getAffineYCoord().toBigInteger());
    }

    /** The key pair (d, Q) as Bouncy Castle JCA keys, algorithm "EC", named curve sm2p256v1. */
    static KeyPair keyPair(BigInteger d, ECPoint q) {
        ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("sm2p256v1");
        try {
            KeyFactory factory = KeyFactory.getInstance("EC", BouncyCastle.PROVIDER);
            PublicKey publicKey = factory.generatePublic(new ECPublicKeySpec(spec.getCurve().importPoint(q), spec));
            PrivateKey privateKey = factory.generatePrivate(new ECPrivateKeySpec(d, spec));
            if (KeyAlgorithm.of(publicKey) != KeyAlgorithm.SM2) {
                throw new IllegalStateException("Bouncy Castle encoded an SM2 key without the sm2p256v1 OID");
            }
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build SM2 JCA keys with Bouncy Castle: " + e.getMessage(), e);
        }
    }

    static ECPublicKeyParameters publicParameters(ECPoint point) {
        return new ECPublicKeyParameters(point, DOMAIN);
    }

    private static String describe(AlgorithmIdentifier algorithm) {
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            return "id-ecPublicKey, curve " + algorithm.getParameters();
        }
        return "algorithm " + algorithm.getAlgorithm();
    }
}
