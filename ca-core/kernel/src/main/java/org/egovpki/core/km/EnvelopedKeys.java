package org.egovpki.core.km;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Objects;

import org.bouncycastle.math.ec.ECPoint;
import org.egovpki.core.crypto.Sm4;

/**
 * Opens an {@link Sm2EnvelopedKey}: what a subscriber's token does on import, and what a test,
 * the CLI or a key-recovery officer does in software.
 *
 * <p>This is the one place in the package that handles an escrowed private key in the clear. The
 * SM4 key and the decrypted scalar bytes are wiped once the key pair is built; the returned
 * {@link KeyPair} is the caller's to protect.
 */
public final class EnvelopedKeys {

    private EnvelopedKeys() {
    }

    /**
     * Decrypts the SM4 key with {@code recipient}, decrypts the scalar with it, and checks that
     * d·G is the envelope's public key.
     *
     * @param recipient the SM2 private key the envelope was sealed to (the subscriber's signing key)
     * @return the enveloped key pair as Bouncy Castle JCA keys ("EC" on named curve sm2p256v1)
     * @throws IllegalArgumentException if {@code recipient} is not an SM2 key, is not the key the
     *     envelope was sealed to (or the SM2Cipher was altered), or if the decrypted scalar does
     *     not match the envelope's public key (the encrypted scalar or public key was altered)
     */
    public static KeyPair open(Sm2EnvelopedKey envelope, PrivateKey recipient) {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(recipient, "recipient");
        byte[] sm4Key;
        try {
            sm4Key = envelope.symEncryptedKey().decrypt(recipient);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot open the SM2EnvelopedKey: " + e.getMessage(), e);
        }
        byte[] scalar = null;
        try {
            if (sm4Key.length != Sm4.KEY_LENGTH) {
                // The record guarantees 16 ciphertext bytes and SM2 preserves length; defensive.
                throw new IllegalArgumentException("cannot open the SM2EnvelopedKey: the decrypted symmetric key is "
                        + sm4Key.length + " bytes, not a " + Sm4.KEY_LENGTH + "-byte SM4 key");
            }
            scalar = Sm4.decryptEcb(sm4Key, envelope.encryptedPrivateKey());
            BigInteger d = new BigInteger(1, scalar);
            ECPoint expected = Sm2Curve.point(envelope.publicKey(), "SM2EnvelopedKey Sm2PublicKey");
            if (!Sm2Curve.isScalar(d) || !Sm2Curve.multiplyG(d).equals(expected)) {
                throw new IllegalArgumentException("the private key in the SM2EnvelopedKey does not match its public key"
                        + " (d·G differs): the encrypted private key or the public key was altered");
            }
            return Sm2Curve.keyPair(d, expected);
        } finally {
            Arrays.fill(sm4Key, (byte) 0);
            if (scalar != null) {
                Arrays.fill(scalar, (byte) 0);
            }
        }
    }

    /**
     * The private key of an opened pair as PKCS#8 PrivateKeyInfo DER (id-ecPublicKey,
     * sm2p256v1), which OpenSSL, Bouncy Castle and the JCA {@code KeyFactory} read.
     *
     * @throws IllegalArgumentException if the private key is not an exportable SM2 key
     */
    public static byte[] privateKeyPkcs8(KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        PrivateKey privateKey = Objects.requireNonNull(keyPair.getPrivate(), "private key");
        Sm2Curve.privateKey(privateKey, "private key");
        byte[] encoded = privateKey.getEncoded();
        if (!"PKCS#8".equalsIgnoreCase(privateKey.getFormat()) || encoded == null) {
            throw new IllegalArgumentException("private key (" + privateKey.getAlgorithm()
                    + ") cannot be exported as PKCS#8; its format is " + privateKey.getFormat());
        }
        return encoded;
    }
}
