package org.egovpki.core.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.km.KmFixtures.RANDOM;
import static org.egovpki.core.km.KmFixtures.scalar;
import static org.egovpki.core.km.KmFixtures.seal;
import static org.egovpki.core.km.KmFixtures.sm2;
import static org.egovpki.core.km.KmFixtures.spki;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.crypto.Sm4;
import org.junit.jupiter.api.Test;

/**
 * The GM/T 0009 key envelope: seal the encryption key pair to the signing key, carry it as DER,
 * open it with the signing private key.
 */
class Sm2EnvelopedKeyTest {

    /** AlgorithmIdentifier { 1.2.156.10197.1.104.1, NULL }. */
    private static final byte[] SM4_ECB_WITH_NULL = HexFormat.of().parseHex("300c06082a811ccf550168010500");

    private final KeyPair signing = sm2();
    private final KeyPair encryption = sm2();

    @Test
    void opensToTheEncryptionKeyPairWithTheSigningPrivateKey() throws Exception {
        Sm2EnvelopedKey envelope = seal(encryption, signing);

        KeyPair opened = EnvelopedKeys.open(envelope, signing.getPrivate());

        assertThat(((ECPrivateKey) opened.getPrivate()).getS()).isEqualTo(scalar(encryption));
        assertThat(opened.getPublic().getEncoded()).isEqualTo(encryption.getPublic().getEncoded());
        assertThat(KeyAlgorithm.of(opened.getPublic())).isEqualTo(KeyAlgorithm.SM2);
        assertThat(opened.getPublic().getAlgorithm()).isEqualTo("EC");
        assertThat(KmFixtures.signsAndVerifies(opened)).isTrue();
        assertThat(KmFixtures.signsAndVerifies(new KeyPair(encryption.getPublic(), opened.getPrivate()))).isTrue();
        assertThat(envelope.publicKeyInfo()).isEqualTo(spki(encryption));
    }

    @Test
    void derRoundTripsExactly() {
        Sm2EnvelopedKey envelope = seal(encryption, signing);

        byte[] der = envelope.encoded();
        Sm2EnvelopedKey parsed = Sm2EnvelopedKey.parse(der);

        assertThat(parsed).isEqualTo(envelope);
        assertThat(parsed.encoded()).isEqualTo(der);
        assertThat(Sm2EnvelopedKey.fromAsn1(envelope.toAsn1())).isEqualTo(envelope);
        assertThat(EnvelopedKeys.open(parsed, signing.getPrivate()).getPublic().getEncoded())
                .isEqualTo(encryption.getPublic().getEncoded());
    }

    @Test
    void hasTheGmt0009ShapeWithSm4EcbAndNullParameters() throws Exception {
        Sm2EnvelopedKey envelope = seal(encryption, signing);
        ASN1Sequence sequence = ASN1Sequence.getInstance(envelope.encoded());

        assertThat(sequence.size()).isEqualTo(4);
        assertThat(sequence.getObjectAt(0).toASN1Primitive().getEncoded()).isEqualTo(SM4_ECB_WITH_NULL);
        assertThat(envelope.symAlgId()).isEqualTo(Sm2EnvelopedKey.SM4_ECB);
        assertThat(Sm2Cipher.fromAsn1(sequence.getObjectAt(1)).cipherText()).hasSize(Sm4.KEY_LENGTH);
        ASN1BitString publicKey = (ASN1BitString) sequence.getObjectAt(2);
        ASN1BitString privateKey = (ASN1BitString) sequence.getObjectAt(3);
        assertThat(publicKey.getPadBits()).isZero();
        assertThat(publicKey.getOctets()).hasSize(65).startsWith(0x04);
        assertThat(publicKey.getOctets()).isEqualTo(spki(encryption).getPublicKeyData().getOctets());
        assertThat(privateKey.getPadBits()).isZero();
        assertThat(privateKey.getOctets()).hasSize(32);
    }

    @Test
    void theSymmetricKeyDecryptsTheScalarAsTwoSm4EcbBlocks() {
        Sm2EnvelopedKey envelope = seal(encryption, signing);

        byte[] sm4Key = envelope.symEncryptedKey().decrypt(signing.getPrivate());
        byte[] scalar = Sm4.decryptEcb(sm4Key, envelope.encryptedPrivateKey());

        assertThat(scalar).hasSize(32);
        assertThat(new BigInteger(1, scalar)).isEqualTo(scalar(encryption));
    }

    @Test
    void aSmallScalarIsLeftPaddedTo32Bytes() {
        BigInteger d = BigInteger.valueOf(0xC0FFEE);
        Sm2EnvelopedKey envelope = Sm2EnvelopedKey.seal(d, Sm2Curve.publicKeyInfo(Sm2Curve.multiplyG(d)),
                spki(signing), RANDOM);

        byte[] scalar = Sm4.decryptEcb(envelope.symEncryptedKey().decrypt(signing.getPrivate()),
                envelope.encryptedPrivateKey());

        assertThat(Arrays.copyOfRange(scalar, 0, 29)).containsOnly(0);
        assertThat(Arrays.copyOfRange(scalar, 29, 32)).containsExactly(0xC0, 0xFF, 0xEE);
        assertThat(((ECPrivateKey) EnvelopedKeys.open(envelope, signing.getPrivate()).getPrivate()).getS()).isEqualTo(d);
    }

