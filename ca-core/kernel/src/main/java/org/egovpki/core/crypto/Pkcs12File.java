package org.egovpki.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.interfaces.PBEKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The PKCS#12 file of a {@link Pkcs12CaKeyStore}, held as its parts so that each private key is
 * encrypted once, when it is stored, and decrypted only when it is used.
 *
 * <p>Why: every private key is protected by its own PBKDF2 derivation (600,000 iterations of
 * HMAC-SHA256). The store used to keep its keys in Bouncy Castle's key store, which encrypts every
 * key again whenever the file is written (in pure Java), and to open the file by decrypting every key
 * (through the JDK), so the cost of an open and of a put grew with the number of keys — and a CA
 * store only grows: each CA's sync-signing key is renewed every 20 days
 * and the old entries stay. A year of renewals for two CAs would have made every restart decrypt
 * some 40 keys and every renewal re-encrypt them (about 0.5 s each on these machines). Here a key's
 * bag, once encrypted, is written again byte for byte; an open checks the MAC and decrypts the
 * certificates (two derivations whatever the number of keys); {@link #open} decrypts one key when
 * its signer is first asked for. A new key bag is read back at once (its parameters, and its
 * ciphertext decrypted with the same derived key), since it will not be decrypted again until the
 * key is used. All derivations run through the JDK's providers, whose SHA-256 and SHA-1 use the
 * processor's SHA instructions, about twice as fast as Bouncy Castle's pure Java.
 * The iteration counts are not lowered: nothing is weakened.
 *
 * <p>The layout is the one Bouncy Castle's {@code PKCS12-AES256-AES128} store writes, which OpenSSL 3
 * reads without {@code -legacy}: the shrouded key bags (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) in
 * a data part, the certificate bags encrypted in one part (PBES2, AES-128-CBC), and a MAC over both.
 * Files written here carry an HMAC-SHA256 MAC (1,200,000 iterations of PKCS#12's key derivation
 * with SHA-256); files Bouncy Castle wrote carry HMAC-SHA1 with the same count, and read as well.
 * {@link #read} answers empty for any other layout, which the caller then loads with Bouncy
 * Castle's loader. The MAC is checked before anything read is returned.
 */
final class Pkcs12File {

    /** PBKDF2 iterations of every key bag and of the certificate part (OWASP's figure for SHA-256). */
    static final int ITERATIONS = 600_000;
    /** Iterations of the MAC's PKCS#12 key derivation: Bouncy Castle's count, with SHA-256 here. */
    static final int MAC_ITERATIONS = 1_200_000;

    private static final ASN1ObjectIdentifier HMAC_SHA256 = PKCSObjectIdentifiers.id_hmacWithSHA256;
    private static final int SALT_BYTES = 20;

    /**
     * A key entry: the key's bag as encrypted once (its alias and local key id among the bag's
     * attributes) and its certificate chain, CA certificate first.
     */
    record Entry(String alias, SafeBag keyBag, List<X509Certificate> chain) {

        Entry {
            Objects.requireNonNull(alias, "alias");
            Objects.requireNonNull(keyBag, "keyBag");
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("the key \"" + alias + "\" has no certificate chain");
            }
        }

        /** The bag's local key id: the attribute the first certificate of the chain carries too. */
        byte[] localKeyId() {
            return Pkcs12File.localKeyId(keyBag).getOctets();
        }
    }

    private Pkcs12File() {
    }

    /**
     * Encrypts {@code key} into a shrouded key bag under {@code password}: the one derivation a new
     * key costs.
     */
    static Entry seal(String alias, PrivateKey key, List<X509Certificate> chain, char[] password,
                      SecureRandom random) throws GeneralSecurityException {
        byte[] plain = key.getEncoded();
        if (plain == null) {
            throw new GeneralSecurityException("the key \"" + alias + "\" cannot be exported to be stored in a file");
        }
        try {
            // A key that would not decode when read back is refused now, not when it is needed.
            privateKey(plain);
            Pbes2 scheme = Pbes2.fresh(256, random);
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(scheme.algorithm(),
                    scheme.encryptChecked(plain, password));
            byte[] localKeyId = MessageDigest.getInstance("SHA-1").digest(chain.get(0).getEncoded());
            return new Entry(alias, new SafeBag(PKCSObjectIdentifiers.pkcs8ShroudedKeyBag, info,
                    attributes(alias, localKeyId)), chain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Decrypts the private key of {@code entry}. */
    static PrivateKey open(Entry entry, char[] password) throws GeneralSecurityException {
        EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(entry.keyBag().getBagValue());
        Pbes2 scheme = Pbes2.of(info.getEncryptionAlgorithm()).orElseThrow(() -> new GeneralSecurityException(
                "the key \"" + entry.alias() + "\" is protected by a scheme this store does not decrypt"));
        byte[] plain = scheme.decrypt(info.getEncryptedData(), password);
        try {
            return privateKey(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The file of {@code entries} under {@code password}: their key bags as they are, the
     * certificates of their chains encrypted afresh, and a fresh MAC. Costs two derivations, however
     * many entries there are.
     */
    static byte[] write(List<Entry> entries, char[] password, SecureRandom random) throws GeneralSecurityException {
        try {
            ASN1EncodableVector keyBags = new ASN1EncodableVector();
            for (Entry entry : entries) {
                keyBags.add(entry.keyBag());
            }
            Pbes2 certificateScheme = Pbes2.fresh(128, random);
            byte[] certificates = new DERSequence(certificateBags(entries)).getEncoded(ASN1Encoding.DER);
            EncryptedData encrypted = new EncryptedData(PKCSObjectIdentifiers.data, certificateScheme.algorithm(),
                    new DEROctetString(certificateScheme.encrypt(certificates, password)));
            AuthenticatedSafe safe = new AuthenticatedSafe(new ContentInfo[] {
                new ContentInfo(PKCSObjectIdentifiers.data,
                        new DEROctetString(new DERSequence(keyBags).getEncoded(ASN1Encoding.DER))),
                new ContentInfo(PKCSObjectIdentifiers.encryptedData, encrypted)});
            byte[] authenticated = safe.getEncoded(ASN1Encoding.DER);

            byte[] macSalt = new byte[SALT_BYTES];
            random.nextBytes(macSalt);
            Mac mac = Mac.getInstance("HmacPBESHA256");
            mac.init(new PasswordKey(password), new PBEParameterSpec(macSalt, MAC_ITERATIONS));
            MacData macData = new MacData(new DigestInfo(
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                    mac.doFinal(authenticated)), macSalt, MAC_ITERATIONS);
            return new Pfx(new ContentInfo(PKCSObjectIdentifiers.data, new DEROctetString(authenticated)), macData)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode the PKCS#12 file: " + e.getMessage(), e);
        }
    }

    /**
     * Each entry's first certificate with the entry's alias and local key id, then every other
     * certificate of the chains once.
     */
    private static ASN1EncodableVector certificateBags(List<Entry> entries) throws GeneralSecurityException {
        ASN1EncodableVector bags = new ASN1EncodableVector();
        Set<String> written = new HashSet<>();
        Set<String> certificatesWritten = new HashSet<>();
        for (Entry entry : entries) {
            byte[] der = entry.chain().get(0).getEncoded();
            if (written.add(hex(der) + "/" + hex(entry.localKeyId()))) {
                bags.add(certificateBag(der, attributes(entry.alias(), entry.localKeyId())));
                certificatesWritten.add(hex(der));
            }
        }
        for (Entry entry : entries) {
            for (X509Certificate certificate : entry.chain().subList(1, entry.chain().size())) {
                byte[] der = certificate.getEncoded();
                if (certificatesWritten.add(hex(der))) {
                    bags.add(certificateBag(der, null));
                }
            }
        }
        return bags;
    }

    private static SafeBag certificateBag(byte[] der, ASN1Set attributes) {
        return new SafeBag(PKCSObjectIdentifiers.certBag,
                new CertBag(PKCSObjectIdentifiers.x509Certificate, new DEROctetString(der)), attributes);
    }

    private static ASN1Set attributes(String alias, byte[] localKeyId) {
        return new DERSet(new ASN1Encodable[] {
            new Attribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERSet(new DERBMPString(alias))),
            new Attribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DERSet(new DEROctetString(localKeyId)))});
    }

    /**
     * The key entries of {@code content}, their keys still encrypted, or empty when the file uses a
     * layout this class does not handle.
     *
     * @throws GeneralSecurityException if the MAC does not match (wrong password or damaged file),
     *     or a part does not decrypt or decode
     */
    static Optional<List<Entry>> read(byte[] content, char[] password) throws GeneralSecurityException {
        Pfx pfx;
        byte[] authenticated;
        List<ContentInfo> parts;
        try {
            pfx = Pfx.getInstance(ASN1Primitive.fromByteArray(content));
            if (pfx.getMacData() == null || !PKCSObjectIdentifiers.data.equals(pfx.getAuthSafe().getContentType())) {
                return Optional.empty();
            }
            authenticated = ASN1OctetString.getInstance(pfx.getAuthSafe().getContent()).getOctets();
            parts = Arrays.asList(AuthenticatedSafe.getInstance(ASN1Primitive.fromByteArray(authenticated))
                    .getContentInfo());
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's structure classes throw whatever a malformed sequence makes them throw.
            throw new GeneralSecurityException("not a PKCS#12 file: " + e, e);
        }
        Optional<String> macAlgorithm = macAlgorithm(pfx.getMacData());
        if (macAlgorithm.isEmpty()) {
            return Optional.empty();
        }

        checkMac(pfx.getMacData(), macAlgorithm.get(), authenticated, password);
        List<SafeBag> keyBags = new ArrayList<>();
        List<SafeBag> certificateBags = new ArrayList<>();
        for (ContentInfo part : parts) {
            if (PKCSObjectIdentifiers.data.equals(part.getContentType())) {
                for (SafeBag bag : bags(ASN1OctetString.getInstance(part.getContent()).getOctets())) {
                    if (!PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(bag.getBagId())) {
                        return Optional.empty();
                    }
                    keyBags.add(bag);
                }
            } else if (PKCSObjectIdentifiers.encryptedData.equals(part.getContentType())) {
                EncryptedData encrypted = EncryptedData.getInstance(part.getContent());
                Optional<Pbes2> scheme = Pbes2.of(encrypted.getEncryptionAlgorithm());
                if (scheme.isEmpty()) {
                    return Optional.empty();
                }
                for (SafeBag bag : bags(scheme.get().decrypt(encrypted.getContent().getOctets(), password))) {
                    if (!PKCSObjectIdentifiers.certBag.equals(bag.getBagId())) {
                        return Optional.empty();
                    }
                    certificateBags.add(bag);
                }
            } else {
                return Optional.empty();
            }
        }
        for (SafeBag bag : keyBags) {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(bag.getBagValue());
            if (Pbes2.of(info.getEncryptionAlgorithm()).isEmpty() || friendlyName(bag).isEmpty()
                    || localKeyId(bag) == null) {
                return Optional.empty();
            }
        }
        return Optional.of(entries(keyBags, certificateBags));
    }

    private static PrivateKey privateKey(byte[] encoded) throws GeneralSecurityException {
        // The provider's construction registers the key converters getPrivateKey uses.
        Objects.requireNonNull(BouncyCastle.PROVIDER);
        try {
            PrivateKey key = BouncyCastleProvider.getPrivateKey(PrivateKeyInfo.getInstance(encoded));
            if (key == null) {
                throw new GeneralSecurityException("a key bag holds a key of an unknown algorithm");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new GeneralSecurityException("a key bag does not decode: " + e.getMessage(), e);
        }
    }

    private static List<Entry> entries(List<SafeBag> keyBags, List<SafeBag> certificateBags)
            throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER);
        Map<String, X509Certificate> byLocalKeyId = new LinkedHashMap<>();
        List<X509Certificate> certificates = new ArrayList<>();
        for (SafeBag bag : certificateBags) {
            CertBag certBag = CertBag.getInstance(bag.getBagValue());
            if (!PKCSObjectIdentifiers.x509Certificate.equals(certBag.getCertId())) {
                throw new GeneralSecurityException("a certificate bag holds " + certBag.getCertId() + ", not X.509");
            }
            X509Certificate certificate = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(ASN1OctetString.getInstance(certBag.getCertValue()).getOctets()));
            certificates.add(certificate);
            ASN1OctetString id = localKeyId(bag);
            if (id != null) {
                X509Certificate other = byLocalKeyId.putIfAbsent(hex(id.getOctets()), certificate);
                if (other != null && !other.equals(certificate)) {
                    throw new GeneralSecurityException("two different certificates carry the local key id "
                            + hex(id.getOctets()) + ": the file is damaged");
                }
            }
        }
        List<Entry> entries = new ArrayList<>(keyBags.size());
        for (SafeBag bag : keyBags) {
            String alias = friendlyName(bag).orElseThrow();
            X509Certificate first = byLocalKeyId.get(hex(localKeyId(bag).getOctets()));
            if (first == null) {
                throw new GeneralSecurityException("the key \"" + alias + "\" has no certificate in the file");
            }
            entries.add(new Entry(alias, bag, chain(first, certificates)));
        }
        return entries;
    }

    /** {@code first}, then its issuer among {@code certificates}, and so on up to a self-issued one. */
    private static List<X509Certificate> chain(X509Certificate first, List<X509Certificate> certificates) {
        List<X509Certificate> chain = new ArrayList<>(List.of(first));
        X509Certificate current = first;
        while (!current.getIssuerX500Principal().equals(current.getSubjectX500Principal())
                && chain.size() <= certificates.size()) {
            X509Certificate issuer = issuerOf(current, certificates);
            if (issuer == null || chain.contains(issuer)) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static X509Certificate issuerOf(X509Certificate certificate, List<X509Certificate> certificates) {
        for (X509Certificate candidate : certificates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(candidate.getPublicKey(), BouncyCastle.PROVIDER);
                    return candidate;
                } catch (GeneralSecurityException notThisOne) {
                    // Same name, other key (a CA after a key changeover): try the next.
                }
            }
        }
        return null;
    }

    private static Optional<String> macAlgorithm(MacData macData) {
        ASN1ObjectIdentifier digest = macData.getMac().getAlgorithmId().getAlgorithm();
        if (OIWObjectIdentifiers.idSHA1.equals(digest)) {
            return Optional.of("HmacPBESHA1");
        }
        if (NISTObjectIdentifiers.id_sha256.equals(digest)) {
            return Optional.of("HmacPBESHA256");
        }
        return Optional.empty();
    }

    /** PKCS#12's MAC: HMAC over the authenticated safe, keyed by PKCS#12's own key derivation. */
    private static void checkMac(MacData macData, String algorithm, byte[] authenticated, char[] password)
            throws GeneralSecurityException {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new PasswordKey(password),
                new PBEParameterSpec(macData.getSalt(), macData.getIterationCount().intValueExact()));
        byte[] expected = macData.getMac().getDigest();
        if (!MessageDigest.isEqual(mac.doFinal(authenticated), expected)) {
            throw new GeneralSecurityException("the PKCS#12 MAC does not match: wrong password or damaged file");
        }
    }

    private static List<SafeBag> bags(byte[] encoded) throws GeneralSecurityException {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(encoded));
            List<SafeBag> bags = new ArrayList<>(sequence.size());
            for (ASN1Encodable element : sequence) {
                bags.add(SafeBag.getInstance(element));
            }
            return bags;
        } catch (IOException | IllegalArgumentException e) {
            throw new GeneralSecurityException("a PKCS#12 part does not decode: " + e.getMessage(), e);
        }
    }

    private static Optional<String> friendlyName(SafeBag bag) {
        ASN1Encodable value = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_friendlyName);
        return value instanceof DERBMPString name ? Optional.of(name.getString()) : Optional.empty();
    }

    private static ASN1OctetString localKeyId(SafeBag bag) {
        ASN1Encodable value = attribute(bag, PKCSObjectIdentifiers.pkcs_9_at_localKeyId);
        return value instanceof ASN1OctetString id ? id : null;
    }

    private static ASN1Encodable attribute(SafeBag bag, ASN1ObjectIdentifier type) {
        ASN1Set attributes = bag.getBagAttributes();
        if (attributes == null) {
            return null;
        }
        for (ASN1Encodable element : attributes) {
            Attribute attribute = Attribute.getInstance(element);
            if (type.equals(attribute.getAttrType()) && attribute.getAttrValues().size() == 1) {
                return attribute.getAttrValues().getObjectAt(0);
            }
        }
        return null;
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** PBES2 with PBKDF2-HMAC-SHA256 and AES-CBC, the only scheme this class encrypts and decrypts. */
    private record Pbes2(byte[] salt, int iterations, int keyBits, byte[] iv) {

        static Pbes2 fresh(int keyBits, SecureRandom random) {
            byte[] salt = new byte[SALT_BYTES];
            random.nextBytes(salt);
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            return new Pbes2(salt, ITERATIONS, keyBits, iv);
        }

        static Optional<Pbes2> of(AlgorithmIdentifier algorithm) {
            if (!PKCSObjectIdentifiers.id_PBES2.equals(algorithm.getAlgorithm())) {
                return Optional.empty();
            }
            PBES2Parameters parameters = PBES2Parameters.getInstance(algorithm.getParameters());
            if (!PKCSObjectIdentifiers.id_PBKDF2.equals(parameters.getKeyDerivationFunc().getAlgorithm())) {
                return Optional.empty();
            }
            PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
            if (!HMAC_SHA256.equals(kdf.getPrf().getAlgorithm())) {
                return Optional.empty();
            }
            ASN1ObjectIdentifier cipher = parameters.getEncryptionScheme().getAlgorithm();
            int keyBits;
            if (NISTObjectIdentifiers.id_aes256_CBC.equals(cipher)) {
                keyBits = 256;
            } else if (NISTObjectIdentifiers.id_aes128_CBC.equals(cipher)) {
                keyBits = 128;
            } else {
                return Optional.empty();
            }
            if (kdf.getKeyLength() != null && kdf.getKeyLength().intValue() * 8 != keyBits) {
                return Optional.empty();
            }
            byte[] iv = ASN1OctetString.getInstance(parameters.getEncryptionScheme().getParameters()).getOctets();
            return Optional.of(new Pbes2(kdf.getSalt(), kdf.getIterationCount().intValueExact(), keyBits, iv));
        }

        /** The algorithm identifier that names this scheme and its parameters, as Bouncy Castle writes it. */
        AlgorithmIdentifier algorithm() {
            PBKDF2Params kdf = new PBKDF2Params(salt, iterations, keyBits / 8,
                    new AlgorithmIdentifier(HMAC_SHA256, DERNull.INSTANCE));
            ASN1ObjectIdentifier cipher = keyBits == 256 ? NISTObjectIdentifiers.id_aes256_CBC
                    : NISTObjectIdentifiers.id_aes128_CBC;
            return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
                    new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, kdf),
                    new EncryptionScheme(cipher, new DEROctetString(iv))));
        }

        byte[] encrypt(byte[] plaintext, char[] password) throws GeneralSecurityException {
            return crypt(Cipher.ENCRYPT_MODE, plaintext, password);
        }

        /**
         * As {@link #encrypt}, then reads back what was written without another derivation: the
         * parameters as they will be encoded, and the ciphertext decrypted with the same key. For a
         * key bag, which is written once and then never decrypted until the key is used, perhaps
         * years later: a fault must show at the put, while the key is still in memory.
         */
        byte[] encryptChecked(byte[] plaintext, char[] password) throws GeneralSecurityException {
            Pbes2 encoded = of(algorithm()).orElseThrow(() -> new GeneralSecurityException(
                    "the PBES2 parameters written do not read back"));
            if (!Arrays.equals(encoded.salt, salt) || encoded.iterations != iterations || encoded.keyBits != keyBits
                    || !Arrays.equals(encoded.iv, iv)) {
                throw new GeneralSecurityException("the PBES2 parameters written do not read back as they were");
            }
            byte[] key = derive(password);
            byte[] roundTrip = null;
            try {
                byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, key, plaintext);
                roundTrip = cipher(Cipher.DECRYPT_MODE, key, ciphertext);
                if (!MessageDigest.isEqual(roundTrip, plaintext)) {
                    throw new GeneralSecurityException("the encrypted key does not decrypt to the key");
                }
                return ciphertext;
            } finally {
                Arrays.fill(key, (byte) 0);
                if (roundTrip != null) {
                    Arrays.fill(roundTrip, (byte) 0);
                }
            }
        }

        byte[] decrypt(byte[] ciphertext, char[] password) throws GeneralSecurityException {
            return crypt(Cipher.DECRYPT_MODE, ciphertext, password);
        }

        /** One derivation, one pass of the cipher; the derived key is wiped. */
        private byte[] crypt(int mode, byte[] input, char[] password) throws GeneralSecurityException {
            byte[] key = derive(password);
            try {
                return cipher(mode, key, input);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        private byte[] derive(char[] password) throws GeneralSecurityException {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBits);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        }

        private byte[] cipher(int mode, byte[] key, byte[] input) throws GeneralSecurityException {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        }
    }

    /**
     * The password as the JDK's PKCS#12 MAC takes it: characters, not bytes, so a non-ASCII password
     * is encoded as PKCS#12 says (UTF-16BE and a terminating zero), as Bouncy Castle wrote it.
     */
    private record PasswordKey(char[] password) implements PBEKey {

        private static final long serialVersionUID = 1L;

        @Override
        public char[] getPassword() {
            return password.clone();
        }

        @Override
        public byte[] getSalt() {
            return null;
        }

        @Override
        public int getIterationCount() {
            return 0;
        }

        @Override
        public String getAlgorithm() {
            return "PBE";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }
}
