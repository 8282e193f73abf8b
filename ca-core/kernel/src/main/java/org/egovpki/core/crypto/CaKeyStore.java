package org.egovpki.core.crypto;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the CA private keys live, each under an alias with its certificate chain: a PKCS#12 file
 * ({@link Pkcs12CaKeyStore}, the default) or a PKCS#11 token ({@link Pkcs11CaKeyStore}, an HSM),
 * where keys are generated and used and never leave it.
 *
 * <p>A new key is made by the store ({@link #newKeyPair}), signs through {@link #signer(KeyPair)}
 * (a self-signed root signs its own certificate before it is stored), and is then stored with its
 * chain ({@link #put}). Every store keeps the same rules: an alias is never overwritten, an entry's
 * key belongs to the first certificate of its chain and each certificate is signed by the next, and
 * the private keys leave the store only inside a {@link CaSigner}.
 */
public interface CaKeyStore {

    /** A new key pair of {@code algorithm}, made where the store keeps its keys; not stored yet. */
    KeyPair newKeyPair(KeyAlgorithm algorithm);

    /** A signer for a key pair {@link #newKeyPair} returned, before (or after) it is stored. */
    CaSigner signer(KeyPair keyPair);

    /** Whether {@code alias} names an entry. */
    boolean contains(String alias);

    /**
     * Stores a key made by {@link #newKeyPair} with its chain (its own certificate first, root last).
     *
     * @throws IllegalArgumentException if the alias is malformed, the chain empty or broken, or the
     *     key not the first certificate's
     * @throws IllegalStateException if the alias exists already or the store cannot be written; the
     *     store is then unchanged
     */
    void put(String alias, PrivateKey key, X509Certificate[] chain);

    /** A signer for the key under {@code alias}, or empty if there is no key entry by that name. */
    Optional<CaSigner> signer(String alias);

    /** The certificate chain stored under {@code alias}, CA certificate first; empty if none. */
    List<X509Certificate> chain(String alias);

    /** All aliases. */
    Set<String> aliases();

    /** Same as {@link Pkcs12CaKeyStore#openOrCreate(Path, char[])}. */
    static Pkcs12CaKeyStore openOrCreate(Path file, char[] password) {
        return Pkcs12CaKeyStore.openOrCreate(file, password);
    }

    /** Same as {@link Pkcs12CaKeyStore#openOrCreate(Path, char[], SecureRandom)}. */
    static Pkcs12CaKeyStore openOrCreate(Path file, char[] password, SecureRandom random) {
        return Pkcs12CaKeyStore.openOrCreate(file, password, random);
    }
}
