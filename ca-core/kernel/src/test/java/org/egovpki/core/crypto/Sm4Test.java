package org.egovpki.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.egovpki.core.x509.OpenSsl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SM4 against the GB/T 32907 known answers, OpenSSL, and the GCM tamper cases. */
class Sm4Test {

    private static final HexFormat HEX = HexFormat.of();
    /** GB/T 32907-2016 Appendix A: key and plaintext are the same 16 bytes. */
    private static final byte[] KAT_KEY = HEX.parseHex("0123456789abcdeffedcba9876543210");
    private static final byte[] KAT_CIPHERTEXT = HEX.parseHex("681edf34d206965e86b3e94f536e4246");
    /** GB/T 32907-2016 Appendix A example 2: the same block encrypted 1,000,000 times. */
    private static final byte[] KAT_MILLION = HEX.parseHex("595298c7c6fd271f0402f804c33d3f66");

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    @Test
    void encryptsTheStandardKnownAnswerAndDecryptsItBack() {
        byte[] ciphertext = Sm4.encryptEcb(KAT_KEY, KAT_KEY);

        assertThat(ciphertext).isEqualTo(KAT_CIPHERTEXT);
        assertThat(Sm4.decryptEcb(KAT_KEY, ciphertext)).isEqualTo(KAT_KEY);
    }

    @Test
    void encryptsTheMillionIterationKnownAnswer() {
        byte[] block = KAT_KEY.clone();
        for (int i = 0; i < 1_000_000; i++) {
            block = Sm4.encryptEcb(KAT_KEY, block);
        }

        assertThat(block).isEqualTo(KAT_MILLION);
    }

    @Test
    void ecbEncryptsEachBlockOnItsOwn() {
        byte[] twoBlocks = new byte[32];
        System.arraycopy(KAT_KEY, 0, twoBlocks, 0, 16);
        System.arraycopy(KAT_KEY, 0, twoBlocks, 16, 16);

        byte[] ciphertext = Sm4.encryptEcb(KAT_KEY, twoBlocks);

        assertThat(ciphertext).hasSize(32);
        assertThat(Arrays.copyOfRange(ciphertext, 0, 16)).isEqualTo(KAT_CIPHERTEXT);
        assertThat(Arrays.copyOfRange(ciphertext, 16, 32)).isEqualTo(KAT_CIPHERTEXT);
        assertThat(Sm4.encryptEcb(KAT_KEY, new byte[0])).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 31, 33})
    void ecbRefusesPartialBlocks(int length) {
        assertThatThrownBy(() -> Sm4.encryptEcb(KAT_KEY, new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 16")
                .hasMessageContaining("got " + length + " bytes");
        assertThatThrownBy(() -> Sm4.decryptEcb(KAT_KEY, new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 16");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 15, 17, 24, 32})
    void refusesKeysThatAreNot128Bits(int length) {
        assertThatThrownBy(() -> Sm4.encryptEcb(new byte[length], new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM4 key must be 16 bytes")
                .hasMessageContaining("got " + length + " bytes");
        assertThatThrownBy(() -> Sm4.encryptGcm(new byte[length], new byte[12], new byte[0], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SM4 key must be 16 bytes");
    }

    @Test
    void newKeysAreSixteenFreshBytes() {
        byte[] first = Sm4.newKey(random);
        byte[] second = Sm4.newKey(random);

        assertThat(first).hasSize(16);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void gcmRoundTripsAndAppendsA16ByteTag() {
        byte[] key = Sm4.newKey(random);
        byte[] iv = iv();
        byte[] aad = "request 42".getBytes(StandardCharsets.UTF_8);
        byte[] plaintext = "the escrowed key, say".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = Sm4.encryptGcm(key, iv, aad, plaintext);

        assertThat(sealed).hasSize(plaintext.length + Sm4.GCM_TAG_LENGTH);
        assertThat(Sm4.decryptGcm(key, iv, aad, sealed)).isEqualTo(plaintext);
        assertThat(Sm4.decryptGcm(key, iv, new byte[0], Sm4.encryptGcm(key, iv, new byte[0], new byte[0])))
                .isEmpty();
    }

    @Test
    void gcmRefusesAFlippedCiphertextBit() {
        byte[] key = Sm4.newKey(random);
        byte[] iv = iv();
        byte[] sealed = Sm4.encryptGcm(key, iv, new byte[0], new byte[40]);
        sealed[3] ^= 0x01;

        assertRefused(key, iv, new byte[0], sealed);
    }

    @Test
    void gcmRefusesAFlippedTagBit() {
        byte[] key = Sm4.newKey(random);
        byte[] iv = iv();
        byte[] sealed = Sm4.encryptGcm(key, iv, new byte[0], new byte[40]);
        sealed[sealed.length - 1] ^= (byte) 0x80;

        assertRefused(key, iv, new byte[0], sealed);
    }

    @Test
    void gcmRefusesDifferentAssociatedDataIvOrKey() {
        byte[] key = Sm4.newKey(random);
        byte[] iv = iv();
        byte[] aad = {1, 2, 3};
        byte[] sealed = Sm4.encryptGcm(key, iv, aad, new byte[40]);

        assertRefused(key, iv, new byte[] {1, 2, 4}, sealed);
        assertRefused(key, iv, new byte[0], sealed);
        assertRefused(key, iv(), aad, sealed);
        assertRefused(Sm4.newKey(random), iv, aad, sealed);
    }

    @Test
    void gcmRefusesBadIvAndTruncatedInput() {
        byte[] key = Sm4.newKey(random);

        assertThatThrownBy(() -> Sm4.encryptGcm(key, new byte[16], new byte[0], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IV must be 12 bytes; got 16 bytes");
        assertThatThrownBy(() -> Sm4.decryptGcm(key, iv(), new byte[0], new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least the 16-byte tag; got 15 bytes");
        assertThatThrownBy(() -> Sm4.encryptGcm(key, iv(), null, new byte[1]))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("aad");
    }

    @Test
    void ecbMatchesOpenSsl() throws Exception {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
        byte[] key = Sm4.newKey(random);
        byte[] data = new byte[64];
        random.nextBytes(data);
        Files.write(dir.resolve("plain.bin"), data);

        OpenSsl.Result encrypt = OpenSsl.run(dir, "enc", "-sm4-ecb", "-nopad", "-K", HEX.formatHex(key),
                "-in", "plain.bin", "-out", "openssl.bin");
        Files.write(dir.resolve("ours.bin"), Sm4.encryptEcb(key, data));
        OpenSsl.Result decrypt = OpenSsl.run(dir, "enc", "-d", "-sm4-ecb", "-nopad", "-K", HEX.formatHex(key),
                "-in", "ours.bin", "-out", "back.bin");

        assertThat(encrypt.exitCode()).as("%s", encrypt).isZero();
        assertThat(decrypt.exitCode()).as("%s", decrypt).isZero();
        assertThat(Files.readAllBytes(dir.resolve("openssl.bin"))).isEqualTo(Sm4.encryptEcb(key, data));
        assertThat(Files.readAllBytes(dir.resolve("back.bin"))).isEqualTo(data);
    }

    private byte[] iv() {
        byte[] iv = new byte[Sm4.GCM_IV_LENGTH];
        random.nextBytes(iv);
        return iv;
    }

    private static void assertRefused(byte[] key, byte[] iv, byte[] aad, byte[] sealed) {
        assertThatThrownBy(() -> Sm4.decryptGcm(key, iv, aad, sealed))
                .isInstanceOf(Sm4.AuthenticationFailedException.class)
                .hasMessageContaining("tag does not verify");
    }
}
