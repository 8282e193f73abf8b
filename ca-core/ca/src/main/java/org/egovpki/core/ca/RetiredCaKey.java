package org.egovpki.core.ca;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.x509.KeyIdentifiers;

/**
 * A key a CA used before its last key changeover ({@link CaKeyChangeover}): it issues nothing any
 * more, but keeps signing CRLs and OCSP answers for the certificates it issued until its own
 * certificate expires, which none of those certificates outlives: the CRLs at the URLs those
 * certificates name — the CA's main URLs for its first key, the key's own for a later one
 * ({@link CrlPublisher}). Like {@link CertificateAuthority},
 * it hands its signer only to this package.
 */
public final class RetiredCaKey {

    private final String alias;
    private final X509Certificate certificate;
    private final CaSigner signer;

    RetiredCaKey(String alias, X509Certificate certificate, CaSigner signer) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.signer = Objects.requireNonNull(signer, "signer");
        if (!certificate.getPublicKey().equals(signer.publicKey())) {
            throw new IllegalStateException("retired CA key '" + alias
                    + "': the key store's private key does not match its certificate");
        }
    }

    /** The key store alias the key lives under. */
    public String alias() {
        return alias;
    }

    /** The CA certificate of this key (for a root, the old self-signed one: OldWithOld). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** The key identifier (SHA-1 of the key bits) its CRLs carry as authority key identifier. */
    public byte[] keyIdentifier() {
        return KeyIdentifiers.ofIssuer(certificate);
    }

    /** {@link #keyIdentifier()} in lower-case hex: how the directory and HTTP name this key's CRL. */
    public String keyIdHex() {
        return org.bouncycastle.util.encoders.Hex.toHexString(keyIdentifier());
    }

    /** Whether the key still answers for what it issued at {@code now}: its certificate has not expired. */
    public boolean inService(Instant now) {
        return !now.isAfter(certificate.getNotAfter().toInstant());
    }

    CaSigner signer() {
        return signer;
    }
}
