package org.egovpki.server.http;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.ca.CaPublications;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CaKeyHistory;
import org.egovpki.core.ca.CaRole;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.RetiredCaKey;
import org.egovpki.core.ca.CrlRecord;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.x509.Pem;
import org.egovpki.core.x509.StoreKeys;

/**
 * The RFC 4387 certificate and CRL store behind {@code /certs}, {@code /crls} and
 * {@code /search.cgi}: what it finds for a {@link StoreQuery}, from the same public sources as
 * the rest of the public handler — the CA certificates this server operates (few, matched on the
 * fly), each CA's current full CRL (the bytes {@code /crl/<ca>.crl} serves), and end-entity
 * certificates exactly as the directory publishes them ({@link PublishedCertificates}: not opted
 * out, not revoked, found through an index).
 */
final class HttpCertStore {

    /** At most this many end-entity certificates per answer, as an anonymous directory search would give. */
    static final int MAX_CERTIFICATES = 100;

    private final CaRegistry registry;
    private final CaPublications publications;
    private final PublishedCertificates published;

    HttpCertStore(CaRegistry registry, CaPublications publications, PublishedCertificates published) {
        this.registry = registry;
        this.publications = publications;
        this.published = published;
    }

    /** One object found: a certificate, or a CRL with its record (for the caching headers). */
    record Item(byte[] der, CrlRecord crl, String caName) {
        boolean isCrl() {
            return crl != null;
        }

        String contentType() {
            return isCrl() ? "application/pkix-crl" : "application/pkix-cert";
        }
    }

    /**
     * @param items     what matched: CA certificates first, then end-entity certificates, then CRLs
     * @param truncated whether more end-entity certificates matched than {@link #MAX_CERTIFICATES}
     */
    record Answer(List<Item> items, boolean truncated) {
    }

    /**
     * @param beforeSubscribers run before the published end-entity certificates are searched (the rate
     *                          limit: it throws to refuse); never for a query a CA certificate answers by its
     *                          own subject, name or key identifier, nor for CRLs
     */
    Answer find(StoreQuery query, Runnable beforeSubscribers) {
        List<Item> items = new ArrayList<>();
        boolean truncated = false;
        if (query.target().certificates()) {
            boolean caItself = false;
            for (CertificateAuthority ca : registry.all()) {
                // After a key changeover: the current certificate, the retired keys' and a root's links.
                for (X509Certificate certificate : caCertificates(ca)) {
                    if (StoreKeys.of(certificate).matches(query.key(), query.value())) {
                        items.add(new Item(encoded(ca.name(), certificate), null, ca.name()));
                        caItself |= query.key() != StoreKeys.Key.ISSUER_HASH;
                    }
                }
            }
            // sHash, sKIDHash or name of a CA's own certificate name the CA, no subscriber: a relying party
            // fetching the issuer is answered without the subscriber search and its token. iHash lists what
            // a CA issued, so it always searches the subscribers.
            PublishedCertificates.Found found = caItself ? new PublishedCertificates.Found(List.of(), false)
                    : subscribers(query, beforeSubscribers);
            found.certificates().forEach(der -> items.add(new Item(der, null, null)));
            truncated = found.truncated();
        }
        if (query.target().crls()) {
            for (CertificateAuthority ca : registry.all()) {
                // Each CRL is found by the certificate of the key that signs it: the main CRL by the
                // first key's while it is in service, each key a changeover made by its own.
                crlKey(query.key()).filter(key -> StoreKeys.of(ca.mainCrlCertificate()).matches(key, query.value()))
                        .flatMap(key -> publications.currentCrl(ca.name()))
                        .ifPresent(crl -> items.add(new Item(crl.der(), crl, ca.name())));
                if (!ca.firstKeyIssues()) {
                    crlKey(query.key()).filter(key -> StoreKeys.of(ca.certificate()).matches(key, query.value()))
                            .flatMap(key -> publications.retiredKeyCrl(ca.name(), ca.keyIdHex()))
                            .ifPresent(crl -> items.add(new Item(crl.der(), crl, ca.name())));
                }
                for (RetiredCaKey retired : ca.retiredKeys()) {
                    if (retired.alias().equals(ca.name())) {
                        continue;
                    }
                    crlKey(query.key()).filter(key -> StoreKeys.of(retired.certificate()).matches(key, query.value()))
                            .flatMap(key -> publications.retiredKeyCrl(ca.name(), retired.keyIdHex()))
                            .ifPresent(crl -> items.add(new Item(crl.der(), crl, ca.name())));
                }
            }
        }
        return new Answer(items, truncated);
    }

    private PublishedCertificates.Found subscribers(StoreQuery query, Runnable beforeSubscribers) {
        beforeSubscribers.run();
        return published.find(query.key(), query.value(), MAX_CERTIFICATES);
    }

    /**
     * Which key of the issuing CA's certificate a CRL query compares: a CRL's issuer is the CA's
     * subject (iHash, name) and its authority key identifier the CA's subject key identifier
     * (sKIDHash). sHash and email select no CRL.
     */
    private static Optional<StoreKeys.Key> crlKey(StoreKeys.Key key) {
        return switch (key) {
            case ISSUER_HASH -> Optional.of(StoreKeys.Key.SUBJECT_HASH);
            case KEY_ID_HASH -> Optional.of(StoreKeys.Key.KEY_ID_HASH);
            case NAME -> Optional.of(StoreKeys.Key.NAME);
            case SUBJECT_HASH, EMAIL -> Optional.empty();
        };
    }

    /**
     * The CA's certificates: the one in service first, then the others its directory entry
     * publishes (after a key changeover: the new one at once, the old ones while in service), then a
     * root's link certificates.
     */
    List<X509Certificate> caCertificates(CertificateAuthority ca) {
        List<X509Certificate> certificates = new ArrayList<>();
        certificates.add(ca.certificate());
        for (byte[] der : publications.caCertificates(ca.name())) {
            X509Certificate published = Pem.parseCertificate(der);
            if (!certificates.contains(published)) {
                certificates.add(published);
            }
        }
        ca.retiredKeys().stream().map(RetiredCaKey::certificate).filter(c -> !certificates.contains(c))
                .forEach(certificates::add);
        if (ca.role() == CaRole.ROOT) {
            certificates.addAll(CaKeyHistory.linkCertificates(publications.crossCertificatePairs(ca.name())));
        }
        return certificates;
    }

    private static byte[] encoded(String name, X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw DomainException.internal("CA certificate of '" + name + "' cannot be encoded", e);
        }
    }
}
