package org.egovpki.core.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.interfaces.PBEKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Reads the PKCS#12 files {@link Pkcs12CaKeyStore} writes, faster than Bouncy Castle's loader, with
 * the same protection checked.
 *
 * <p>Why: a file holds one PBKDF2 derivation (600,000 iterations of HMAC-SHA256) per private key,
 * one for the certificates and one PKCS#12 key derivation for the MAC; Bouncy Castle runs them one
 * after the other in pure Java, about 2.8 s for a CA store of four keys on these machines, most of
 * a restart. Here every derivation runs through the JDK's providers, whose SHA-256 and SHA-1 use
 * the processor's SHA instructions once compiled: about 1.9 s of CPU for the same file, from a cold
 * JVM (measured in docs/benchmarks.md, "footprint"). The iteration counts are the file's: nothing
 * is weakened. (Running the derivations on parallel threads cost more CPU than it saved on these
 * 2-core machines, so they run one after the other.)
 *
 * <p>Only the layout Bouncy Castle's {@code PKCS12-AES256-AES128} store writes is handled: a MAC
 * with SHA-1 or SHA-256, PBES2 with PBKDF2-HMAC-SHA256 and AES-CBC for the key bags and the
 * certificate bags, and a friendly name on every key. For anything else {@link #read} answers empty
 * and the caller loads the file with Bouncy Castle, which reads every scheme. The MAC is checked
 * before anything read is returned.
 */
final class Pkcs12Reader {

    private static final ASN1ObjectIdentifier HMAC_SHA256 = PKCSObjectIdentifiers.id_hmacWithSHA256;

    private Pkcs12Reader() {
    }

    /**
     * The key entries of {@code content} in a new in-memory Bouncy Castle key store of {@code type},
     * their keys under {@code password}, or empty when the file uses a layout this reader does not
     * handle.
     *
     * @throws GeneralSecurityException if the MAC does not match (wrong password or damaged file),
     *     or a bag does not decrypt or decode
     */
    static Optional<KeyStore> read(byte[] content, char[] password, String type) throws GeneralSecurityException {
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
        List<PrivateKey> keys = new ArrayList<>(keyBags.size());
        for (SafeBag bag : keyBags) {
            EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(bag.getBagValue());
            Optional<Pbes2> scheme = Pbes2.of(info.getEncryptionAlgorithm());
            if (scheme.isEmpty() || friendlyName(bag).isEmpty() || localKeyId(bag) == null) {
                return Optional.empty();
            }
            keys.add(privateKey(scheme.get().decrypt(info.getEncryptedData(), password)));
        }
        return Optional.of(keyStore(type, password, keyBags, keys, certificateBags));
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

    private static KeyStore keyStore(String type, char[] password, List<SafeBag> keyBags, List<PrivateKey> keys,
                                     List<SafeBag> certificateBags) throws GeneralSecurityException {
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
                byLocalKeyId.put(hex(id.getOctets()), certificate);
            }
        }
        KeyStore keyStore = KeyStore.getInstance(type, BouncyCastle.PROVIDER);
        try {
            keyStore.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        for (int i = 0; i < keyBags.size(); i++) {
            SafeBag bag = keyBags.get(i);
            String alias = friendlyName(bag).orElseThrow();
            X509Certificate first = byLocalKeyId.get(hex(localKeyId(bag).getOctets()));
            if (first == null) {
                throw new GeneralSecurityException("the key \"" + alias + "\" has no certificate in the file");
            }
            keyStore.setKeyEntry(alias, keys.get(i), password,
                    chain(first, certificates).toArray(X509Certificate[]::new));
        }
        return keyStore;
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

    /** PBES2 with PBKDF2-HMAC-SHA256 and AES-CBC, the only scheme this reader decrypts. */
    private record Pbes2(byte[] salt, int iterations, int keyBits, byte[] iv) {

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

        byte[] decrypt(byte[] ciphertext, char[] password) throws GeneralSecurityException {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, keyBits);
            byte[] key;
            try {
                key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
            try {
                Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
                return cipher.doFinal(ciphertext);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
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