    @Test
    void anEncryptedScalarEndingInZeroKeepsAll32Bytes() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        byte[] trailingZero = sealed.encryptedPrivateKey();
        trailingZero[31] = 0;
        Sm2EnvelopedKey envelope = new Sm2EnvelopedKey(sealed.symAlgId(), sealed.symEncryptedKey(),
                sealed.publicKey(), trailingZero);

        assertThat(Sm2EnvelopedKey.parse(envelope.encoded()).encryptedPrivateKey()).isEqualTo(trailingZero);
    }

    @Test
    void anotherRecipientKeyIsRefusedClearly() {
        Sm2EnvelopedKey envelope = seal(encryption, signing);

        assertThatThrownBy(() -> EnvelopedKeys.open(envelope, sm2().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot open the SM2EnvelopedKey")
                .hasMessageContaining("not the one this SM2Cipher was encrypted to");
        assertThatThrownBy(() -> EnvelopedKeys.open(envelope, encryption.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot open the SM2EnvelopedKey");
        assertThatThrownBy(() -> EnvelopedKeys.open(envelope, KeyAlgorithm.EC.generate(RANDOM).getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not SM2");
    }

    @Test
    void aTamperedEncryptedPrivateKeyIsRefused() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        byte[] altered = sealed.encryptedPrivateKey();
        altered[5] ^= 0x10;
        Sm2EnvelopedKey tampered = new Sm2EnvelopedKey(sealed.symAlgId(), sealed.symEncryptedKey(), sealed.publicKey(),
                altered);

        assertThatThrownBy(() -> EnvelopedKeys.open(tampered, signing.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match its public key");
    }

    @Test
    void aSwappedPublicKeyIsRefused() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        Sm2EnvelopedKey swapped = new Sm2EnvelopedKey(sealed.symAlgId(), sealed.symEncryptedKey(),
                spki(sm2()).getPublicKeyData().getOctets(), sealed.encryptedPrivateKey());

        assertThatThrownBy(() -> EnvelopedKeys.open(swapped, signing.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match its public key");
    }

    @Test
    void aTamperedSymmetricKeyCiphertextIsRefused() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        Sm2Cipher cipher = sealed.symEncryptedKey();
        byte[] c2 = cipher.cipherText();
        c2[0] ^= 1;
        Sm2EnvelopedKey tampered = new Sm2EnvelopedKey(sealed.symAlgId(),
                new Sm2Cipher(cipher.x(), cipher.y(), cipher.hash(), c2), sealed.publicKey(), sealed.encryptedPrivateKey());

        assertThatThrownBy(() -> EnvelopedKeys.open(tampered, signing.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("altered");
    }

    @Test
    void aTamperedEncodingIsRefused() {
        byte[] der = seal(encryption, signing).encoded();
        // The last byte belongs to the encrypted scalar; the public key sits just before it.
        byte[] scalarFlipped = der.clone();
        scalarFlipped[der.length - 1] ^= 1;
        byte[] publicKeyFlipped = der.clone();
        publicKeyFlipped[der.length - 32 - 3 - 1] ^= 1;

        assertThatThrownBy(() -> EnvelopedKeys.open(Sm2EnvelopedKey.parse(scalarFlipped), signing.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> Sm2EnvelopedKey.parse(publicKeyFlipped))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Sm2PublicKey is not a point on the SM2 curve");
    }

    @Test
    void absentAlgorithmParametersAreAcceptedWhenParsing() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        Sm2EnvelopedKey withoutNull = new Sm2EnvelopedKey(new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb),
                sealed.symEncryptedKey(), sealed.publicKey(), sealed.encryptedPrivateKey());

        Sm2EnvelopedKey parsed = Sm2EnvelopedKey.parse(withoutNull.encoded());

        assertThat(parsed.symAlgId().getParameters()).isNull();
        assertThat(EnvelopedKeys.open(parsed, signing.getPrivate()).getPublic().getEncoded())
                .isEqualTo(encryption.getPublic().getEncoded());
    }

    @Test
    void otherSymmetricAlgorithmsAndBadFieldsAreRefused() {
        Sm2EnvelopedKey sealed = seal(encryption, signing);
        Sm2Cipher cipher = sealed.symEncryptedKey();

        assertThatThrownBy(() -> new Sm2EnvelopedKey(new AlgorithmIdentifier(GMObjectIdentifiers.sms4_cbc),
                cipher, sealed.publicKey(), sealed.encryptedPrivateKey()))
                .hasMessageContaining("symAlgID must be SM4-ECB (1.2.156.10197.1.104.1)")
                .hasMessageContaining("got 1.2.156.10197.1.104.2");
        assertThatThrownBy(() -> new Sm2EnvelopedKey(new AlgorithmIdentifier(GMObjectIdentifiers.sms4_ecb,
                GMObjectIdentifiers.sms4_ecb), cipher, sealed.publicKey(), sealed.encryptedPrivateKey()))
                .hasMessageContaining("with parameters");
        assertThatThrownBy(() -> new Sm2EnvelopedKey(sealed.symAlgId(), cipher, sealed.publicKey(), new byte[48]))
                .hasMessageContaining("Sm2EncryptedPrivateKey must be 32 bytes")
                .hasMessageContaining("got 48");
        assertThatThrownBy(() -> new Sm2EnvelopedKey(sealed.symAlgId(), cipher, new byte[33], sealed.encryptedPrivateKey()))
                .hasMessageContaining("uncompressed point 04||X||Y (65 bytes); got 33 bytes");
        assertThatThrownBy(() -> new Sm2EnvelopedKey(sealed.symAlgId(),
                new Sm2Cipher(cipher.x(), cipher.y(), cipher.hash(), new byte[32]), sealed.publicKey(),
                sealed.encryptedPrivateKey()))
                .hasMessageContaining("16-byte SM4 key; its CipherText is 32 bytes");
    }

    @Test
    void parseRefusesGarbage() throws Exception {
        byte[] der = seal(encryption, signing).encoded();
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);
        byte[] threeFields = new DERSequence(new ASN1Encodable[] {
            sequence.getObjectAt(0), sequence.getObjectAt(1), sequence.getObjectAt(2)}).getEncoded();
        byte[] padBits = new DERSequence(new ASN1Encodable[] {sequence.getObjectAt(0), sequence.getObjectAt(1),
            sequence.getObjectAt(2), new DERBitString(new byte[32], 3)}).getEncoded();
        byte[] cipherAsOctets = new DERSequence(new ASN1Encodable[] {sequence.getObjectAt(0), sequence.getObjectAt(2),
            sequence.getObjectAt(2), sequence.getObjectAt(3)}).getEncoded();

        assertParseRefused(Arrays.copyOf(der, der.length + 2), "2 trailing bytes");
        assertParseRefused(Arrays.copyOf(der, der.length - 5), "not valid DER");
        assertParseRefused(new byte[] {1, 2, 3}, "SM2EnvelopedKey");
        assertParseRefused(threeFields, "must have 4 fields; got 3");
        assertParseRefused(padBits, "Sm2EncryptedPrivateKey must hold whole bytes; it has 3 unused bits");
        assertParseRefused(cipherAsOctets, "SM2Cipher must be a SEQUENCE; got BitString");
    }

    @Test
    void sealRefusesAMismatchedOrInvalidScalarAndNonSm2Keys() {
        assertThatThrownBy(() -> Sm2EnvelopedKey.seal(scalar(sm2()), spki(encryption), spki(signing), RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not match the encryption public key");
        assertThatThrownBy(() -> Sm2EnvelopedKey.seal(BigInteger.ZERO, spki(encryption), spki(signing), RANDOM))
                .hasMessageContaining("[1, n-1]");
        assertThatThrownBy(() -> Sm2EnvelopedKey.seal(Sm2Curve.DOMAIN.getN(), spki(encryption), spki(signing), RANDOM))
                .hasMessageContaining("[1, n-1]");
        assertThatThrownBy(() -> Sm2EnvelopedKey.seal(scalar(encryption), spki(encryption),
                spki(KeyAlgorithm.RSA.generate(RANDOM)), RANDOM))
                .hasMessageContaining("envelope recipient must be an SM2 public key")
                .hasMessageContaining("RSA");
        KeyPair p256 = KeyAlgorithm.EC.generate(RANDOM);
        assertThatThrownBy(() -> Sm2EnvelopedKey.seal(scalar(p256), spki(p256), spki(signing), RANDOM))
                .hasMessageContaining("encryption public key must be an SM2 public key")
                .hasMessageContaining("EC key");
    }

    @Test
    void valuesAreImmutable() {
        Sm2EnvelopedKey envelope = seal(encryption, signing);
        byte[] publicKey = envelope.publicKey();
        publicKey[1] ^= 1;
        envelope.encryptedPrivateKey()[0] ^= 1;

        assertThat(envelope.publicKey()).isNotEqualTo(publicKey);
        assertThat(EnvelopedKeys.open(envelope, signing.getPrivate())).isNotNull();
    }

    @Test
    void writesTheOpenedPrivateKeyAsPkcs8() throws Exception {
        KeyPair opened = EnvelopedKeys.open(seal(encryption, signing), signing.getPrivate());

        byte[] pkcs8 = EnvelopedKeys.privateKeyPkcs8(opened);
        PrivateKey reloaded = KeyFactory.getInstance("EC", BouncyCastle.PROVIDER)
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));

        assertThat(PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm())
                .isEqualTo(Sm2Curve.keyAlgorithm());
        assertThat(((ECPrivateKey) reloaded).getS()).isEqualTo(scalar(encryption));
        assertThatThrownBy(() -> EnvelopedKeys.privateKeyPkcs8(KeyAlgorithm.RSA.generate(RANDOM)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an SM2 private key");
    }

    private static void assertParseRefused(byte[] der, String message) {
        assertThatThrownBy(() -> Sm2EnvelopedKey.parse(der))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
