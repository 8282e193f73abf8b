package org.egovpki.core.km.centre;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.Pkcs12CaKeyStore;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.crypto.SealedSecretFile;
import org.egovpki.core.crypto.Sm4;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KM's own keys, in its own directory (by default {@code <data>/km}), apart from the CA's:
 * <ul>
 *   <li>{@code km-keys.p12}: the KM's SM2 signing key and its self-signed certificate, which sign
 *       every answer to the CA (the CA pins this certificate);</li>
 *   <li>{@code kek-1.sealed}: the SM4 key-encryption key that wraps every escrowed private key
 *       ({@link SealedSecretFile}). Its id is written beside each wrapped key, so a later key
 *       can take over new wraps while old ones stay readable.</li>
 * </ul>
 * Both are created on the first start and protected by the KM key store password.
 */
public final class KmKeyStore {

    private static final Logger LOG = LoggerFactory.getLogger(KmKeyStore.class);
    static final String SIGNING_ALIAS = "km-signing";
    static final String CURRENT_KEK = "kek-1";
    private static final int CERTIFICATE_YEARS = 20;

    private final CaSigner signer;
    private final X509Certificate certificate;
    private final String kekId;
    private final byte[] kek;

    private KmKeyStore(CaSigner signer, X509Certificate certificate, String kekId, byte[] kek) {
        this.signer = signer;
        this.certificate = certificate;
        this.kekId = kekId;
        this.kek = kek;
    }

    /** Opens the KM keys in {@code directory}, creating what is missing. */
    public static KmKeyStore openOrCreate(Path directory, char[] password, X500Name kmName, Clock clock,
                                          SecureRandom random) {
        Objects.requireNonNull(kmName, "kmName");
        Pkcs12CaKeyStore keys = Pkcs12CaKeyStore.openOrCreate(directory.resolve("km-keys.p12"), password, random);
        if (!keys.contains(SIGNING_ALIAS)) {
            KeyPair pair = KeyAlgorithm.SM2.generate(random);
            X509Certificate certificate = selfSigned(kmName, pair, clock, random);
            keys.put(SIGNING_ALIAS, pair.getPrivate(), new X509Certificate[] {certificate});
            LOG.info("Created the KM signing key and certificate {} in {}", kmName, keys.file());
        }
        CaSigner signer = keys.signer(SIGNING_ALIAS).orElseThrow();
        X509Certificate certificate = keys.chain(SIGNING_ALIAS).get(0);
        Path kekFile = directory.resolve(CURRENT_KEK + ".sealed");
        if (!Files.exists(kekFile)) {
            SealedSecretFile.write(kekFile, CURRENT_KEK, Sm4.newKey(random), password, random);
            LOG.info("Created the KM key-encryption key {} in {}", CURRENT_KEK, kekFile);
        }
        return new KmKeyStore(signer, certificate, CURRENT_KEK, SealedSecretFile.read(kekFile, CURRENT_KEK, password));
    }

    /** Signs the KM's answers. */
    public ContentSigner signer() {
        return signer.contentSigner();
    }

    /** The certificate the CA verifies the KM's answers with. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** Id of the key-encryption key new wraps use. */
    String kekId() {
        return kekId;
    }

    /** The key-encryption key {@code id}; only the KM's escrow code calls this. */
    byte[] kek(String id) {
        if (!kekId.equals(id)) {
            throw new IllegalStateException("key-encryption key '" + id + "' is not in the KM key store (it has "
                    + kekId + ")");
        }
        return kek.clone();
    }

    private static X509Certificate selfSigned(X500Name name, KeyPair pair, Clock clock, SecureRandom random) {
        Instant notBefore = clock.instant();
        Instant notAfter = notBefore.atZone(ZoneOffset.UTC).plusYears(CERTIFICATE_YEARS).toInstant();
        BigInteger serial = SerialNumbers.random(random);
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial, Date.from(notBefore),
                    Date.from(notAfter), name, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            ContentSigner contentSigner = CaSigner.of(pair, random).contentSigner();
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                    .getCertificate(builder.build(contentSigner));
        } catch (CertIOException | CertificateException e) {
            throw new IllegalStateException("cannot make the KM signing certificate: " + e.getMessage(), e);
        }
    }
}
