package org.egovpki.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.GeneratedSecret;
import org.egovpki.core.crypto.KeystorePassword;
import org.egovpki.core.crypto.Pkcs12CaKeyStore;
import org.egovpki.core.km.centre.KmKeyStore;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * Opens the CA's and the KM's PKCS#12 key stores on a thread of their own while the directory
 * starts (step 5, docs/architecture.md).
 *
 * <p>Why: each store's file costs one PBKDF2 derivation (600,000 iterations) for the certificates
 * and 1,200,000 rounds of PKCS#12's derivation for the MAC, and each key in service one PBKDF2
 * derivation more when it is decrypted: about a second or two
 * on these machines, much of a restart, while the embedded directory's start keeps only one core
 * busy. So the CA store's keys whose certificates are valid now are decrypted here too
 * ({@link Pkcs12CaKeyStore#openKeysValidAt}); retired sync signers stay encrypted. Nothing else
 * changes: the same files, passwords and messages; a store that cannot be opened fails the start
 * where it did before, when its assembly asks for it.
 *
 * <p>Only what needs no directory and no operator is opened here: the CA store when it is the
 * PKCS#12 file and its password is known at start (not a locked start under key custody, not a
 * PKCS#11 token), and the KM store, whose password is in the data directory.
 */
final class KeyStoreOpening {

    private final Future<CaKeyStore> caKeyStore;
    private final Future<KmKeys> kmKeys;

    private KeyStoreOpening(Future<CaKeyStore> caKeyStore, Future<KmKeys> kmKeys) {
        this.caKeyStore = caKeyStore;
        this.kmKeys = kmKeys;
    }

    /** The KM key store and whether its password was generated at this start (the demo custody warning). */
    record KmKeys(KmKeyStore store, boolean passwordGenerated) {
    }

    /** Starts opening the stores in the background, a thread for each. */
    static KeyStoreOpening begin(EgovPkiConfig config, DataDirectory data, Secrets secrets, Clock clock,
                                 SecureRandom random) {
        boolean caFile = config.caKeys().store() == EgovPkiConfig.CaKeyStoreType.PKCS12 && secrets.caKeyStore() != null;
        CompletableFuture<CaKeyStore> ca = new CompletableFuture<>();
        CompletableFuture<KmKeys> km = new CompletableFuture<>();
        if (caFile) {
            open("egov-pki-ca-key-store", ca, () -> {
                CaKeyStore store = CaAssembly.keyStore(config.caKeys(), data, secrets, random);
                if (store instanceof Pkcs12CaKeyStore file) {
                    file.openKeysValidAt(clock.instant());
                }
                return store;
            });
        }
        open("egov-pki-km-key-store", km, () -> openKm(config.km(), data, clock, random));
        return new KeyStoreOpening(caFile ? ca : null, km);
    }

    /**
     * The CA key store: the one opened in the background, or, when none was (PKCS#11, a locked
     * start), opened now from {@code secrets}.
     */
    CaKeyStore caKeyStore(EgovPkiConfig.CaKeys caKeys, DataDirectory data, Secrets secrets, SecureRandom random) {
        return caKeyStore != null ? join(caKeyStore) : CaAssembly.keyStore(caKeys, data, secrets, random);
    }

    /** The KM key store, once opened. */
    KmKeys kmKeys() {
        return join(kmKeys);
    }

    private static KmKeys openKm(EgovPkiConfig.Km settings, DataDirectory data, Clock clock, SecureRandom random) {
        GeneratedSecret password = KeystorePassword.loadOrGenerate(data.secret("km-keystore.password"));
        KmKeyStore store = KmKeyStore.openOrCreate(data.keyManagement(), password.value(),
                new X500Name(settings.name()), clock, random);
        return new KmKeys(store, password.generated());
    }

    private static <T> void open(String threadName, CompletableFuture<T> future, Supplier<T> opening) {
        Thread thread = new Thread(() -> {
            try {
                future.complete(opening.get());
            } catch (RuntimeException | Error e) {
                future.completeExceptionally(e);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** The value, or the exception the opening threw, as it was thrown (its message is the start's error). */
    private static <T> T join(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while the key stores were being opened");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) e.getCause();
        }
    }
}
