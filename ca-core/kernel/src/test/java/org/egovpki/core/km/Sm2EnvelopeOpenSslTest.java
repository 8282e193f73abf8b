package org.egovpki.core.km;

import static org.assertj.core.api.Assertions.assertThat;
import static org.egovpki.core.km.KmFixtures.RANDOM;
import static org.egovpki.core.km.KmFixtures.certificate;
import static org.egovpki.core.km.KmFixtures.pem;
import static org.egovpki.core.km.KmFixtures.scalar;
import static org.egovpki.core.km.KmFixtures.seal;
import static org.egovpki.core.km.KmFixtures.sm2;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.egovpki.core.x509.OpenSsl;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL 3 as the independent implementation of the GM/T 0009 envelope: it decrypts the
 * SM2Cipher we write, decrypts the scalar with the SM4 key, derives the public key from it, and
 * writes SM2Ciphers we read.
 *
 * <p>Nothing special is needed: OpenSSL 3.0 decodes a PKCS#8 or SPKI key whose curve is
 * sm2p256v1 as an SM2 key, and {@code pkeyutl -encrypt/-decrypt} with an SM2 key reads and writes
 * exactly the GM/T 0009 SM2Cipher DER (C1C3C2 order). The SM2 distinguishing ID only matters for
 * signatures, not for encryption.
 */
class Sm2EnvelopeOpenSslTest {

    private static final HexFormat HEX = HexFormat.of();

    private final KeyPair signing = sm2();
    private final KeyPair encryption = sm2();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsOpenSsl() {
        Assumptions.assumeTrue(OpenSsl.onPath(), "openssl is not on PATH");
    }

    @Test
    void openSslOpensTheEnvelopeWeSeal() throws Exception {
        Sm2EnvelopedKey envelope = seal(encryption, signing);
        byte[] sm4Key = envelope.symEncryptedKey().decrypt(signing.getPrivate());
        Files.writeString(dir.resolve("sign.pem"), pem("PRIVATE KEY", signing.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
        Files.write(dir.resolve("cipher.der"), envelope.symEncryptedKey().encoded());
        Files.write(dir.resolve("encpriv.bin"), envelope.encryptedPrivateKey());

        OpenSsl.Result decryptKey = OpenSsl.run(dir, "pkeyutl", "-decrypt", "-inkey", "sign.pem",
                "-in", "cipher.der", "-out", "key.bin");
        assertThat(decryptKey.exitCode()).as("%s", decryptKey).isZero();
        byte[] openSslKey = Files.readAllBytes(dir.resolve("key.bin"));
        OpenSsl.Result decryptScalar = OpenSsl.run(dir, "enc", "-d", "-sm4-ecb", "-nopad", "-K", HEX.formatHex(openSslKey),
                "-in", "encpriv.bin", "-out", "scalar.bin");
        assertThat(decryptScalar.exitCode()).as("%s", decryptScalar).isZero();
        byte[] scalar = Files.readAllBytes(dir.resolve("scalar.bin"));

        assertThat(openSslKey).hasSize(16).isEqualTo(sm4Key);
        assertThat(scalar).hasSize(32);
        assertThat(new BigInteger(1, scalar)).isEqualTo(scalar(encryption));
        assertThat(Sm2Curve.uncompressed(Sm2Curve.multiplyG(new BigInteger(1, scalar)))).isEqualTo(envelope.publicKey());
    }

    @Test
    void openSslDerivesTheEnvelopedPublicKeyFromTheScalarItDecrypts() throws Exception {
        Sm2EnvelopedKey envelope = seal(encryption, signing);
        Files.writeString(dir.resolve("sign.pem"), pem("PRIVATE KEY", signing.getPrivate().getEncoded()),
                StandardCharsets.US_ASCII);
        Files.write(dir.resolve("cipher.der"), envelope.symEncryptedKey().encoded());
        Files.write(dir.resolve("encpriv.bin"), envelope.encryptedPrivateKey());
        run("pkeyutl", "-decrypt", "-inkey", "sign.pem", "-in", "cipher.der", "-out", "key.bin");
        run("enc", "-d", "-sm4-ecb", "-nopad", "-K", HEX.formatHex(Files.readAllBytes(dir.resolve("key.bin"))),
                "-in", "encpriv.bin", "-out", "scalar.bin");
        // A PKCS#8 key holding only the scalar: OpenSSL must compute d·G itself.
        BigInteger d = new BigInteger(1, Files.readAllBytes(dir.resolve("scalar.bin")));
        Files.write(dir.resolve("scalar-only.der"),
                new PrivateKeyInfo(Sm2Curve.keyAlgorithm(), new ECPrivateKey(256, d, null)).getEncoded());

        run("pkey", "-inform", "DER", "-in", "scalar-only.der", "-pubout", "-outform", "DER", "-out", "derived.der");

        assertThat(Files.readAllBytes(dir.resolve("derived.der"))).isEqualTo(envelope.publicKeyInfo().getEncoded());
    }

    @Test
    void openSslReadsTheOpenedKeyWrittenAsPkcs8() throws Exception {
        KeyPair opened = EnvelopedKeys.open(seal(encryption, signing), signing.getPrivate());
        Files.write(dir.resolve("opened.der"), EnvelopedKeys.privateKeyPkcs8(opened));

        OpenSsl.Result text = run("pkey", "-inform", "DER", "-in", "opened.der", "-noout", "-text");

        assertThat(text.output()).contains("ASN1 OID: SM2");
        assertThat(text.output().replaceAll("[\\s:]", ""))
                .contains(HEX.formatHex(Sm2Curve.fixed(scalar(encryption), "d")));
    }

    @Test
    void weDecryptWhatOpenSslEncrypts() throws Exception {
        byte[] message = new byte[16];
        RANDOM.nextBytes(message);
        Files.writeString(dir.resolve("sign-pub.pem"), pem("PUBLIC KEY", signing.getPublic().getEncoded()),
                StandardCharsets.US_ASCII);
        Files.write(dir.resolve("message.bin"), message);

        run("pkeyutl", "-encrypt", "-pubin", "-inkey", "sign-pub.pem", "-in", "message.bin", "-out", "cipher.der");
        byte[] der = Files.readAllBytes(dir.resolve("cipher.der"));
        Sm2Cipher cipher = Sm2Cipher.parse(der);

        assertThat(cipher.decrypt(signing.getPrivate())).isEqualTo(message);
        assertThat(cipher.encoded()).isEqualTo(der);
    }

    @Test
    void openSslParsesTheCsrResponseAsDer() throws Exception {
        KeyPair ca = sm2();
        CsrResponse response = new CsrResponse(List.of(certificate("sign", signing, ca)), seal(encryption, signing),
                List.of(certificate("encrypt", encryption, ca)));
        Files.write(dir.resolve("response.der"), response.encoded());

        OpenSsl.Result parsed = run("asn1parse", "-inform", "DER", "-in", "response.der", "-i");

        assertThat(parsed.output()).contains("cont [ 0 ]", "cont [ 1 ]", ":sm4-ecb", ":sm2").doesNotContain("Error");
        assertThat(parsed.output().lines().filter(line -> line.contains("d=1")).toList()).hasSize(3);
    }

    private OpenSsl.Result run(String... arguments) {
        OpenSsl.Result result = OpenSsl.run(dir, arguments);
        assertThat(result.exitCode()).as("%s", result).isZero();
        return result;
    }
}
