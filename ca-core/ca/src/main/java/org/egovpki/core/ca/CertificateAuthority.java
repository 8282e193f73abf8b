package org.egovpki.core.ca;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Fingerprints;
import org.egovpki.core.x509.KeyIdentifiers;
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
    private final boolean firstKeyIssues;

    /**
     * @param chain this CA's certificate first, then its issuers up to the root
     */
    public CertificateAuthority(CaDefinition definition, List<X509Certificate> chain, CaSigner signer) {
        this(definition, chain, signer, true, List.of());
    }

    /**
     * A CA after one or more key changeovers: {@code signer} is its current key, which issues;
     * {@code retiredKeys} (newest first) keep answering for what they issued.
     *
     * @param firstKey whether {@code signer} is the CA's first key (key store alias the CA's name,
     *                 {@link CaKeyGenerations}): its certificates name the CA's main CRL URLs
     */
    CertificateAuthority(CaDefinition definition, List<X509Certificate> chain, CaSigner signer, boolean firstKey,
                         List<RetiredCaKey> retiredKeys) {
        this.retiredKeys = List.copyOf(retiredKeys);
        this.firstKeyIssues = firstKey;
        if (firstKey && this.retiredKeys.stream().anyMatch(key -> key.alias().equals(definition.name()))) {
            throw new IllegalStateException("CA '" + definition.name() + "': its first key cannot be both current "
                    + "and retired");
        }
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

    /**
     * Whether the key that issues now is the CA's first (the CA never changed its key): its
     * certificates name the CA's main CRL URLs. After a changeover the new key's certificates name
     * its own ({@link PublicationUrls#keyCrlUrl}), because the CRL at a URL is signed by the key
     * whose certificates name that URL.
     */
    public boolean firstKeyIssues() {
        return firstKeyIssues;
    }

    /** The current key's identifier in lower-case hex: the name of its CRL when it is not the first key. */
    public String keyIdHex() {
        return org.bouncycastle.util.encoders.Hex.toHexString(KeyIdentifiers.ofIssuer(certificate));
    }

    /** HTTP URL of the full CRL that certificates signed now name in their CRL distribution point. */
    public String crlUrl(PublicationUrls urls) {
        return firstKeyIssues ? urls.crlUrl(name()) : urls.keyCrlUrl(name(), keyIdHex());
    }

    /** LDAP URL of the full CRL that certificates signed now name in their CRL distribution point. */
    public String crlLdapUrl(PublicationUrls urls) {
        return firstKeyIssues ? urls.crlLdapUrl(name()) : urls.keyCrlLdapUrl(name(), keyIdHex());
    }

    /**
     * The CA's first key, retired at a changeover and still in service, which keeps signing the CRLs
     * at the CA's main URLs (full, delta, partitions, a root's ARL); empty when the first key issues
     * or has expired (then no unexpired certificate names the main URLs and the current key signs them).
     */
    public Optional<RetiredCaKey> retiredFirstKey() {
        return retiredKeys.stream().filter(key -> key.alias().equals(name())).findFirst();
    }

    /** The certificate of the key that signs the CRLs at the CA's main URLs (see {@link #retiredFirstKey()}). */
    public X509Certificate mainCrlCertificate() {
        return retiredFirstKey().map(RetiredCaKey::certificate).orElse(certificate);
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
