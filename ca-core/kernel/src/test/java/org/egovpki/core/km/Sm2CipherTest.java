package org.egovpki.core.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.km.KmFixtures.RANDOM;
import static org.egovpki.core.km.KmFixtures.sm2;
import static org.egovpki.core.km.KmFixtures.spki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.Test;

/** The GM/T 0009 SM2Cipher: raw C1C3C2 and DER forms, and SM2 encryption with Bouncy Castle. */
class Sm2CipherTest {

    private static final byte[] MESSAGE = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void encryptsAndDecryptsInC1C3C2Order() {
        KeyPair recipient = sm2();

        Sm2Cipher cipher = Sm2Cipher.encrypt(spki(recipient), MESSAGE, RANDOM);

        assertThat(cipher.cipherText()).hasSize(MESSAGE.length);
        assertThat(cipher.decrypt(recipient.getPrivate())).isEqualTo(MESSAGE);
        byte[] raw = cipher.toC1C3C2();
        assertThat(raw).hasSize(65 + 32 + MESSAGE.length);
        assertThat(raw[0]).isEqualTo((byte) 0x04);
        assertThat(Arrays.copyOfRange(raw, 65, 97)).isEqualTo(cipher.hash());
        assertThat(Arrays.copyOfRange(raw, 97, raw.length)).isEqualTo(cipher.cipherText());
        assertThat(Sm2Cipher.fromC1C3C2(raw)).isEqualTo(cipher);
    }

    @Test
    void derRoundTripsAndIsTheGmt0009Sequence() {
        Sm2Cipher cipher = Sm2Cipher.encrypt(spki(sm2()), MESSAGE, RANDOM);

        byte[] der = cipher.encoded();
        ASN1Sequence sequence = ASN1Sequence.getInstance(der);

        assertThat(Sm2Cipher.parse(der)).isEqualTo(cipher);
        assertThat(sequence.size()).isEqualTo(4);
        assertThat(ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue()).isEqualTo(cipher.x());
        assertThat(DEROctetString.getInstance(sequence.getObjectAt(2)).getOctets()).isEqualTo(cipher.hash());
        assertThat(Sm2Cipher.fromAsn1(cipher.toAsn1())).isEqualTo(cipher);
    }

    @Test
    void coordinatesKeepTheirWidthWhateverTheirIntegerLength() throws Exception {
        // A coordinate with the top bit set is a 33-byte INTEGER; a small one is shorter than 32.
        BigInteger high = BigInteger.ONE.shiftLeft(255).add(BigInteger.TWO);
        BigInteger small = BigInteger.valueOf(0x1234);
        Sm2Cipher cipher = new Sm2Cipher(high, small, new byte[32], new byte[] {7});

        ASN1Sequence sequence = ASN1Sequence.getInstance(cipher.encoded());
        byte[] raw = cipher.toC1C3C2();

        assertThat(((ASN1Integer) sequence.getObjectAt(0)).getEncoded().length).isEqualTo(2 + 33);
        assertThat(((ASN1Integer) sequence.getObjectAt(1)).getEncoded().length).isEqualTo(2 + 2);
        assertThat(raw).hasSize(65 + 32 + 1);
        assertThat(raw[1]).isEqualTo((byte) 0x80);
        assertThat(Arrays.copyOfRange(raw, 33, 63)).containsOnly(0);
        assertThat(Arrays.copyOfRange(raw, 63, 65)).containsExactly(0x12, 0x34);
        assertThat(Sm2Cipher.fromC1C3C2(raw)).isEqualTo(cipher);
        assertThat(Sm2Cipher.parse(cipher.encoded())).isEqualTo(cipher);
    }

    @Test
    void decryptsARealCiphertextWhoseC1HasAShortCoordinate() {
        KeyPair recipient = sm2();
        Sm2Cipher cipher;
        int attempts = 0;
        do {
            cipher = Sm2Cipher.encrypt(spki(recipient), MESSAGE, RANDOM);
            attempts++;
        } while (cipher.x().bitLength() > 248 && cipher.y().bitLength() > 248 && attempts < 10_000);
        Sm2Cipher parsed = Sm2Cipher.parse(cipher.encoded());

        assertThat(Math.min(parsed.x().bitLength(), parsed.y().bitLength())).isLessThanOrEqualTo(248);
        assertThat(parsed.decrypt(recipient.getPrivate())).isEqualTo(MESSAGE);
    }

    @Test
    void decryptsWithAKeyReadFromPkcs8OrOnlyExportableAsPkcs8() throws Exception {
        KeyPair recipient = sm2();
        Sm2Cipher cipher = Sm2Cipher.encrypt(spki(recipient), MESSAGE, RANDOM);
        byte[] pkcs8 = recipient.getPrivate().getEncoded();
        PrivateKey loaded = KeyFactory.getInstance("EC", BouncyCastle.PROVIDER)
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        PrivateKey opaque = new PrivateKey() {
            @Override
            public String getAlgorithm() {
                return "SM2";
            }

            @Override
            public String getFormat() {
                return "PKCS#8";
            }

            @Override
            public byte[] getEncoded() {
                return pkcs8.clone();
            }
        };

        assertThat(cipher.decrypt(loaded)).isEqualTo(MESSAGE);
        assertThat(cipher.decrypt(opaque)).isEqualTo(MESSAGE);
    }

