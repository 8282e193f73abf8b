package org.egovpki.core.crypto;

import java.io.OutputStream;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.RuntimeOperatorException;
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
 * <p>An SM2 key held in memory signs through Bouncy Castle's {@link SM2Signer} directly, from a
 * pool of signers initialised once: initialising one derives the public point from the private key
 * and hashes it into Z (GM/T 0009), an elliptic-curve multiplication as costly as the signature
 * itself, which the JCA {@link Signature} repeated for every certificate, CRL and OCSP answer. The
 * signatures are the same (SM3withSM2, default user ID, DER {@code SEQUENCE { r, s }}).
 *
 * <p>Thread-safe: every call gets its own {@link Signature}, {@link ContentSigner} or pooled
 * {@link SM2Signer}, which one thread uses at a time.
 * {@link #toString()} shows the algorithm and the public key fingerprint, never the key.
 */
public final class CaSigner {

    private static final byte[] PROBE = "egov-pki CA key pair check".getBytes(StandardCharsets.US_ASCII);

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final KeyAlgorithm algorithm;
    private final SecureRandom random;
    private final Provider provider;
    /** The SM2 key's signing parameters, or null when the key is not SM2 in Bouncy Castle's hands. */
    private final CipherParameters sm2Parameters;
    private final Queue<SM2Signer> idleSm2Signers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sm2SignersInitialised = new AtomicInteger();

    private static final AlgorithmIdentifier SM3_WITH_SM2 =
            new DefaultSignatureAlgorithmIdentifierFinder().find(KeyAlgorithm.SM2.signatureAlgorithm());

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
        this.sm2Parameters = algorithm == KeyAlgorithm.SM2 && provider == BouncyCastle.PROVIDER
                ? sm2Parameters(privateKey, random) : null;
    }

    private static CipherParameters sm2Parameters(PrivateKey privateKey, SecureRandom random) {
        try {
            return new ParametersWithRandom(ECUtil.generatePrivateKeyParameter(privateKey), random);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("the CA private key (" + privateKey.getAlgorithm()
                    + ") is not an SM2 key Bouncy Castle can sign with: " + e.getMessage(), e);
        }
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
        if (sm2Parameters != null) {
            return new PooledSm2ContentSigner();
        }
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
        if (sm2Parameters != null) {
            SM2Signer signer = borrowSm2Signer();
            signer.update(data, 0, data.length);
            return signSm2(signer);
        }
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

    private SM2Signer borrowSm2Signer() {
        SM2Signer signer = idleSm2Signers.poll();
        if (signer == null) {
            signer = new SM2Signer();
            signer.init(true, sm2Parameters);
            sm2SignersInitialised.incrementAndGet();
        }
        return signer;
    }

    /**
     * Finishes the signature and gives the signer back: generating a signature resets it to Z alone,
     * ready for the next message. A signer that failed is dropped, not pooled.
     */
    private byte[] signSm2(SM2Signer signer) {
        try {
            byte[] signature = signer.generateSignature();
            idleSm2Signers.offer(signer);
            return signature;
        } catch (CryptoException | RuntimeException e) {
            throw new IllegalStateException("signing with CA key " + fingerprint() + " (SM3withSM2) failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A content signer over a pooled SM2 signer, taken from the pool at the first byte written (a
     * caller that only reads the algorithm identifier takes none) and given back with the signature.
     * Like every {@link ContentSigner}, for one thread and one signature.
     */
    private final class PooledSm2ContentSigner implements ContentSigner {
        private SM2Signer signer;
        private boolean signed;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                signer().update((byte) b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                signer().update(bytes, offset, length);
            }
        };

        private SM2Signer signer() {
            if (signed) {
                // The signer is back in the pool, perhaps another thread's by now.
                throw new IllegalStateException("this content signer has signed already; ask the CaSigner for another");
            }
            if (signer == null) {
                signer = borrowSm2Signer();
            }
            return signer;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return SM3_WITH_SM2;
        }

        @Override
        public OutputStream getOutputStream() {
            return stream;
        }

        @Override
        public byte[] getSignature() {
            SM2Signer current = signer();
            signed = true;
            try {
                return signSm2(current);
            } catch (IllegalStateException e) {
                throw new RuntimeOperatorException(e.getMessage(), e);
            }
        }
    }

    /** SM2 signers initialised so far, each at the cost of an EC multiplication (tests). */
    int sm2SignersInitialised() {
        return sm2SignersInitialised.get();
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
