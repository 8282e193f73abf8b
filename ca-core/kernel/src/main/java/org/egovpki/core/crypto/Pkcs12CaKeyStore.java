package org.egovpki.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA keys and their certificate chains, kept in one password-protected PKCS#12 file.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The file on disk is always a complete keystore: every change is written to a temporary
 *       file, fsynced and renamed over the old one, so a crash leaves the old or the new
 *       keystore, never half of one. It is created owner-only (0600) where POSIX permissions
 *       exist.</li>
 *   <li>An alias, once written, is never overwritten: losing a CA key by a typo is not
 *       recoverable. Aliases are lower-case ({@value KeyEntryRules#ALIAS_RULE}) because Bouncy Castle's
 *       PKCS#12 store compares aliases ignoring case.</li>
 *   <li>Each entry's private key matches the first certificate of its chain, and each
 *       certificate of the chain is signed by the next one (checked on {@link #put}).</li>
 *   <li>The private keys never leave this class except inside a {@link CaSigner}.</li>
 * </ul>
 *
 * <p>The file is written by Bouncy Castle's PKCS#12 implementation (the JDK's does not know
 * SM2 keys) with PBES2/PBKDF2-HMAC-SHA256 and AES-256 for keys and AES-128 for certificates
 * ({@code PKCS12-AES256-AES128}); plain BC {@code "PKCS12"} would use 3DES and RC2-40, which
 * OpenSSL 3 refuses to read without {@code -legacy}. Storing takes a second or more because of
 * the PBKDF iteration counts (600,000 per key); that is the price of a guessed password being
 * expensive. Opening reads the file with {@link Pkcs12Reader} (the same derivations through the
 * JDK's SHA instructions, about half the CPU), and with Bouncy Castle's loader whatever that does
 * not read.
 *
 * <p>Thread-safe: all access is synchronised on this instance. Only one process may write a
 * given file.
 */
public final class Pkcs12CaKeyStore extends JcaKeyStoreEntries {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs12CaKeyStore.class);

    private static final String STORE_TYPE = "PKCS12-AES256-AES128";

    private final Path file;
    private final char[] password;
    private final SecureRandom random;

    private Pkcs12CaKeyStore(Path file, char[] password, SecureRandom random, KeyStore keyStore) {
        super(keyStore, password, "CA keystore " + file);
        this.file = file;
        this.password = password;
        this.random = random;
    }

    /** Same as {@link #openOrCreate(Path, char[], SecureRandom)} with a new {@link SecureRandom}. */
    public static Pkcs12CaKeyStore openOrCreate(Path file, char[] password) {
        return openOrCreate(file, password, new SecureRandom());
    }

    /**
     * Opens the keystore at {@code file}, or creates an empty one there (and any missing parent
     * directories) if the file does not exist. The password is copied; the caller may wipe its
     * array afterwards.
     *
     * @param random randomness for the signers handed out by {@link #signer(String)}
     * @throws IllegalStateException if the file cannot be read or written, or if the password is
     *     wrong or the file corrupted
     */
    public static Pkcs12CaKeyStore openOrCreate(Path file, char[] password, SecureRandom random) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(random, "random");
        if (password.length == 0) {
            throw new IllegalArgumentException("the password for CA keystore " + file
                    + " is empty; a CA keystore needs a password");
        }
        char[] ownPassword = password.clone();
        Path absolute = file.toAbsolutePath();
        Pkcs12CaKeyStore store;
        if (Files.exists(absolute)) {
            store = new Pkcs12CaKeyStore(absolute, ownPassword, random, load(absolute, ownPassword));
            store.warnIfReadableByOthers();
        } else {
            store = new Pkcs12CaKeyStore(absolute, ownPassword, random, empty());
            // Written at once so the password is bound to the file from the first start on.
            store.persist();
            LOG.info("Created empty CA keystore {}", absolute);
        }
        return store;
    }

    /** The keystore file (absolute). */
    public Path file() {
        return file;
    }

    /** A key pair generated in memory, signing through Bouncy Castle until {@link #put} stores it. */
    @Override
    public KeyPair newKeyPair(KeyAlgorithm algorithm) {
        return algorithm.generate(random);
    }

    @Override
    public CaSigner signer(KeyPair keyPair) {
        return CaSigner.of(keyPair, random);
    }

    /**
     * Adds a CA key with its chain (the CA's own certificate first, then its issuers) and
     * persists the keystore atomically before returning.
     *
     * @throws IllegalArgumentException if the alias is malformed, the chain empty, the key not the
     *     chain's first certificate's, or a certificate not signed by the next one
     * @throws IllegalStateException if the alias exists already or the file cannot be written; the
     *     keystore (in memory and on disk) is then unchanged
     */
    @Override
    public synchronized void put(String alias, PrivateKey key, X509Certificate[] chain) {
        KeyEntryRules.requireValidAlias(alias);
        Objects.requireNonNull(key, "key");
        X509Certificate[] ownChain = KeyEntryRules.requireValidChain(alias, chain);
        // The signer's constructor refuses a key that does not belong to the first certificate.
        CaSigner signer = new CaSigner(key, ownChain[0].getPublicKey(), random);
        if (contains(alias)) {
            throw new IllegalStateException("CA keystore " + file + " already holds alias \"" + alias
                    + "\"; CA keys are never overwritten, choose a new alias");
        }
        try {
            keyStore().setKeyEntry(alias, key, password, ownChain);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot put CA key \"" + alias + "\" into keystore " + file
                    + ": " + e.getMessage(), e);
        }
        try {
            persist();
        } catch (RuntimeException e) {
            try {
                keyStore().deleteEntry(alias);
            } catch (GeneralSecurityException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        LOG.info("Stored CA key \"{}\" ({}) in {}", alias, signer.algorithm(), file);
    }

    @Override
    CaSigner newSigner(PrivateKey key, PublicKey publicKey) {
        return new CaSigner(key, publicKey, random);
    }

    @Override
    public String toString() {
        return "Pkcs12CaKeyStore[" + file + "]";
    }

    private static KeyStore empty() {
        try {
            KeyStore keyStore = KeyStore.getInstance(STORE_TYPE, BouncyCastle.PROVIDER);
            keyStore.load(null, null);
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Bouncy Castle cannot create a " + STORE_TYPE + " keystore: "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, char[] password) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CA keystore " + file + ": " + e
                    + "; check that the file is readable by this process", e);
        }
        try {
            Optional<KeyStore> read = Pkcs12Reader.read(content, password, STORE_TYPE);
            if (read.isPresent()) {
                return read.get();
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // Bouncy Castle's loader below decides: it says why a file is refused, in its words.
            LOG.debug("The fast PKCS#12 reader did not read {}: {}", file, e.toString());
        }
        try {
            // BC's PKCS#12 loader reads any protection scheme; the type only decides how store() writes.
            KeyStore keyStore = KeyStore.getInstance(STORE_TYPE, BouncyCastle.PROVIDER);
            keyStore.load(new ByteArrayInputStream(content), password);
            return keyStore;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot open CA keystore " + file
                    + ": wrong password or corrupted file (" + e.getMessage() + ")", e);
        }
    }

    private void persist() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            keyStore().store(out, password);
            AtomicFiles.writeOwnerOnly(file, out.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write CA keystore " + file + ": " + e
                    + "; check that its directory exists and is writable", e);
        }
    }

    private void warnIfReadableByOthers() {
        try {
            AtomicFiles.posixPermissions(file)
                    .filter(permissions -> !AtomicFiles.OWNER_ONLY.containsAll(permissions))
                    .ifPresent(permissions -> LOG.warn(
                            "CA keystore {} is accessible by others ({}); run: chmod 600 {}",
                            file, PosixFilePermissions.toString(permissions), file));
        } catch (IOException e) {
            LOG.warn("Cannot read the permissions of CA keystore {}: {}", file, e.toString());
        }
    }

}
