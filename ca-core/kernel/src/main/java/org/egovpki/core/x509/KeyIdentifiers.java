package org.egovpki.core.x509;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;

import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.egovpki.core.crypto.BouncyCastle;

/**
 * Key identifiers for the SubjectKeyIdentifier and AuthorityKeyIdentifier extensions.
 *
 * <p>Invariant: a key identifier computed here is RFC 5280 §4.2.1.2 method 1, the SHA-1 of the
 * subjectPublicKey BIT STRING value (without tag, length and unused-bits octet), which is what
 * GM/T 0015 prescribes. An issuer's identifier is taken from its certificate's SKI when it has
 * one, because relying parties match AKI against that value, not against a recomputation.
 */
public final class KeyIdentifiers {

    private KeyIdentifiers() {
    }

    /** SHA-1 of the subjectPublicKey bits of {@code key} (20 bytes, a fresh array). */
    public static byte[] subjectKeyIdentifier(PublicKey key) {
        Objects.requireNonNull(key, "key");
        SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        try {
            return MessageDigest.getInstance("SHA-1", BouncyCastle.PROVIDER).digest(info.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle has no SHA-1", e);
        }
    }

    /**
     * The key identifier to put into the AuthorityKeyIdentifier of anything {@code issuer}
     * signs: its SKI extension if present, else computed from its public key.
     */
    public static byte[] ofIssuer(X509Certificate issuer) {
        Objects.requireNonNull(issuer, "issuer");
        Extensions extensions;
        try {
            extensions = new JcaX509CertificateHolder(issuer).getExtensions();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot read issuer certificate " + issuer.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
        SubjectKeyIdentifier ski = extensions == null ? null : SubjectKeyIdentifier.fromExtensions(extensions);
        return ski != null ? ski.getKeyIdentifier() : subjectKeyIdentifier(issuer.getPublicKey());
    }
}