    @Test
    void aWrongKeyOrAlteredCiphertextIsRefusedClearly() {
        KeyPair recipient = sm2();
        Sm2Cipher cipher = Sm2Cipher.encrypt(spki(recipient), MESSAGE, RANDOM);
        byte[] hash = cipher.hash();
        hash[0] ^= 1;
        Sm2Cipher altered = new Sm2Cipher(cipher.x(), cipher.y(), hash, cipher.cipherText());

        assertThatThrownBy(() -> cipher.decrypt(sm2().getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM2 decryption failed")
                .hasMessageContaining("not the one this SM2Cipher was encrypted to");
        assertThatThrownBy(() -> altered.decrypt(recipient.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("altered");
        Sm2Cipher offCurve = new Sm2Cipher(cipher.x(), cipher.y().add(BigInteger.ONE), cipher.hash(), cipher.cipherText());
        assertThatThrownBy(() -> offCurve.decrypt(recipient.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM2 decryption failed");
    }

    @Test
    void refusesKeysThatAreNotSm2NamingWhatTheyAre() {
        KeyPair p256 = KeyAlgorithm.EC.generate(RANDOM);
        KeyPair rsa = KeyAlgorithm.RSA.generate(RANDOM);
        Sm2Cipher cipher = Sm2Cipher.encrypt(spki(sm2()), MESSAGE, RANDOM);

        assertThatThrownBy(() -> Sm2Cipher.encrypt(spki(p256), MESSAGE, RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an SM2 public key")
                .hasMessageContaining("EC key")
                .hasMessageContaining("1.2.840.10045.3.1.7");
        assertThatThrownBy(() -> Sm2Cipher.encrypt(spki(rsa), MESSAGE, RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got an RSA key");
        assertThatThrownBy(() -> cipher.decrypt(p256.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another curve");
        assertThatThrownBy(() -> cipher.decrypt(rsa.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an SM2 private key")
                .hasMessageContaining("RSA");
        assertThatThrownBy(() -> Sm2Cipher.encrypt(spki(sm2()), new byte[0], RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void constructorValidatesAndCopies() {
        byte[] hash = new byte[32];
        byte[] text = {1, 2, 3};
        Sm2Cipher cipher = new Sm2Cipher(BigInteger.ONE, BigInteger.TWO, hash, text);
        hash[0] = 9;
        text[0] = 9;
        cipher.hash()[1] = 9;

        assertThat(cipher.hash()).containsOnly(0);
        assertThat(cipher.cipherText()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> new Sm2Cipher(BigInteger.ONE, BigInteger.ONE, new byte[31], text))
                .hasMessageContaining("HASH must be 32 bytes")
                .hasMessageContaining("got 31");
        assertThatThrownBy(() -> new Sm2Cipher(BigInteger.ONE, BigInteger.ONE, new byte[32], new byte[0]))
                .hasMessageContaining("CipherText is empty");
        assertThatThrownBy(() -> new Sm2Cipher(BigInteger.ONE.negate(), BigInteger.ONE, new byte[32], text))
                .hasMessageContaining("XCoordinate must be in [0, 2^256)");
        assertThatThrownBy(() -> new Sm2Cipher(BigInteger.ONE, BigInteger.ONE.shiftLeft(256), new byte[32], text))
                .hasMessageContaining("YCoordinate must be in [0, 2^256)")
                .hasMessageContaining("257-bit");
    }

    @Test
    void parseRefusesGarbageWithClearMessages() throws Exception {
        byte[] der = Sm2Cipher.encrypt(spki(sm2()), MESSAGE, RANDOM).encoded();
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        byte[] truncated = Arrays.copyOf(der, der.length - 1);
        byte[] threeFields = sequence(new ASN1Integer(1), new ASN1Integer(2), new DEROctetString(new byte[32]));
        byte[] octetForInteger = sequence(new DEROctetString(new byte[1]), new ASN1Integer(2),
                new DEROctetString(new byte[32]), new DEROctetString(new byte[1]));
        byte[] negative = sequence(new ASN1Integer(-5), new ASN1Integer(2), new DEROctetString(new byte[32]),
                new DEROctetString(new byte[1]));

        assertRefused(new byte[0], "SM2Cipher is empty");
        assertRefused(new byte[] {0x30, 0x03, 0x02}, "SM2Cipher is not valid DER");
        assertRefused("not asn.1 at all".getBytes(StandardCharsets.US_ASCII), "SM2Cipher");
        assertRefused(trailing, "1 trailing bytes");
        assertRefused(truncated, "not valid DER");
        assertRefused(threeFields, "must have 4 fields; got 3");
        assertRefused(octetForInteger, "XCoordinate must be an INTEGER; got OctetString");
        assertRefused(negative, "non-negative");
        assertRefused(new DERSet(new ASN1Integer(1)).getEncoded(), "must be a SEQUENCE; got Set");
        assertThatThrownBy(() -> Sm2Cipher.fromC1C3C2(new byte[97]))
                .hasMessageContaining("needs more than 97 bytes");
        assertThatThrownBy(() -> Sm2Cipher.fromC1C3C2(new byte[98]))
                .hasMessageContaining("uncompressed C1 (0x04); got 0x00");
    }

    private static byte[] sequence(ASN1Encodable... fields) throws Exception {
        return new DERSequence(fields).getEncoded();
    }

    private static void assertRefused(byte[] der, String message) {
        assertThatThrownBy(() -> Sm2Cipher.parse(der))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
