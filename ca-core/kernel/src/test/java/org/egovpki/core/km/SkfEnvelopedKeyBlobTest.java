package org.egovpki.core.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.egovpki.core.km.KmFixtures.seal;
import static org.egovpki.core.km.KmFixtures.sm2;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The GM/T 0016 ENVELOPEDKEYBLOB byte layout, checked field by field at fixed offsets. */
class SkfEnvelopedKeyBlobTest {

    private final KeyPair signing = sm2();
    private final KeyPair encryption = sm2();
    private final Sm2EnvelopedKey envelope = seal(encryption, signing);

    @Test
    void isExactly388BytesWithLittleEndianHeaderFields() {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);

        assertThat(blob).hasSize(388);
        assertThat(SkfEnvelopedKeyBlob.FIXED_LENGTH).isEqualTo(372);
        assertThat(Arrays.copyOfRange(blob, 0, 4)).containsExactly(0x01, 0x00, 0x00, 0x00);
        assertThat(Arrays.copyOfRange(blob, 4, 8)).containsExactly(0x01, 0x04, 0x00, 0x00);
        assertThat(Arrays.copyOfRange(blob, 8, 12)).containsExactly(0x00, 0x01, 0x00, 0x00);
        assertThat(Arrays.copyOfRange(blob, 76, 80)).containsExactly(0x00, 0x01, 0x00, 0x00);
        assertThat(Arrays.copyOfRange(blob, 368, 372)).containsExactly(0x10, 0x00, 0x00, 0x00);
    }

    @Test
    void placesEach256BitValueRightAlignedInIts64ByteField() {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);
        byte[] publicKey = envelope.publicKey();
        Sm2Cipher cipher = envelope.symEncryptedKey();

        assertRightAligned(blob, 12, envelope.encryptedPrivateKey());
        assertRightAligned(blob, 80, Arrays.copyOfRange(publicKey, 1, 33));
        assertRightAligned(blob, 144, Arrays.copyOfRange(publicKey, 33, 65));
        assertRightAligned(blob, 208, Sm2Curve.fixed(cipher.x(), "x"));
        assertRightAligned(blob, 272, Sm2Curve.fixed(cipher.y(), "y"));
        assertThat(Arrays.copyOfRange(blob, 336, 368)).isEqualTo(cipher.hash());
        assertThat(Arrays.copyOfRange(blob, 372, 388)).isEqualTo(cipher.cipherText());
    }

    @Test
    void roundTripsAndTheDecodedEnvelopeOpensToTheEncryptionKey() {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);

        Sm2EnvelopedKey decoded = SkfEnvelopedKeyBlob.decode(blob);
        KeyPair opened = EnvelopedKeys.open(decoded, signing.getPrivate());

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.symAlgId()).isEqualTo(Sm2EnvelopedKey.SM4_ECB);
        assertThat(SkfEnvelopedKeyBlob.encode(decoded)).isEqualTo(blob);
        assertThat(opened.getPublic().getEncoded()).isEqualTo(encryption.getPublic().getEncoded());
    }

    @Test
    void aC1WithAShortCoordinateIsStillPaddedToItsField() {
        Sm2Cipher cipher = envelope.symEncryptedKey();
        Sm2EnvelopedKey shortX = new Sm2EnvelopedKey(envelope.symAlgId(),
                new Sm2Cipher(BigInteger.valueOf(0xABCD), cipher.y(), cipher.hash(), cipher.cipherText()),
                envelope.publicKey(), envelope.encryptedPrivateKey());

        byte[] blob = SkfEnvelopedKeyBlob.encode(shortX);

        assertThat(Arrays.copyOfRange(blob, 208, 270)).containsOnly(0);
        assertThat(Arrays.copyOfRange(blob, 270, 272)).containsExactly(0xAB, 0xCD);
        assertThat(SkfEnvelopedKeyBlob.decode(blob)).isEqualTo(shortX);
    }

    @Test
    void refusesWrongHeaderValues() {
        assertRefused(withInt(0, 2), "Version at offset 0 is 0x00000002; expected 0x00000001");
        assertRefused(withInt(4, 0x402), "ulSymmAlgID (SGD_SM4_ECB) at offset 4 is 0x00000402");
        assertRefused(withInt(8, 512), "ulBits at offset 8");
        assertRefused(withInt(76, 0x01000000), "PubKey.BitLen at offset 76 is 0x01000000");
        assertRefused(withInt(368, 32), "CipherLen is 32; the enveloped SM4 key is 16 bytes");
        // A big-endian writer puts Version = 1 as 00 00 00 01.
        assertRefused(withInt(0, 0x01000000), "Version at offset 0 is 0x01000000");
    }

    @Test
    void refusesWrongLengths() {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);

        assertRefused(Arrays.copyOf(blob, 371), "is 371 bytes; it needs at least 372");
        assertRefused(Arrays.copyOf(blob, 387), "must be exactly 388 (truncated)");
        assertRefused(Arrays.copyOf(blob, 392), "must be exactly 388 (trailing bytes)");
        assertRefused(new byte[0], "is 0 bytes");
    }

    @Test
    void refusesNonZeroPaddingAndOffCurvePoints() {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);
        byte[] paddedKey = blob.clone();
        paddedKey[12] = 1;
        byte[] paddedX = blob.clone();
        paddedX[80 + 31] = 1;
        byte[] paddedCipherY = blob.clone();
        paddedCipherY[272] = (byte) 0x80;
        byte[] offCurve = blob.clone();
        offCurve[207] ^= 1;

        assertRefused(paddedKey, "cbEncryptedPriKey at offset 12 must hold a 256-bit value right-aligned in 64 bytes;"
                + " padding byte 0 is not zero");
        assertRefused(paddedX, "PubKey.XCoordinate at offset 80");
        assertRefused(paddedCipherY, "ECCCipherBlob.YCoordinate at offset 272");
        assertRefused(offCurve, "not a point on the SM2 curve");
    }

    private byte[] withInt(int offset, int value) {
        byte[] blob = SkfEnvelopedKeyBlob.encode(envelope);
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return blob;
    }

    private static void assertRightAligned(byte[] blob, int offset, byte[] value) {
        assertThat(value).hasSize(32);
        assertThat(Arrays.copyOfRange(blob, offset, offset + 32)).as("padding at %d", offset).containsOnly(0);
        assertThat(Arrays.copyOfRange(blob, offset + 32, offset + 64)).as("value at %d", offset).isEqualTo(value);
    }

    private static void assertRefused(byte[] blob, String message) {
        assertThatThrownBy(() -> SkfEnvelopedKeyBlob.decode(blob))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
