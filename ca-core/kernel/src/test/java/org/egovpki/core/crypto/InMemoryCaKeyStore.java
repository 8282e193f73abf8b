package org.egovpki.core.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A test {@link CaKeyStore} over an in-memory Bouncy Castle PKCS#12 {@link KeyStore} that is never
 * written to a file, for tests about what is stored rather than about the file.
 *
 * <p>{@link Pkcs12CaKeyStore} encrypts each key with 600,000 PBKDF2 iterations and re-encrypts its
 * certificates and MAC on every {@link #put}; that is the product's price of an expensive password
 * guess, and made the CA's unit tests spend most of their time in SHA-256. This store keeps the
 * same rules on {@link #put} (alias syntax, no overwrite, key belongs to the first certificate,
 * each certificate signed by the next, checked by the same {@link KeyEntryRules}) and reads its
 * entries as the PKCS#11 store does ({@link JcaKeyStoreEntries}), so code under test sees the same
 * behaviour. Sharing one instance between two objects under test stands for a restart on the same
 * file; the file round trip itself is {@code Pkcs12CaKeyStoreTest}'s and {@code Pkcs12FileTest}'s
 * subject.
 */
public final class InMemoryCaKeyStore extends JcaKeyStoreEntries {

    private static final char[] KEY_PASSWORD = "in-memory".toCharArray();

    private final SecureRandom random;

    public InMemoryCaKeyStore(SecureRandom random) {
        super(emptyKeyStore(), KEY_PASSWORD, "in-memory CA keystore");
        this.random = Objects.requireNonNull(random, "random");
    }

    public InMemoryCaKeyStore() {
        this(new SecureRandom());
    }

    @Override
    public KeyPair newKeyPair(KeyAlgorithm algorithm) {
        return algorithm.generate(random);
    }

    @Override
    public CaSigner signer(KeyPair keyPair) {
        return CaSigner.of(keyPair, random);
    }

    @Override
    public synchronized void put(String alias, PrivateKey key, X509Certificate[] chain) {
        KeyEntryRules.requireValidAlias(alias);
        Objects.requireNonNull(key, "key");
        X509Certificate[] ownChain = KeyEntryRules.requireValidChain(alias, chain);
        // As in Pkcs12CaKeyStore: the signer's constructor refuses a key not of the first certificate.
        new CaSigner(key, ownChain[0].getPublicKey(), random);
        if (contains(alias)) {
            throw new IllegalStateException("in-memory CA keystore already holds alias \"" + alias
                    + "\"; CA keys are never overwritten, choose a new alias");
        }
        try {
            keyStore().setKeyEntry(alias, key, KEY_PASSWORD, ownChain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot put CA key \"" + alias + "\" into the in-memory keystore: "
                    + e.getMessage(), e);
        }
    }

    @Override
    CaSigner newSigner(PrivateKey key, PublicKey publicKey) {
        return new CaSigner(key, publicKey, random);
    }

    @Override
    public String toString() {
        return "InMemoryCaKeyStore" + aliases();
    }

    private static KeyStore emptyKeyStore() {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
            keyStore.load(null, null);
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Bouncy Castle cannot create an in-memory PKCS#12 keystore", e);
        }
    }
}
