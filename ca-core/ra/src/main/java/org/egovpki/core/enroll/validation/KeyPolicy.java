package org.egovpki.core.enroll.validation;

import java.math.BigInteger;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.egovpki.core.DomainException;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which subscriber public keys the CA certifies (REQUIREMENTS §3).
 *
 * <ul>
 *   <li><b>SM2</b>: id-ecPublicKey with the named curve sm2p256v1 (1.2.156.10197.1.301), the
 *       encoding GM/T 0015 and OpenSSL use. A key whose <em>algorithm</em> OID is the curve OID
 *       is refused with a hint to re-encode it: the SubjectPublicKeyInfo is copied into the
 *       certificate as is, and relying parties would not read it.</li>
 *   <li><b>EC</b>: P-256 or P-384 only. Other named curves — notably prime239v1, which Bouncy
 *       Castle produces when an "SM2" key generator is not initialised (GM-CRYPTO.md), and
 *       secp256k1 — are refused naming the curve. Explicit or implicit curve parameters are
 *       refused (RFC 5480 requires a named curve).</li>
 *   <li>For SM2 and EC the point must be uncompressed ({@code 04||X||Y}, as GM/T 0009 and most
 *       relying parties expect), on the curve and not the point at infinity; all three curves have
 *       cofactor 1, so that is full public-key validation.</li>
 *   <li><b>RSA</b> (rsaEncryption): at least {@value #MIN_RSA_BITS} bits; from
 *       {@value #MIN_LEGACY_RSA_BITS} bits only when the legacy switch is on (seed 004 issues
 *       RSA-1024); never below {@value #MIN_LEGACY_RSA_BITS}; at most {@value #MAX_RSA_BITS}
 *       (bigger keys only cost the verifiers). Odd modulus, odd public exponent ≥ 3.</li>
 *   <li>Everything else — DSA, Ed25519/Ed448, X25519, RSASSA-PSS-only keys, unknown OIDs — is
 *       refused.</li>
 * </ul>
 * Every refusal is a BAD_REQUEST on field {@value #FIELD}: the key comes from the request.
 */
public final class KeyPolicy {

    /** The input field named in refusals: the key is taken from the certification request. */
    public static final String FIELD = "csr";
    /** Smallest RSA modulus accepted without the legacy switch. */
    public static final int MIN_RSA_BITS = 2048;
    /** Smallest RSA modulus accepted with the legacy switch; nothing smaller is ever accepted. */
    public static final int MIN_LEGACY_RSA_BITS = 1024;
    /** Largest RSA modulus accepted. */
    public static final int MAX_RSA_BITS = 16384;

    private static final Logger LOG = LoggerFactory.getLogger(KeyPolicy.class);

    private static final ASN1ObjectIdentifier SM2_CURVE = GMObjectIdentifiers.sm2p256v1;
    private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
    private static final ASN1ObjectIdentifier P384 = SECObjectIdentifiers.secp384r1;
    private static final ASN1ObjectIdentifier PRIME239V1 = X9ObjectIdentifiers.prime239v1;
    private static final String ACCEPTED = "SM2 (sm2p256v1), ECDSA on P-256 or P-384, or RSA of at least "
            + MIN_RSA_BITS + " bits";

    private static final Map<ASN1ObjectIdentifier, String> KNOWN_UNACCEPTED = Map.of(
            X9ObjectIdentifiers.id_dsa, "DSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448",
            EdECObjectIdentifiers.id_X25519, "X25519",
            EdECObjectIdentifiers.id_X448, "X448",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS (a PSS-restricted RSA key)",
            PKCSObjectIdentifiers.dhKeyAgreement, "Diffie-Hellman",
            X9ObjectIdentifiers.dhpublicnumber, "Diffie-Hellman");

    private final boolean allowLegacyRsa;

    /**
     * @param allowLegacyRsa accept RSA keys of {@value #MIN_LEGACY_RSA_BITS} to
     *     {@value #MIN_RSA_BITS} bits (the REQUIREMENTS §3 legacy switch); off by default in
     *     configuration
     */
    public KeyPolicy(boolean allowLegacyRsa) {
        this.allowLegacyRsa = allowLegacyRsa;
    }

    /** Whether RSA keys below {@value #MIN_RSA_BITS} bits (down to 1024) are accepted. */
    public boolean allowsLegacyRsa() {
        return allowLegacyRsa;
    }

    /**
     * Checks a subscriber public key.
     *
     * @return the key's algorithm: {@link KeyAlgorithm#SM2}, {@link KeyAlgorithm#EC} or
     *     {@link KeyAlgorithm#RSA}
     * @throws DomainException BAD_REQUEST on field {@value #FIELD} saying why the key is refused
     *     and what to use instead
     */
    public KeyAlgorithm check(SubjectPublicKeyInfo spki) {
        if (spki == null) {
            throw refuse("the request carries no public key");
        }
        AlgorithmIdentifier algorithm = spki.getAlgorithm();
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
            return checkEc(spki);
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
            checkRsa(spki);
            return KeyAlgorithm.RSA;
        }
        if (SM2_CURVE.equals(oid) || GMObjectIdentifiers.sm2sign.equals(oid)) {
            throw refuse("the SM2 public key is encoded with algorithm " + oid + "; encode it as id-ecPublicKey"
                    + " (1.2.840.10045.2.1) with the named curve sm2p256v1 (1.2.156.10197.1.301), as GM/T 0015 requires");
        }
        String name = KNOWN_UNACCEPTED.get(oid);
        throw refuse((name == null ? "public key algorithm " + oid : name + " keys (" + oid + ")")
                + " are not accepted; use " + ACCEPTED);
    }

    private KeyAlgorithm checkEc(SubjectPublicKeyInfo spki) {
        ASN1Encodable parameters = spki.getAlgorithm().getParameters();
        if (parameters == null) {
            throw refuse("the EC public key has no curve parameters; name the curve (sm2p256v1, P-256 or P-384)");
        }
        X962Parameters x962;
        try {
            x962 = X962Parameters.getInstance(parameters);
        } catch (IllegalArgumentException e) {
            throw refuse("the EC public key's curve parameters cannot be read; name the curve (sm2p256v1, P-256 or P-384)");
        }
        if (x962.isImplicitlyCA()) {
            throw refuse("the EC public key inherits its curve (implicitlyCA); name the curve (sm2p256v1, P-256 or P-384)");
        }
        if (!x962.isNamedCurve()) {
            throw refuse("the EC public key has explicit curve parameters, which are not accepted (RFC 5480);"
                    + " encode the key with the named curve OID (sm2p256v1, P-256 or P-384)");
        }
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(x962.getParameters());
        KeyAlgorithm result;
        if (SM2_CURVE.equals(curve)) {
            result = KeyAlgorithm.SM2;
        } else if (P256.equals(curve) || P384.equals(curve)) {
            result = KeyAlgorithm.EC;
        } else {
            String hint = PRIME239V1.equals(curve)
                    ? " (Bouncy Castle makes prime239v1 keys when an SM2 key generator is not initialised with"
                            + " sm2p256v1: generate the key again on sm2p256v1)"
                    : "";
            throw refuse("EC keys on curve " + curveName(curve) + " are not accepted" + hint + "; use " + ACCEPTED);
        }
        requireValidPoint(spki, curve);
        return result;
    }

    private static void requireValidPoint(SubjectPublicKeyInfo spki, ASN1ObjectIdentifier curve) {
        String name = curveName(curve);
        if (spki.getPublicKeyData().getPadBits() != 0) {
            throw refuse("the " + name + " public key is not a whole number of bytes; the request is malformed");
        }
        byte[] encoded = spki.getPublicKeyData().getBytes();
        X9ECParameters parameters = ECNamedCurveTable.getByOID(curve);
        int fieldBytes = (parameters.getCurve().getFieldSize() + 7) / 8;
        if (encoded.length > 0 && (encoded[0] == 0x02 || encoded[0] == 0x03)) {
            throw refuse("the " + name + " public key is a compressed point; submit it uncompressed (04||X||Y),"
                    + " the form GM/T 0009 and most relying parties read");
        }
        if (encoded.length != 1 + 2 * fieldBytes || encoded[0] != 0x04) {
            throw refuse("the " + name + " public key is not an uncompressed point (04||X||Y, " + (1 + 2 * fieldBytes)
                    + " bytes) but " + encoded.length + " bytes; the request is malformed");
        }
        ECPoint point;
        try {
            point = parameters.getCurve().decodePoint(encoded);
        } catch (RuntimeException e) {
            throw refuse("the " + name + " public key is not a point on the curve; the key is corrupt, generate a new one");
        }
        if (point.isInfinity() || !point.isValid()) {
            throw refuse("the " + name + " public key is not a valid point of the curve's group; generate a new key");
        }
    }

    private void checkRsa(SubjectPublicKeyInfo spki) {
        ASN1Encodable parameters = spki.getAlgorithm().getParameters();
        if (parameters != null && !(parameters.toASN1Primitive() instanceof ASN1Null)) {
            throw refuse("the RSA public key has algorithm parameters; rsaEncryption takes NULL (RFC 3279)");
        }
        RSAPublicKey key;
        try {
            ASN1Primitive primitive = spki.parsePublicKey();
            key = RSAPublicKey.getInstance(primitive);
        } catch (Exception e) {
            throw refuse("the RSA public key cannot be decoded (not an RSAPublicKey SEQUENCE); the request is malformed");
        }
        BigInteger modulus = key.getModulus();
        BigInteger exponent = key.getPublicExponent();
        if (modulus.signum() <= 0 || exponent.signum() <= 0) {
            throw refuse("the RSA public key has a negative or zero modulus or exponent; the request is malformed");
        }
        int bits = modulus.bitLength();
        if (bits < MIN_LEGACY_RSA_BITS) {
            throw refuse("RSA keys of " + bits + " bits are far too short and never accepted; use SM2 or RSA of at least "
                    + MIN_RSA_BITS + " bits");
        }
        if (bits < MIN_RSA_BITS && !allowLegacyRsa) {
            throw refuse("RSA keys of " + bits + " bits are below the " + MIN_RSA_BITS + "-bit minimum; generate an SM2"
                    + " or RSA-" + MIN_RSA_BITS + " key (keys from " + MIN_LEGACY_RSA_BITS
                    + " bits are accepted only while the CA's legacy RSA switch is on)");
        }
        if (bits > MAX_RSA_BITS) {
            throw refuse("RSA keys of " + bits + " bits are longer than the " + MAX_RSA_BITS + " bits accepted;"
                    + " use 2048 to 4096 bits");
        }
        if (!modulus.testBit(0)) {
            throw refuse("the RSA modulus is even, so it is not a product of two large primes; generate a new key");
        }
        if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0) {
            throw refuse("the RSA public exponent " + (exponent.bitLength() <= 64 ? exponent.toString() : "given")
                    + " is not an odd number of at least 3; generate a new key (65537 is usual)");
        }
        if (bits < MIN_RSA_BITS) {
            LOG.warn("accepting a legacy {}-bit RSA key because the legacy RSA switch is on", bits);
        }
    }

    /** "P-256 (secp256r1, 1.2.840.10045.3.1.7)", "prime239v1 (1.2.840.10045.3.1.4)" or the OID. */
    static String curveName(ASN1ObjectIdentifier curve) {
        String nist = NISTNamedCurves.getName(curve);
        String name = ECNamedCurveTable.getName(curve);
        if (nist != null) {
            return nist + " (" + name + ", " + curve.getId() + ")";
        }
        return name == null ? curve.getId() : name + " (" + curve.getId() + ")";
    }

    private static DomainException refuse(String message) {
        return DomainException.badRequest(FIELD, message);
    }
}
