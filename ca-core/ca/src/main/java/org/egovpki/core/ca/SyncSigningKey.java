package org.egovpki.core.ca;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.egovpki.core.crypto.CaSigner;

/**
 * One CA's sync-signing key as {@link SyncSigners} hands it to {@link CmsSyncSigner}: the signer
 * of the key, and the chain signer certificate, CA, …, root. The certificate is also kept in Bouncy
 * Castle's form, which every CMS needs. Package-private: the key never leaves package {@code ca}.
 */
record SyncSigningKey(String ca, CaSigner signer, List<X509Certificate> chain, X509CertificateHolder holder) {

    SyncSigningKey(String ca, CaSigner signer, List<X509Certificate> chain) {
        this(ca, signer, List.copyOf(chain), holder(chain.get(0)));
    }

    SyncSigningKey {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(signer, "signer");
        chain = List.copyOf(chain);
        Objects.requireNonNull(holder, "holder");
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), signer.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the sync-signing key of CA '" + ca
                    + "' does not belong to the first certificate of its chain");
        }
    }

    /** The sync-signing certificate. */
    X509Certificate certificate() {
        return chain.get(0);
    }

    private static X509CertificateHolder holder(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("the sync-signing certificate " + certificate.getSubjectX500Principal()
                    + " cannot be encoded: " + e.getMessage(), e);
        }
    }
}
