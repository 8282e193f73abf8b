package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class KeyAlgorithmTest {

    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void generatedKeysAreRecognisedAsTheirOwnAlgorithm(KeyAlgorithm algorithm) {
        KeyPair keyPair = algorithm.generate(random);

        assertThat(KeyAlgorithm.of(keyPair.getPublic())).isEqualTo(algorithm);
    }

    @Test
    void sm2KeysAreOnTheSm2CurveAndEcKeysOnP256() {
        assertThat(curveOf(KeyAlgorithm.SM2.generate(random))).isEqualTo(new ASN1ObjectIdentifier("1.2.156.10197.1.301"));
        assertThat(curveOf(KeyAlgorithm.EC.generate(random))).isEqualTo(new ASN1ObjectIdentifier("1.2.840.10045.3.1.7"));
    }

    @Test
    void rsaDefaultsTo2048BitsAndTakesLargerSizes() {
        assertThat(((RSAPublicKey) KeyAlgorithm.RSA.generate(random).getPublic()).getModulus().bitLength()).isEqualTo(2048);
        assertThat(((RSAPublicKey) KeyAlgorithm.RSA.generate(random, 3072).getPublic()).getModulus().bitLength())
                .isEqualTo(3072);
    }

    @Test
    void refusesWeakOrMeaninglessKeySizes() {
        assertThatThrownBy(() -> KeyAlgorithm.RSA.generate(random, 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024")
                .hasMessageContaining("2048");
        assertThatThrownBy(() -> KeyAlgorithm.SM2.generate(random, 384))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("256");
    }

    @Test
    void ofTellsSm2FromOtherEcCurvesIncludingJdkKeys() throws Exception {
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("EC");
        jdk.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
        p384.initialize(new ECGenParameterSpec("secp384r1"));

        assertThat(KeyAlgorithm.of(KeyAlgorithm.SM2.generate(random).getPublic())).isEqualTo(KeyAlgorithm.SM2);
        assertThat(KeyAlgorithm.of(jdk.generateKeyPair().getPublic())).isEqualTo(KeyAlgorithm.EC);
        assertThat(KeyAlgorithm.of(p384.generateKeyPair().getPublic())).isEqualTo(KeyAlgorithm.EC);
        assertThat(KeyAlgorithm.SM2.generate(random).getPublic().getAlgorithm())
                .as("the JCA name cannot tell SM2 from EC; that is why of() reads the curve").isEqualTo("EC");
    }

    @Test
    void ofRefusesOtherAlgorithms() throws Exception {
        KeyPairGenerator ed25519 = KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER);

        assertThatThrownBy(() -> KeyAlgorithm.of(ed25519.generateKeyPair().getPublic()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported public key algorithm 1.3.101.112");
    }

    @ParameterizedTest
    @CsvSource({"SM2,SM2", "sm2,SM2", "RSA,RSA", "rsa,RSA", "EC,EC", "ec,EC", "ECDSA,EC", "EcDsa,EC", "' sm2 ',SM2"})
    void parseIgnoresCase(String name, KeyAlgorithm expected) {
        assertThat(KeyAlgorithm.parse(name)).isEqualTo(expected);
    }

    @Test
    void parseListsTheAllowedValues() {
        assertThatThrownBy(() -> KeyAlgorithm.parse("dsa"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"dsa\"")
                .hasMessageContaining("SM2, RSA, EC, ECDSA");
        assertThatThrownBy(() -> KeyAlgorithm.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM2, RSA, EC, ECDSA");
    }

    @Test
    void signatureAlgorithms() {
        assertThat(KeyAlgorithm.SM2.signatureAlgorithm()).isEqualTo("SM3WITHSM2");
        assertThat(KeyAlgorithm.RSA.signatureAlgorithm()).isEqualTo("SHA256WITHRSA");
        assertThat(KeyAlgorithm.EC.signatureAlgorithm()).isEqualTo("SHA256WITHECDSA");
    }

    private static ASN1ObjectIdentifier curveOf(KeyPair keyPair) {
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        return ASN1ObjectIdentifier.getInstance(info.getAlgorithm().getParameters());
    }
}
