package org.egovpki.core.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA keys on a PKCS#11 token (an HSM; SoftHSM2 in the tests), through the JDK's SunPKCS11
 * provider: keys are generated on the token as token objects that are private, sensitive and not
 * extractable, every signature is made by the token, and the certificate chains are stored beside
 * them under the alias as label. Nothing of a key is ever read out.
 *
 * <p>RSA and ECDSA (P-256) only: SunPKCS11 has no SM2 mechanism. Chinese HSMs expose SM2 through
 * GM/T 0018 (SDF) or vendor-defined PKCS#11 mechanisms; a driver for one would be another
 * {@link CaKeyStore} whose {@link CaSigner}s sign through the vendor's provider (docs/operations.md).
 *
 * <p>A key pair made by {@link #newKeyPair} is on the token at once, without a label; {@link #put}
 * names it. A crash between the two leaves an unlabelled key on the token that no alias reaches
 * (the token's own tools list it; it can be deleted).
 *
 * <p>Thread-safe: all access to the token's key store is synchronised on this instance.
 */
public final class Pkcs11CaKeyStore extends JcaKeyStoreEntries {

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11CaKeyStore.class);

    /** Which slot of the library holds the token: its slot id, or its index in the slot list. */
    public record Slot(Long id, Integer listIndex) {

        public Slot {
            if ((id == null) == (listIndex == null)) {
                throw new IllegalArgumentException("name the token's slot by id or by list index, exactly one");
            }
            if (listIndex != null && listIndex < 0) {
                throw new IllegalArgumentException("a slot list index is 0 or more, not " + listIndex);
            }
        }

        public static Slot id(long id) {
            return new Slot(id, null);
        }

        public static Slot listIndex(int index) {
            return new Slot(null, index);
        }

        @Override
        public String toString() {
            return id != null ? "slot " + id : "slot list index " + listIndex;
        }
    }

    private final Provider provider;
    private final SecureRandom random;
    private final String description;

    private Pkcs11CaKeyStore(Provider provider, KeyStore keyStore, SecureRandom random, String description) {
        super(keyStore, null, "the " + description);
        this.provider = provider;
        this.random = random;
        this.description = description;
    }

    /**
     * Loads the PKCS#11 library, logs in to the token in {@code slot} with {@code pin} (copied; the
     * caller may wipe its array) and opens its key store.
     *
     * @throws IllegalArgumentException if the library is not a readable file
     * @throws IllegalStateException    if the library, the slot or the PIN is refused, with the
     *                                  token's reason
     */
    public static Pkcs11CaKeyStore open(Path library, Slot slot, char[] pin, SecureRandom random) {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(random, "random");
        if (!Files.isRegularFile(library) || !Files.isReadable(library)) {
            throw new IllegalArgumentException("the PKCS#11 library " + library
                    + " is not a readable file; install the token's driver (SoftHSM2: apt-get install softhsm2, "
                    + "library /usr/lib/softhsm/libsofthsm2.so)");
        }
        String description = "PKCS#11 token in " + slot + " of " + library;
        Provider provider;
        try {
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new IllegalStateException("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
            }
            provider = base.configure("--" + configuration(library, slot));
        } catch (IllegalStateException | java.security.InvalidParameterException e) {
            throw new IllegalStateException("cannot use the " + description + ": " + rootMessage(e), e);
        }
        KeyStore keyStore;
        char[] ownPin = pin.clone();
        try {
            keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, ownPin);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot log in to the " + description
                    + " (wrong PIN, or the token is not initialised?): " + rootMessage(e), e);
        } finally {
            Arrays.fill(ownPin, '\0');
        }
        LOG.info("CA keys are on the {} ({})", description, provider.getName());
        return new Pkcs11CaKeyStore(provider, keyStore, random, description);
    }

    /** The SunPKCS11 configuration: new keys are token objects, private, sensitive, never extractable. */
    static String configuration(Path library, Slot slot) {
        return String.join("\n",
                "name = egovpki",
                "library = " + library.toAbsolutePath(),
                slot.id() != null ? "slot = " + slot.id() : "slotListIndex = " + slot.listIndex(),
                "attributes(generate, *, *) = {",
                "  CKA_TOKEN = true",
                "}",
                "attributes(generate, CKO_PRIVATE_KEY, *) = {",
                "  CKA_PRIVATE = true",
                "  CKA_SENSITIVE = true",
                "  CKA_EXTRACTABLE = false",
                "}",
                "");
    }

    @Override
    public synchronized KeyPair newKeyPair(KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (algorithm == KeyAlgorithm.SM2) {
            throw new IllegalArgumentException("SM2 keys cannot be made on the " + description
                    + ": the JDK's SunPKCS11 has no SM2 mechanism; keep SM2 CAs in the PKCS#12 store "
                    + "(caKeys.store: pkcs12) or use an RSA or EC chain here (docs/operations.md, \"PKCS#11\")");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm == KeyAlgorithm.RSA ? "RSA" : "EC",
                    provider);
            generator.initialize(algorithm.parameterSpec(algorithm.defaultKeySize()), random);
            KeyPair keyPair = generator.generateKeyPair();
            KeyAlgorithm actual = KeyAlgorithm.of(keyPair.getPublic());
            if (actual != algorithm) {
                throw new IllegalStateException("asked the " + description + " for a " + algorithm
                        + " key pair but it made a " + actual + " key");
            }
            return keyPair;
        } catch (GeneralSecurityException | java.security.ProviderException e) {
            throw new IllegalStateException("the " + description + " cannot generate a " + algorithm + " key pair: "
                    + rootMessage(e), e);
        }
    }

    @Override
    public CaSigner signer(KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return new CaSigner(keyPair.getPrivate(), keyPair.getPublic(), random, provider);
    }

    @Override
    public synchronized void put(String alias, PrivateKey key, X509Certificate[] chain) {
        KeyEntryRules.requireValidAlias(alias);
        Objects.requireNonNull(key, "key");
        X509Certificate[] ownChain = KeyEntryRules.requireValidChain(alias, chain);
        if (!provider.getName().equals(providerOf(key))) {
            throw new IllegalArgumentException("CA key \"" + alias + "\" was not made on the " + description
                    + "; keys are generated on the token (newKeyPair), never imported");
        }
        CaSigner signer = new CaSigner(key, ownChain[0].getPublicKey(), random, provider);
        if (contains(alias)) {
            throw new IllegalStateException("the " + description + " already holds alias \"" + alias
                    + "\"; CA keys are never overwritten, choose a new alias");
        }
        try {
            keyStore().setKeyEntry(alias, key, null, ownChain);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot label CA key \"" + alias + "\" and store its chain on the "
                    + description + ": " + rootMessage(e), e);
        }
        LOG.info("Stored CA key \"{}\" ({}) on the {}", alias, signer.algorithm(), description);
    }

    @Override
    CaSigner newSigner(PrivateKey key, PublicKey publicKey) {
        return new CaSigner(key, publicKey, random, provider);
    }

    @Override
    public String toString() {
        return "Pkcs11CaKeyStore[" + description + "]";
    }

    /** The name of the provider a key belongs to, as SunPKCS11 keys tell it in their class and toString. */
    private String providerOf(PrivateKey key) {
        // SunPKCS11 keys are sun.security.pkcs11.P11Key subclasses whose toString starts with the
        // provider's name ("SunPKCS11-egovpki EC private key, ..."): the only public way to tell.
        String text = String.valueOf(key);
        return text.startsWith(provider.getName() + " ") ? provider.getName() : key.getClass().getName();
    }


    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root + ")";
    }
}
