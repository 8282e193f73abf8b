package org.egovpki.core.ca;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.egovpki.core.DomainException;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CaCertificateRequest;
import org.egovpki.core.x509.SerialNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the configured CAs into service: creates the ones the key store does not hold yet (root
 * first, then the issuing CA under it), reuses the existing ones on every later start, and makes
 * sure each is published in the directory with a current CRL.
 *
 * <p>Order of durable steps for a new CA: key pair and certificate into the key store (one atomic
 * file replace), then the directory entry, then the first CRL. A crash after the key store write
 * is repaired on the next start, which finds the key and publishes what is missing; a crash
 * before it leaves nothing behind.
 */
public final class CaBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(CaBootstrap.class);

    /** A CRL that expires within this margin is re-issued at start-up instead of served stale. */
    static final Duration CRL_REFRESH_MARGIN = Duration.ofHours(1);

    private final CaKeyStore keyStore;
    private final CaCertificateFactory certificates;
    private final CaRepository repository;
    private final CrlPublisher crls;
    private final PublicationUrls urls;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public CaBootstrap(CaKeyStore keyStore, CaCertificateFactory certificates, CaRepository repository,
                       CrlPublisher crls, PublicationUrls urls, AuditLog audit, Clock clock, SecureRandom random) {
        this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.crls = Objects.requireNonNull(crls, "crls");
        this.urls = Objects.requireNonNull(urls, "urls");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param definitions the CAs to operate; a parent must come before its children
     * @return the CAs in service, in the given order
     */
    public CaRegistry bootstrap(List<CaDefinition> definitions) {
        Map<String, CertificateAuthority> ready = new HashMap<>();
        List<CertificateAuthority> ordered = new ArrayList<>();
        for (CaDefinition definition : definitions) {
            CertificateAuthority parent = null;
            if (definition.parent() != null) {
                parent = ready.get(definition.parent());
                if (parent == null) {
                    throw new IllegalArgumentException("CA '" + definition.name() + "' names parent '"
                            + definition.parent() + "', which is not defined before it");
                }
            }
            CertificateAuthority ca = loadOrCreate(definition, parent);
            publish(ca);
            ready.put(ca.name(), ca);
            ordered.add(ca);
        }
        return new CaRegistry(ordered);
    }

    private CertificateAuthority loadOrCreate(CaDefinition definition, CertificateAuthority parent) {
        Optional<CaSigner> existing = keyStore.signer(definition.name());
        if (existing.isPresent()) {
            CaSigner signer = existing.get();
            if (signer.algorithm() != definition.algorithm()) {
                throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + definition.name()
                        + "' already exists in the key store with a " + signer.algorithm()
                        + " key, but the configuration says " + definition.algorithm()
                        + ": a CA's key cannot change; restore the configuration or use a new CA name");
            }
            // After key changeovers the newest key is current; the older ones answer for what they issued.
            List<CaKeyGenerations.Generation> generations = new CaKeyGenerations(keyStore).of(definition.name());
            CaKeyGenerations.Generation current = generations.get(0);
            List<RetiredCaKey> retired = new ArrayList<>();
            for (CaKeyGenerations.Generation older : generations.subList(1, generations.size())) {
                RetiredCaKey key = new RetiredCaKey(older.alias(), older.certificate(), older.signer());
                if (key.inService(clock.instant())) {
                    retired.add(key);
                }
            }
            LOG.info("Using existing CA {} ({}, {}, key '{}'{})", definition.name(), signer.algorithm(),
                    current.certificate().getSubjectX500Principal().getName(), current.alias(),
                    retired.isEmpty() ? "" : ", " + retired.size() + " retired key(s) still answering");
            return new CertificateAuthority(definition, current.chain(), current.signer(),
                    current.alias().equals(definition.name()), retired);
        }
        Optional<CaRecord> published = repository.find(definition.name());
        if (published.isPresent()) {
            // A key store or token that lost the key, or is not the one this CA was made with: a new
            // CA under the same name would orphan every certificate and CRL of the published one.
            throw new DomainException(DomainException.Kind.CONFLICT, "CA '" + definition.name()
                    + "' is published in the directory (serial " + published.get().serialHex() + ", SHA-256 "
                    + published.get().sha256Fingerprint() + ") but the key store " + keyStore
                    + " has no key for it. It is not the key store or token this CA was created with: a lost or "
                    + "replaced keys/ca.p12, another PKCS#11 slot or token (caKeys.pkcs11), a re-initialised token, or "
                    + "a data directory restored without its keys. Nothing was created: restore the key store or "
                    + "point caKeys at the right token, or give a new CA a new name");
        }
        return create(definition, parent);
    }

    private CertificateAuthority create(CaDefinition definition, CertificateAuthority parent) {
        KeyAlgorithm algorithm = definition.algorithm();
        KeyPair keyPair = keyStore.newKeyPair(algorithm);
        X509Certificate certificate;
        List<X509Certificate> chain = new ArrayList<>();
        if (parent == null) {
            CaCertificateRequest request = CaCertificateRequest.root(definition.subjectDn(), definition.validity(),
                    urls.caRepositoryUrl(definition.name()));
            certificate = certificates.selfSignedRoot(request, keyStore.signer(keyPair));
            chain.add(certificate);
        } else {
            // AIA OCSP: the parent's responder answers for this certificate (CaCertificateStatuses),
            // so relying parties that check revocation by OCSP only can check the whole chain.
            CaCertificateRequest request = CaCertificateRequest.issuingCa(definition.subjectDn(),
                    definition.validity(), parent.crlUrl(urls), parent.crlLdapUrl(urls),
                    urls.caCertificateUrl(parent.name()), urls.ocspUrl(parent.name()));
            certificate = certificates.subordinate(request, keyPair.getPublic(), parent.certificate(), parent.signer());
            chain.add(certificate);
            chain.addAll(parent.chain());
        }
        keyStore.put(definition.name(), keyPair.getPrivate(), chain.toArray(X509Certificate[]::new));
        CaSigner signer = keyStore.signer(definition.name()).orElseThrow(() -> new IllegalStateException(
                "CA '" + definition.name() + "' was written to the key store but cannot be read back"));
        CertificateAuthority ca = new CertificateAuthority(definition, chain, signer);
        CaRecord record = ca.toRecord();
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.CA_CREATED, AuditEvent.SYSTEM,
                List.of(ca.name()), Map.of(
                        "role", ca.role().name(),
                        "algorithm", ca.algorithm().name(),
                        "subject", record.subjectDn(),
                        "serial", record.serialHex(),
                        "notAfter", record.notAfter().toString(),
                        "sha256", record.sha256Fingerprint())));
        LOG.info("Created {} CA {} ({}, serial {}, valid until {})", ca.role(), ca.name(), ca.algorithm(),
                record.serialHex(), record.notAfter());
        return ca;
    }

    private void publish(CertificateAuthority ca) {
        CaRecord record = ca.toRecord();
        Optional<CaRecord> published = repository.find(ca.name());
        if (published.isEmpty() || !published.get().equals(record)) {
            repository.save(record);
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.CA_PUBLISHED, AuditEvent.SYSTEM,
                    List.of(ca.name()), Map.of("serial", record.serialHex(), "sha256", record.sha256Fingerprint())));
        }
        // After a key changeover the entry also carries the old certificates still in service
        // (saving the record above left only the current one); the link certificates stay as published.
        List<X509Certificate> inService = new ArrayList<>();
        inService.add(ca.certificate());
        ca.retiredKeys().forEach(retired -> inService.add(retired.certificate()));
        List<byte[]> expected = CaKeyHistory.der(inService);
        List<byte[]> pairs = new ArrayList<>(repository.crossCertificatePairs(ca.name()));
        List<byte[]> missing = ca.role() == CaRole.ROOT ? missingLinks(ca, pairs) : List.of();
        pairs.addAll(missing);
        if (!missing.isEmpty() || !sameValues(repository.caCertificates(ca.name()), expected)) {
            repository.publishKeyHistory(ca.name(), expected, pairs);
        }
        crls.refreshIfDue(ca, CRL_REFRESH_MARGIN, AuditEvent.SYSTEM);
    }

    /**
     * The link certificates a root's key changeovers should have published but the directory does
     * not hold — the changeover writes them right after the key store, and that write may have
     * failed — made again for each two successive keys in service, with the changeover's validity
     * (NewWithOld from the newer key's start to the older key's end, OldWithNew over the older
     * certificate's period) and new serials: the lost ones were never published, so no relying party
     * holds them. Empty when every pair is there, so every start after the first finds nothing to do.
     */
    private List<byte[]> missingLinks(CertificateAuthority ca, List<byte[]> published) {
        List<X509Certificate> keys = new ArrayList<>();
        List<CaSigner> signers = new ArrayList<>();
        keys.add(ca.certificate());
        signers.add(ca.signer());
        for (RetiredCaKey retired : ca.retiredKeys()) {
            keys.add(retired.certificate());
            signers.add(retired.signer());
        }
        List<byte[]> made = new ArrayList<>();
        for (int i = 0; i + 1 < keys.size(); i++) {
            X509Certificate newer = keys.get(i);
            X509Certificate older = keys.get(i + 1);
            if (CaKeyHistory.linked(published, newer, older)) {
                continue;
            }
            String repositoryUrl = urls.caRepositoryUrl(ca.name());
            X509Certificate newWithOld = certificates.linkCertificate(newer.getPublicKey(), older, signers.get(i + 1),
                    newer.getNotBefore().toInstant(), older.getNotAfter().toInstant(), repositoryUrl);
            X509Certificate oldWithNew = certificates.linkCertificate(older.getPublicKey(), newer, signers.get(i),
                    older.getNotBefore().toInstant(), older.getNotAfter().toInstant(), repositoryUrl);
            made.add(CaKeyHistory.pair(newWithOld, oldWithNew));
            LOG.warn("CA {}: the link certificates between its keys {} and {} were not in the directory; "
                    + "made and published them again (NewWithOld {}, OldWithNew {})", ca.name(),
                    SerialNumbers.toHex(older.getSerialNumber()), SerialNumbers.toHex(newer.getSerialNumber()),
                    SerialNumbers.toHex(newWithOld.getSerialNumber()), SerialNumbers.toHex(oldWithNew.getSerialNumber()));
            audit.record(AuditEvent.success(clock.instant(), AuditEventType.CA_PUBLISHED, AuditEvent.SYSTEM,
                    List.of(ca.name()), Map.of("links", "republished",
                            "oldSerial", SerialNumbers.toHex(older.getSerialNumber()),
                            "newSerial", SerialNumbers.toHex(newer.getSerialNumber()),
                            "newWithOldSerial", SerialNumbers.toHex(newWithOld.getSerialNumber()),
                            "oldWithNewSerial", SerialNumbers.toHex(oldWithNew.getSerialNumber()))));
        }
        return made;
    }

    private static boolean sameValues(List<byte[]> published, List<byte[]> expected) {
        return published.size() == expected.size() && published.stream().allMatch(value ->
                expected.stream().anyMatch(e -> java.util.Arrays.equals(e, value)));
    }
}
