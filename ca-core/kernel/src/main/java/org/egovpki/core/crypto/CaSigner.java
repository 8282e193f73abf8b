package org.egovpki.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Owns one CA private key and signs with it; the key never leaves this object.
 *
 * <p>Invariants, checked in the constructor: the private key belongs to the public key (a probe
 * signature verifies), and the key's {@link KeyAlgorithm} fixes the signature algorithm
 * (SM3withSM2, SHA256withRSA or SHA256withECDSA) so a CA cannot sign with a mismatched
 * algorithm. SM2 signatures use the GM/T 0009 default user ID {@code 1234567812345678}, which is
 * Bouncy Castle's default and what relying parties assume for certificates, CRLs and OCSP.
 *
 * <p>The key is used through one provider: Bouncy Castle for keys held in memory (the PKCS#12
 * store), the token's SunPKCS11 provider for keys that stay on a PKCS#11 token
 * ({@link Pkcs11CaKeyStore}); the probe and every signature go through it, so a token key is never
 * asked to leave the token.
 *
 * <p>Thread-safe: every call creates its own {@link Signature} or {@link ContentSigner}.
 * {@link #toString()} shows the algorithm and the public key fingerprint, never the key.
 */
public final class CaSigner {

    private static final byte[] PROBE = "egov-pki CA key pair check".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final KeyAlgorithm algorithm;
    private final SecureRandom random;
    private final Provider provider;

    /**
     * @param privateKey the CA private key (SM2, RSA or EC)
     * @param publicKey  its public key, typically from the CA certificate
     * @param random     randomness for SM2/ECDSA nonces
     * @throws IllegalArgumentException if the keys do not form a pair or the algorithm is unsupported
     */
    public CaSigner(PrivateKey privateKey, PublicKey publicKey, SecureRandom random) {
        this(privateKey, publicKey, random, BouncyCastle.PROVIDER);
    }

    /**
     * A signer whose private key is used through {@code provider} (a PKCS#11 token's, for a key
     * that never leaves the token).
     */
    public CaSigner(PrivateKey privateKey, PublicKey publicKey, SecureRandom random, Provider provider) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.random = Objects.requireNonNull(random, "random");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.algorithm = KeyAlgorithm.of(publicKey);
        requireMatchingPair();
    }

    /** A signer for a freshly generated or loaded key pair. */
    public static CaSigner of(KeyPair keyPair, SecureRandom random) {
        Objects.requireNonNull(keyPair, "keyPair");
        return new CaSigner(keyPair.getPrivate(), keyPair.getPublic(), random);
    }

    /**
     * A new Bouncy Castle content signer for certificate, CRL and OCSP builders. For SM2 it uses
     * the default user ID {@code 1234567812345678} ({@code JcaContentSignerBuilder} cannot take
     * another one, see GM-CRYPTO.md).
     */
    public ContentSigner contentSigner() {
        try {
            return new JcaContentSignerBuilder(algorithm.signatureAlgorithm())
                    .setProvider(provider)
                    .setSecureRandom(random)
                    .build(privateKey);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create a " + algorithm.signatureAlgorithm()
                    + " content signer for CA key " + fingerprint() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Signs {@code data} with {@link KeyAlgorithm#signatureAlgorithm()}. SM2 and ECDSA signatures
     * are DER {@code SEQUENCE { r, s }}; RSA signatures are the raw PKCS#1 v1.5 block.
     */
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            Signature signature = Signature.getInstance(algorithm.signatureAlgorithm(), provider);
            signature.initSign(privateKey, random);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with CA key " + fingerprint() + " ("
                    + algorithm.signatureAlgorithm() + ") failed: " + e.getMessage(), e);
        }
    }

    /** The CA public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The key algorithm; it decides the signature algorithm. */
    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return "CaSigner[" + algorithm + ", public key sha256=" + fingerprint() + "]";
    }

    private String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void requireMatchingPair() {
        String signatureAlgorithm = algorithm.signatureAlgorithm();
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm, provider);
            signer.initSign(privateKey, random);
            signer.update(PROBE);
            byte[] probeSignature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm, BouncyCastle.PROVIDER);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            if (!verifier.verify(probeSignature)) {
                throw new IllegalArgumentException("the CA private key does not belong to the " + algorithm
                        + " public key " + fingerprint()
                        + "; check that the key and the certificate (chain) come from the same key pair");
            }
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the CA private key (" + privateKey.getAlgorithm()
                    + ") cannot sign with " + signatureAlgorithm + " for the " + algorithm
                    + " public key " + fingerprint() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot check the CA key pair with " + signatureAlgorithm
                    + ": " + e.getMessage(), e);
        }
    }
}
