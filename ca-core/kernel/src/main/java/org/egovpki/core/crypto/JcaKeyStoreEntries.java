package org.egovpki.core.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reading side every {@link CaKeyStore} shares over a JCA {@link KeyStore} (a PKCS#12 file's or
 * a PKCS#11 token's): entries by alias, their chains and signers. Subclasses make and store keys,
 * and decide which provider a key signs through ({@link #newSigner}). Synchronised on the instance,
 * as the subclasses' writes are.
 */
abstract class JcaKeyStoreEntries implements CaKeyStore {

    private final KeyStore keyStore;
    private final char[] keyPassword;
    private final String where;

    /**
     * @param keyPassword the entries' key password, or {@code null} (a token's keys need none)
     * @param where       the store in messages, e.g. "CA keystore /path" or "the PKCS#11 token in ..."
     */
    JcaKeyStoreEntries(KeyStore keyStore, char[] keyPassword, String where) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.keyPassword = keyPassword;
        this.where = Objects.requireNonNull(where, "where");
    }

    /** A signer for a stored key, through the provider the key belongs to. */
    abstract CaSigner newSigner(PrivateKey key, PublicKey publicKey);

    /** The JCA key store, for the subclass's writes (synchronise on this instance). */
    final KeyStore keyStore() {
        return keyStore;
    }

    @Override
    public synchronized boolean contains(String alias) {
        Objects.requireNonNull(alias, "alias");
        try {
            return keyStore.containsAlias(alias);
        } catch (GeneralSecurityException e) {
            throw unreadable(e);
        }
    }

    @Override
    public synchronized Optional<CaSigner> signer(String alias) {
        Objects.requireNonNull(alias, "alias");
        try {
            if (!keyStore.isKeyEntry(alias)) {
                return Optional.empty();
            }
            Key key = keyStore.getKey(alias, keyPassword);
            Certificate[] chain = keyStore.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new IllegalStateException(where + " holds \"" + alias
                        + "\" without a private key or without its certificate chain; restore it from a backup");
            }
            return Optional.of(newSigner(privateKey, chain[0].getPublicKey()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read CA key \"" + alias + "\" from " + where + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<X509Certificate> chain(String alias) {
        Objects.requireNonNull(alias, "alias");
        try {
            Certificate[] chain = keyStore.getCertificateChain(alias);
            return chain == null ? List.of() : Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw unreadable(e);
        }
    }

    @Override
    public synchronized Set<String> aliases() {
        try {
            return Set.copyOf(Collections.list(keyStore.aliases()));
        } catch (GeneralSecurityException e) {
            throw unreadable(e);
        }
    }

    private IllegalStateException unreadable(GeneralSecurityException e) {
        return new IllegalStateException(where + " cannot be read: " + e.getMessage(), e);
    }
}
