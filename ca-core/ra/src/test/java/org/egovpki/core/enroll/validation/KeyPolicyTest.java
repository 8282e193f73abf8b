package org.egovpki.core.enroll.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.enroll.validation.Refusals.assertRefused;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.Stream;

import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPolicyTest {

    private final SecureRandom random = new SecureRandom();
    private final KeyPolicy strict = new KeyPolicy(false);
    private final KeyPolicy legacy = new KeyPolicy(true);

    static Stream<Arguments> acceptedKeys() {
        return Stream.of(
                Arguments.of("SM2 on sm2p256v1", "SM2", KeyAlgorithm.SM2),
                Arguments.of("ECDSA P-256", "secp256r1", KeyAlgorithm.EC),
                Arguments.of("ECDSA P-384", "secp384r1", KeyAlgorithm.EC),
                Arguments.of("RSA-2048", "RSA-2048", KeyAlgorithm.RSA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedKeys")
    void acceptsFreshKeys(String description, String kind, KeyAlgorithm expected) throws Exception {
        SubjectPublicKeyInfo spki = spki(generate(kind).getPublic());

        assertThat(strict.check(spki)).isEqualTo(expected);
        assertThat(legacy.check(spki)).isEqualTo(expected);
    }

    @Test
    void rsa1024IsRefusedUnlessTheLegacySwitchIsOn() throws Exception {
        SubjectPublicKeyInfo spki = spki(rsa(1024).getPublic());

        assertRefused(() -> strict.check(spki), "csr", "RSA keys of 1024 bits are below the 2048-bit minimum");
        assertThat(legacy.check(spki)).isEqualTo(KeyAlgorithm.RSA);
    }

    @Test
    void rsa512IsRefusedEvenWithTheLegacySwitch() throws Exception {
        SubjectPublicKeyInfo spki = spki(rsa(512).getPublic());

        assertRefused(() -> legacy.check(spki), "csr", "RSA keys of 512 bits are far too short and never accepted");
        assertRefused(() -> strict.check(spki), "csr", "512 bits");
    }

    @Test
    void refusesSecp256k1NamingTheCurve() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        generator.initialize(new ECGenParameterSpec("secp256k1"), random);

        assertRefused(() -> strict.check(spki(generator.generateKeyPair().getPublic())), "csr",
                "EC keys on curve secp256k1 (1.3.132.0.10) are not accepted");
    }

    @Test
    void refusesTheUninitialisedBouncyCastleSm2GeneratorsPrime239v1Key() throws Exception {
        // The pitfall from GM-CRYPTO.md: no initialize(new ECGenParameterSpec("sm2p256v1")).
        KeyPair notReallySm2 = KeyPairGenerator.getInstance("SM2", BouncyCastle.PROVIDER).generateKeyPair();

        assertRefused(() -> strict.check(spki(notReallySm2.getPublic())), "csr", "curve prime239v1");
        assertRefused(() -> strict.check(spki(notReallySm2.getPublic())), "csr", "generate the key again on sm2p256v1");
    }

    @Test
    void curveNamesInMessagesIncludeTheNistName() {
        assertThat(KeyPolicy.curveName(X9ObjectIdentifiers.prime256v1)).startsWith("P-256 (").contains("1.2.840.10045.3.1.7");
    }

    @Test
    void refusesOtherAlgorithms() throws Exception {
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER).generateKeyPair();
        KeyPairGenerator dsa = KeyPairGenerator.getInstance("DSA");
        dsa.initialize(2048, random);

        assertRefused(() -> strict.check(spki(ed25519.getPublic())), "csr", "Ed25519 keys (1.3.101.112) are not accepted");
        assertRefused(() -> strict.check(spki(dsa.generateKeyPair().getPublic())), "csr", "DSA keys");
        assertRefused(() -> strict.check(null), "csr", "no public key");
    }

    @Test
    void refusesExplicitCurveParameters() throws Exception {
        SubjectPublicKeyInfo named = spki(generate("secp256r1").getPublic());
        X9ECParameters p256 = ECNamedCurveTable.getByName("secp256r1");
        SubjectPublicKeyInfo explicit = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, new X962Parameters(p256)),
                named.getPublicKeyData().getBytes());

        assertRefused(() -> strict.check(explicit), "csr", "explicit curve parameters");
    }

    @Test
    void refusesAnSm2KeyEncodedWithTheCurveOidAsAlgorithm() throws Exception {
        SubjectPublicKeyInfo sm2 = spki(generate("SM2").getPublic());
        SubjectPublicKeyInfo odd = new SubjectPublicKeyInfo(new AlgorithmIdentifier(GMObjectIdentifiers.sm2p256v1),
                sm2.getPublicKeyData().getBytes());

        assertRefused(() -> strict.check(odd), "csr", "encode it as id-ecPublicKey");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ecCurves")
    void aPointOffTheCurveIsACleanRefusal(String curve) throws Exception {
        SubjectPublicKeyInfo good = spki(generate(curve).getPublic());
        byte[] point = good.getPublicKeyData().getBytes();
        point[point.length - 1] ^= 0x01; // change y: (x, y') is not on the curve
        SubjectPublicKeyInfo bad = new SubjectPublicKeyInfo(good.getAlgorithm(), point);

        assertRefused(() -> strict.check(bad), "csr", "is not a point on the curve");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ecCurves")
    void aCoordinateBeyondTheFieldIsACleanRefusal(String curve) throws Exception {
        SubjectPublicKeyInfo good = spki(generate(curve).getPublic());
        byte[] point = good.getPublicKeyData().getBytes();
        java.util.Arrays.fill(point, 1, point.length, (byte) 0xFF); // x = y = 2^256 - 1 > p
        SubjectPublicKeyInfo bad = new SubjectPublicKeyInfo(good.getAlgorithm(), point);

        assertRefused(() -> strict.check(bad), "csr", "is not a point on the curve");
    }

    static Stream<String> ecCurves() {
        return Stream.of("SM2", "secp256r1", "secp384r1");
    }

    @Test
    void refusesCompressedAndTruncatedPoints() throws Exception {
        SubjectPublicKeyInfo good = spki(generate("SM2").getPublic());
        ECPoint point = ECNamedCurveTable.getByOID(GMObjectIdentifiers.sm2p256v1).getCurve()
                .decodePoint(good.getPublicKeyData().getBytes());
        SubjectPublicKeyInfo compressed = new SubjectPublicKeyInfo(good.getAlgorithm(), point.getEncoded(true));
        byte[] truncated = java.util.Arrays.copyOf(good.getPublicKeyData().getBytes(), 40);

        assertRefused(() -> strict.check(compressed), "csr", "compressed point; submit it uncompressed");
        assertRefused(() -> strict.check(new SubjectPublicKeyInfo(good.getAlgorithm(), truncated)), "csr",
                "is not an uncompressed point");
    }

    @Test
    void refusesBadRsaExponentsAndModuli() throws Exception {
        java.security.interfaces.RSAPublicKey real = (java.security.interfaces.RSAPublicKey) generate("RSA-2048").getPublic();
        BigInteger n = real.getModulus();

        assertRefused(() -> strict.check(rsaSpki(n, BigInteger.valueOf(65536))), "csr", "exponent 65536 is not an odd");
        assertRefused(() -> strict.check(rsaSpki(n, BigInteger.ONE)), "csr", "exponent 1 is not an odd number of at least 3");
        assertRefused(() -> strict.check(rsaSpki(n.add(BigInteger.ONE), BigInteger.valueOf(65537))), "csr", "modulus is even");
        assertThat(strict.check(rsaSpki(n, BigInteger.valueOf(3)))).isEqualTo(KeyAlgorithm.RSA);
    }

    @Test
    void refusesGarbageInsideTheRsaKey() {
        SubjectPublicKeyInfo garbage = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), new byte[] {1, 2, 3});

        assertRefused(() -> strict.check(garbage), "csr", "cannot be decoded");
    }

    private static SubjectPublicKeyInfo rsaSpki(BigInteger modulus, BigInteger exponent) throws Exception {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new RSAPublicKey(modulus, exponent));
    }

    private KeyPair generate(String kind) throws Exception {
        switch (kind) {
            case "SM2":
                return KeyAlgorithm.SM2.generate(random);
            case "RSA-2048":
                return KeyAlgorithm.RSA.generate(random);
            default:
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                generator.initialize(new ECGenParameterSpec(kind), random);
                return generator.generateKeyPair();
        }
    }

    private KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BouncyCastle.PROVIDER);
        generator.initialize(bits, random);
        return generator.generateKeyPair();
    }

    static SubjectPublicKeyInfo spki(PublicKey key) {
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }
}
