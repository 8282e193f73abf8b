package org.egovpki.core.ca;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.SerialNumbers;

/**
 * One operating CA: its definition, certificate, chain up to the root, and the signer that holds
 * its private key. The signer is reachable only from this package (CRL publication now, the issuer
 * later), so nothing outside the CA's own services can sign with its key.
 */
public final class CertificateAuthority {

    private final CaDefinition definition;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final CaSigner signer;
    private final List<RetiredCaKey> retiredKeys;

    /**
     * @param chain this CA's certificate first, then its issuers up to the root
     */
    public CertificateAuthority(CaDefinition definition, List<X509Certificate> chain, CaSigner signer) {
        this(definition, chain, signer, List.of());
    }

    /**
     * A CA after one or more key changeovers: {@code signer} is its current key, which issues;
     * {@code retiredKeys} (newest first) keep answering for what they issued.
     */
    CertificateAuthority(CaDefinition definition, List<X509Certificate> chain, CaSigner signer,
                         List<RetiredCaKey> retiredKeys) {
        this.retiredKeys = List.copyOf(retiredKeys);
        this.definition = Objects.requireNonNull(definition, "definition");
        this.chain = List.copyOf(chain);
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("CA '" + definition.name() + "' has an empty certificate chain");
        }
        this.certificate = this.chain.get(0);
        this.signer = Objects.requireNonNull(signer, "signer");
        if (!certificate.getPublicKey().equals(signer.publicKey())) {
            throw new IllegalStateException("CA '" + definition.name()
                    + "': the key store's private key does not match its certificate");
        }
    }

    public String name() {
        return definition.name();
    }

    public CaRole role() {
        return definition.role();
    }

    public KeyAlgorithm algorithm() {
        return signer.algorithm();
    }

    public CaDefinition definition() {
        return definition;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA's certificate first, then its issuers up to the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    CaSigner signer() {
        return signer;
    }

    /**
     * The keys this CA used before its key changeovers, newest first, whose certificates have not
     * expired: each keeps signing CRLs and OCSP answers for what it issued. Empty for a CA that
     * never changed its key.
     */
    public List<RetiredCaKey> retiredKeys() {
        return retiredKeys;
    }

    /** The facts the directory publishes about this CA. */
    public CaRecord toRecord() {
        try {
            byte[] der = certificate.getEncoded();
            return new CaRecord(name(), role(), algorithm(), definition.parent(),
                    certificate.getSubjectX500Principal().getName(),
                    SerialNumbers.toHex(certificate.getSerialNumber()),
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
                    Fingerprints.sha256Hex(der), der);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("CA '" + name() + "': certificate cannot be encoded", e);
        }
    }
}
