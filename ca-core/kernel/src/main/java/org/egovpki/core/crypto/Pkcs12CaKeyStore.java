package org.egovpki.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
 *       recoverable. Aliases are lower-case ({@value KeyEntryRules#ALIAS_RULE}) because PKCS#12
 *       readers (Bouncy Castle's among them) compare aliases ignoring case; so does this store.</li>
 *   <li>Each entry's private key matches the first certificate of its chain, and each
 *       certificate of the chain is signed by the next one (checked on {@link #put}).</li>
 *   <li>The private keys never leave this class except inside a {@link CaSigner}.</li>
 * </ul>
 *
 * <p>The file is laid out as Bouncy Castle's {@code PKCS12-AES256-AES128} store writes it (PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256 for keys, AES-128 for certificates), which OpenSSL 3 reads without
 * {@code -legacy}, but it is written and read by {@link Pkcs12File}: a key is encrypted once, when it
 * is put, and decrypted when its signer is first asked for. A put costs the new key's derivation plus
 * two (certificates and MAC) whatever the number of keys, and an open two, where Bouncy Castle's store
 * re-encrypted every key at each put and every open decrypted every key (600,000 PBKDF2 iterations
 * each, a quarter to half a second) — a CA store grows by a sync-signing key per CA every 20 days. Files Bouncy Castle's store
 * wrote read as they are (a SHA-1 MAC until the next put); files in another layout (3DES, RC2,
 * foreign tools) are opened with Bouncy Castle's loader and written in this layout at the next put.
 *
 * <p>Thread-safe: all access is synchronised on this instance. Only one process may write a
 * given file.
 */
public final class Pkcs12CaKeyStore implements CaKeyStore {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs12CaKeyStore.class);

    private static final String STORE_TYPE = "PKCS12-AES256-AES128";

    private final Path file;
    private final char[] password;
    private final SecureRandom random;
    /** The entries by lower-case alias, in the order they were stored. */
    private final Map<String, Pkcs12File.Entry> entries = new LinkedHashMap<>();
    /** The private keys decrypted so far (or put in this process), by lower-case alias. */
    private final Map<String, PrivateKey> keys = new HashMap<>();

    private Pkcs12CaKeyStore(Path file, char[] password, SecureRandom random) {
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
     * array afterwards. Opening checks the password (the file's MAC) and reads the certificates;
     * a private key is decrypted when its signer is first asked for.
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
        Path absolute = file.toAbsolutePath();
        Pkcs12CaKeyStore store = new Pkcs12CaKeyStore(absolute, password.clone(), random);
        if (Files.exists(absolute)) {
            store.load();
            store.warnIfReadableByOthers();
        } else {
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
     * persists the keystore atomically before returning. Only this key is encrypted; the others are
     * written as they were.
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
        Pkcs12File.Entry entry;
        try {
            entry = Pkcs12File.seal(alias, key, List.of(ownChain), password, random);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot put CA key \"" + alias + "\" into keystore " + file
                    + ": " + e.getMessage(), e);
        }
        String name = name(alias);
        entries.put(name, entry);
        try {
            persist();
        } catch (RuntimeException e) {
            entries.remove(name);
            throw e;
        }
        keys.put(name, key);
        LOG.info("Stored CA key \"{}\" ({}) in {}", alias, signer.algorithm(), file);
    }

    @Override
    public synchronized boolean contains(String alias) {
        return entries.containsKey(name(alias));
    }

    @Override
    public synchronized Optional<CaSigner> signer(String alias) {
        String name = name(alias);
        Pkcs12File.Entry entry = entries.get(name);
        if (entry == null) {
            return Optional.empty();
        }
        PrivateKey key = keys.get(name);
        if (key == null) {
            try {
                key = Pkcs12File.open(entry, password);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read CA key \"" + alias + "\" from CA keystore " + file
                        + ": " + e.getMessage() + "; restore the file from a backup", e);
            }
            keys.put(name, key);
        }
        return Optional.of(new CaSigner(key, entry.chain().get(0).getPublicKey(), random));
    }

    /**
     * Decrypts now every key whose certificate is valid at {@code now} (the CA keys and the sync
     * signers in service), so that their first {@link #signer} costs nothing; keys whose
     * certificates have expired, such as retired sync signers, stay encrypted until asked for. For a
     * start that opens the store on a thread of its own while other work goes on.
     *
     * @return how many keys were decrypted
     * @throws IllegalStateException as {@link #signer} does, for a key that cannot be decrypted
     */
    public synchronized int openKeysValidAt(Instant now) {
        Objects.requireNonNull(now, "now");
        int opened = 0;
        for (Pkcs12File.Entry entry : entries.values()) {
            X509Certificate certificate = entry.chain().get(0);
            boolean valid = !now.isBefore(certificate.getNotBefore().toInstant())
                    && !now.isAfter(certificate.getNotAfter().toInstant());
            if (valid && !keys.containsKey(name(entry.alias()))) {
                signer(entry.alias());
                opened++;
            }
        }
        return opened;
    }

    @Override
    public synchronized List<X509Certificate> chain(String alias) {
        Pkcs12File.Entry entry = entries.get(name(alias));
        return entry == null ? List.of() : entry.chain();
    }

    @Override
    public synchronized Set<String> aliases() {
        return entries.values().stream().map(Pkcs12File.Entry::alias).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public String toString() {
        return "Pkcs12CaKeyStore[" + file + "]";
    }

    /** Aliases compare ignoring case, as in every PKCS#12 reader. */
    private static String name(String alias) {
        return Objects.requireNonNull(alias, "alias").toLowerCase(Locale.ROOT);
    }

    private void load() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CA keystore " + file + ": " + e
                    + "; check that the file is readable by this process", e);
        }
        Optional<List<Pkcs12File.Entry>> read;
        try {
            read = Pkcs12File.read(content, password);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Bouncy Castle's loader below decides: it says why a file is refused, in its words.
            LOG.debug("The PKCS#12 reader did not read {}: {}", file, e.toString());
            read = Optional.empty();
        }
        if (read.isPresent()) {
            read.get().forEach(this::add);
        } else {
            loadWithBouncyCastle(content);
        }
    }

    /**
     * A file in another layout: Bouncy Castle's loader reads any protection scheme. Its keys are
     * encrypted into this store's layout now (once), and the file is rewritten at the next put.
     */
    private void loadWithBouncyCastle(byte[] content) {
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance(STORE_TYPE, BouncyCastle.PROVIDER);
            keyStore.load(new ByteArrayInputStream(content), password);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot open CA keystore " + file
                    + ": wrong password or corrupted file (" + e.getMessage() + ")", e);
        }
        try {
            for (String alias : Collections.list(keyStore.aliases())) {
                if (!keyStore.isKeyEntry(alias)) {
                    continue;
                }
                Key key = keyStore.getKey(alias, password);
                Certificate[] chain = keyStore.getCertificateChain(alias);
                if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                    throw new IllegalStateException("CA keystore " + file + " holds \"" + alias
                            + "\" without a private key or without its certificate chain; restore it from a backup");
                }
                List<X509Certificate> certificates = Arrays.stream(chain).map(X509Certificate.class::cast).toList();
                add(Pkcs12File.seal(alias, privateKey, certificates, password, random));
                keys.put(name(alias), privateKey);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the keys of CA keystore " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * An entry read from the file. Two whose aliases differ only in case would be one entry here
     * (aliases compare ignoring case), and the next write would lose a key: such a file is refused.
     */
    private void add(Pkcs12File.Entry entry) {
        Pkcs12File.Entry other = entries.putIfAbsent(name(entry.alias()), entry);
        if (other != null) {
            throw new IllegalStateException("CA keystore " + file + " holds two keys named \"" + other.alias()
                    + "\" and \"" + entry.alias() + "\", which PKCS#12 readers take for one; restore the file from "
                    + "a backup");
        }
    }

    private void persist() {
        try {
            AtomicFiles.writeOwnerOnly(file, Pkcs12File.write(List.copyOf(entries.values()), password, random));
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
