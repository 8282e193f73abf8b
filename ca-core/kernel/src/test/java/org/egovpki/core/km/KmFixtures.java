package org.egovpki.core.km;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;

/** Throwaway SM2 keys and certificates for the km tests. */
final class KmFixtures {

    static final SecureRandom RANDOM = new SecureRandom();

    private KmFixtures() {
    }

    /** An SM2 key pair on sm2p256v1 (KeyAlgorithm initialises the generator with the curve). */
    static KeyPair sm2() {
        return KeyAlgorithm.SM2.generate(RANDOM);
    }

    static SubjectPublicKeyInfo spki(KeyPair keyPair) {
        return SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
    }

    static BigInteger scalar(KeyPair keyPair) {
        return ((ECPrivateKey) keyPair.getPrivate()).getS();
    }

    /** Seals {@code encryption}'s key pair to {@code recipient}'s public key. */
    static Sm2EnvelopedKey seal(KeyPair encryption, KeyPair recipient) {
        return Sm2EnvelopedKey.seal(scalar(encryption), spki(encryption), spki(recipient), RANDOM);
    }

    /** A certificate for {@code subject}'s public key, signed SM3withSM2 by {@code issuer}. */
    static byte[] certificate(String commonName, KeyPair subject, KeyPair issuer) {
        try {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name("CN=issuer of " + commonName),
                    new BigInteger(64, RANDOM).add(BigInteger.ONE), Date.from(now),
                    Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=" + commonName), spki(subject));
            return builder.build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                    .build(issuer.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code keyPair}'s private key signs what its public key verifies (SM3withSM2). */
    static boolean signsAndVerifies(KeyPair keyPair) throws Exception {
        byte[] message = "egov-pki escrow check".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SM3WITHSM2", BouncyCastle.PROVIDER);
        signer.initSign(keyPair.getPrivate(), RANDOM);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SM3WITHSM2", BouncyCastle.PROVIDER);
        verifier.initVerify(keyPair.getPublic());
        verifier.update(message);
        return verifier.verify(signature);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
