package org.egovpki.server;

import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.ca.IssuanceSteps;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Predicate;
import java.time.Duration;
import org.egovpki.core.ca.CaBootstrap;
import org.egovpki.core.ca.CaCertificateStatuses;
import org.egovpki.core.ca.CaRecentRevocations;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.audit.AuditExportSigner;
import org.egovpki.core.ca.CmsAuditExportSigner;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.SecondCaAdmin;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.ca.OcspResponders;
import org.egovpki.core.ca.OcspSigners;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.Pkcs11CaKeyStore;
import org.egovpki.core.ocsp.CertificateStatusSource;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.profile.LiveProfiles;
import org.egovpki.core.operator.AttemptLimiter;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.core.stats.Statistics;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.directory.LdapCaRepository;
import org.egovpki.directory.LdapCertificateStatusSource;
import org.egovpki.core.enroll.validation.CertifiableKeys;
import org.egovpki.directory.LdapCertificateStore;
import org.egovpki.directory.LdapCompromisedKeys;
import org.egovpki.directory.LdapStatisticsSource;
import org.egovpki.directory.LdapStatisticsStore;
import org.egovpki.directory.X500Mirror;
import org.egovpki.core.ca.CaRecord;
import org.egovpki.core.ca.CrlRecord;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.routes.CrlJobs;
import org.egovpki.routes.OcspResponderJobs;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA: its keys and certificates (start-up step 8, {@link CaBootstrap}), the certificate
 * records, CRLs, revocation, the issuer and the OCSP responder. Built in the start-up order: the
 * methods after {@link #bootstrap} are called once each, in the order they are declared.
 */
final class CaAssembly {

    private static final Logger LOG = LoggerFactory.getLogger(CaAssembly.class);
    /** How often delegated OCSP responders are checked for renewal; far below a third of their shortest validity (1 day). */
    static final Duration OCSP_RENEWAL_CHECK = Duration.ofHours(1);
    /**
     * How often the pre-signed OCSP answers due are re-signed: a quarter of the shortest nextUpdate
     * (1 minute), so a sweep always comes between half of an answer's validity (due) and three
     * quarters (no longer served); cheap when nothing is due.
     */
    static final Duration OCSP_PRESIGNED_REFRESH = Duration.ofSeconds(15);

    private final EgovPkiConfig config;
    private final FileAuditLog audit;
    private final Clock clock;
    private final SecureRandom random;
    private final LdapCaRepository repository;
    private final LdapCertificateStore certificates;
    /** The keys never certified again: written by revocation, read by issuance and (as CertifiableKeys) the RA. */
    private final LdapCompromisedKeys compromisedKeys;
    private final ConfiguredPublicationUrls urls;
    private final CrlPublisher crls;
    private final CaKeyStore keyStore;
    private final CaRegistry registry;
    private final LifecycleEvents events;
    /** The profiles in force: the configured ones, replaced by a configuration reload (ConfigReload). */
    private final LiveProfiles profiles;
    private RevocationService revocations;
    private CaRevocations caRevocations;
    private OcspResponder ocsp;
    private OcspSigners ocspSigners;
    private final Statistics statistics;
    /** The CA key operations waiting for a second CA admin: revocations of issuing CAs and key changeovers. */
    private final SecondCaAdmin secondAdmin;

    private CaAssembly(EgovPkiConfig config, FileAuditLog audit, Clock clock, SecureRandom random,
                       LdapCaRepository repository, LdapCertificateStore certificates,
                       LdapCompromisedKeys compromisedKeys, ConfiguredPublicationUrls urls, CrlPublisher crls,
                       CaKeyStore keyStore, CaRegistry registry, LifecycleEvents events, Statistics statistics,
                       Predicate<String> stillCaAdmin) {
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.repository = repository;
        this.certificates = certificates;
        this.compromisedKeys = compromisedKeys;
        this.urls = urls;
        this.crls = crls;
        this.keyStore = keyStore;
        this.registry = registry;
        this.events = events;
        this.profiles = new LiveProfiles(config.profiles());
        this.statistics = statistics;
        this.secondAdmin = new SecondCaAdmin(stillCaAdmin, audit, clock);
    }

    /**
     * Step 8: for each configured CA, parents first, reuses or creates its key and certificate,
     * publishes its entry and a CRL if needed.
     */
    static CaAssembly bootstrap(EgovPkiConfig config, DirectoryAssembly directory, CaKeyStore keyStore,
                                FileAuditLog audit, LifecycleEvents events, Clock clock, SecureRandom random,
                                Predicate<String> stillCaAdmin) {
        // With the sync on, a publication, a revocation and a CRL write their owed-event marker (SyncAssembly).
        boolean syncMarkers = SyncAssembly.enabled(config);
        LdapCaRepository repository = new LdapCaRepository(directory.pool(), directory.names(), syncMarkers,
                directory.mirror());
        LdapCertificateStore certificates = new LdapCertificateStore(directory.pool(), directory.names(), syncMarkers);
        EgovPkiConfig.Crl crl = config.ca().crl();
        ConfiguredPublicationUrls urls = new ConfiguredPublicationUrls(config.http().publicUrl(),
                config.ldap().publicUrl(), directory.names(), crl.deltas(), crl.partitions());
        CrlPublisher crls = new CrlPublisher(repository, certificates, new CrlFactory(clock), audit, clock,
                crl.nextUpdate(), urls, events);
        CaRegistry registry = new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository, crls, urls,
                audit, clock, random).bootstrap(config.ca().definitions());
        // The decision-support statistics: figures of the certificate records and requests, days kept under
        // ou=statistics (docs/statistics.md); refreshed by the statistics route from step 12.
        Statistics statistics = new Statistics(new LdapStatisticsSource(directory.pool(), directory.names()),
                new LdapStatisticsStore(directory.pool(), directory.names()), clock, Statistics.DEFAULT_ZONE);
        return new CaAssembly(config, audit, clock, random, repository, certificates,
                new LdapCompromisedKeys(directory.pool(), directory.names()), urls, crls, keyStore, registry, events,
                statistics, stillCaAdmin);
    }

    /** The CA keys: the PKCS#12 file in the data directory, or the configured PKCS#11 token. */
    static CaKeyStore keyStore(EgovPkiConfig.CaKeys caKeys, DataDirectory data, Secrets secrets, SecureRandom random) {
        if (caKeys.store() == EgovPkiConfig.CaKeyStoreType.PKCS12) {
            return CaKeyStore.openOrCreate(data.keyStore(), secrets.caKeyStore(), random);
        }
        Pkcs11CaKeyStore.Slot slot = caKeys.slot() != null ? Pkcs11CaKeyStore.Slot.id(caKeys.slot())
                : Pkcs11CaKeyStore.Slot.listIndex(caKeys.slotListIndex());
        char[] pin = TokenPin.read(caKeys.pinFile());
        try {
            return Pkcs11CaKeyStore.open(caKeys.library(), slot, pin, random);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StartupException("The CA keys' PKCS#11 token (caKeys.pkcs11) cannot be used: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    /** The revocation channels (operator, challenge phrase, signed request) over the RA's records. */
    RevocationService startRevocation(RaAssembly ra) {
        EgovPkiConfig.Revocation revocation = config.revocation();
        revocations = new RevocationService(registry, certificates, compromisedKeys, ra.subscribers(), ra.requests(),
                audit, clock,
                new AttemptLimiter(revocation.challengeMaxFailures(), revocation.challengeWindow(), clock, 100_000),
                revocation.signedRequestMaxAge(), random, events);
        return revocations;
    }

    /**
     * The issuance steps (intent, sign, record, publish, supersede, complete) the issuance route
     * runs: with revocation, the only holder of the certificate-record writer.
     */
    IssuanceSteps issuanceSteps(RaAssembly ra, KeyManagementLink km, IssuanceObserver observer) {
        return new IssuanceSteps(
                new IssuanceSteps.Signing(registry, profiles, new EndEntityCertificates(clock), urls, random),
                new IssuanceSteps.Stores(certificates, ra.subscribers(), ra.requests(), compromisedKeys),
                new IssuanceSteps.Links(ra.certificationRequests(), revocations, km), audit, events, clock, observer);
    }

    /**
     * Before recovery and before anything can submit: the keys an earlier version revoked for
     * compromise are recorded once per directory (LdapCompromisedKeys.backfill), so they are refused too.
     */
    void backfillCompromisedKeys() {
        compromisedKeys.backfill();
    }

    /** Which keys the RA may accept at submission: none compromised, no CA's (the issuance check asks the same). */
    CertifiableKeys certifiableKeys() {
        return new CertifiableKeys(compromisedKeys, IssuanceSteps.caKeys(registry));
    }

    /** Revoking an issuing CA; a CA whose certificate is already revoked signs CRLs and OCSP answers only. */
    CaRevocations startCaRevocations() {
        caRevocations = new CaRevocations(registry, repository, compromisedKeys, audit, clock, events, secondAdmin);
        for (CertificateAuthority ca : registry.all()) {
            if (repository.caRevocation(ca.name()).isPresent()) {
                registry.markRevoked(ca.name());
                LOG.warn("CA {} has a revoked certificate: it signs CRLs and OCSP answers but issues nothing", ca.name());
            }
        }
        return caRevocations;
    }

    /** The CRL jobs for the routes, after issuing the CRLs a crash inside the after-revocation window missed. */
    CrlJobs crlJobs() {
        CrlJobs jobs = new CrlJobs(registry, crls, certificates, repository);
        jobs.catchUp();
        return jobs;
    }

    /**
     * Builds the OCSP responder as {@code ocsp.*} says; with delegated responders, issues or
     * renews them now and returns their renewal job for the routes, else returns {@code null}.
     */
    OcspResponderJobs startOcsp(DirectoryAssembly directory) {
        // A root's responder also answers for the issuing CA certificates it issued (their AIA OCSP points to it).
        var records = new LdapCertificateStatusSource(directory.pool(), directory.names());
        CertificateStatusSource statuses = new CaCertificateStatuses(registry, repository, records);
        EgovPkiConfig.Ocsp settings = config.ocsp();
        OcspResponder.Settings responder = settings.responderSettings();
        OcspResponderJobs jobs = null;
        if (settings.signer() == EgovPkiConfig.OcspSigner.CA) {
            ocsp = OcspResponders.forCas(registry, statuses, clock, responder);
        } else {
            OcspSigners signers = new OcspSigners(registry, keyStore, new OcspSigningCertificates(clock, random), audit,
                    clock, random, settings.delegatedValidity());
            ocsp = OcspResponders.delegated(signers, statuses, clock, responder);
            ocspSigners = signers;
            jobs = new OcspResponderJobs(signers, ocsp);
        }
        if (settings.presignAhead()) {
            // Walked by the pre-signed refresh route; new certificates are signed at issuance (OcspStatusChanges).
            ocsp.presignAhead(records);
        }
        if (!config.enrollment().recoveryGrace().isZero()) {
            // Two CA processes on one directory (docs/directory.md): follow the other one's revocations too.
            ocsp.followRevocations(new CaRecentRevocations(registry, repository, records));
        }
        return jobs;
    }

    /** The profiles in force, shared with the RA and the API; {@link ConfigReload} replaces them. */
    LiveProfiles profiles() {
        return profiles;
    }

    /** The delegated OCSP responders, or {@code null} when the CAs sign OCSP answers themselves. */
    OcspSigners ocspSigners() {
        return ocspSigners;
    }

    CaRegistry registry() {
        return registry;
    }

    /**
     * What signs audit export manifests (docs/operations.md, "Audit review and export"): the first
     * issuing CA of the configuration, the SM2 one by default.
     */
    AuditExportSigner auditExportSigner() {
        return CmsAuditExportSigner.of(registry, null);
    }

    /** The CA key store, which also holds the delegated OCSP responders' and sync signers' keys. */
    CaKeyStore keyStore() {
        return keyStore;
    }

    LdapCaRepository repository() {
        return repository;
    }

    /** Every CA entry's public material, for the X.500-named mirror's start-up fill. */
    List<X500Mirror.CaPublication> publications() {
        List<X500Mirror.CaPublication> publications = new ArrayList<>();
        for (CaRecord record : repository.findAll()) {
            publications.add(new X500Mirror.CaPublication(record.certificateDer(),
                    repository.currentCrl(record.name()).map(CrlRecord::der).orElse(null),
                    repository.currentDeltaCrl(record.name()).map(CrlRecord::der).orElse(null),
                    repository.currentArl(record.name()).map(CrlRecord::der).orElse(null),
                    keyHistory(record), repository.crossCertificatePairs(record.name())));
        }
        return publications;
    }

    /** The CA's certificates in service, the current one first (more than one after a key changeover). */
    private List<byte[]> keyHistory(CaRecord record) {
        List<byte[]> history = new ArrayList<>();
        history.add(record.certificateDer());
        repository.caCertificates(record.name()).stream()
                .filter(der -> !java.util.Arrays.equals(der, record.certificateDer())).forEach(history::add);
        return history;
    }

    LdapCertificateStore certificates() {
        return certificates;
    }

    /** The decision-support statistics (the statistics route refreshes them; the API reads them). */
    Statistics statistics() {
        return statistics;
    }

    /** The key deliveries of dual issuances, read from the certificate records, each read audited. */
    KeyDeliveries keyDeliveries() {
        return new KeyDeliveries(certificates, audit, clock);
    }

    ConfiguredPublicationUrls urls() {
        return urls;
    }

    CrlPublisher crls() {
        return crls;
    }

    RevocationService revocations() {
        return revocations;
    }

    /** CA key changeover (docs/operations.md, "CA key changeover"): the new key takes over at the next start. */
    org.egovpki.core.ca.CaKeyChangeover keyChangeover() {
        return new org.egovpki.core.ca.CaKeyChangeover(keyStore, new CaCertificateFactory(clock, random), registry,
                repository, urls, audit, clock, secondAdmin);
    }

    CaRevocations caRevocations() {
        return caRevocations;
    }

    OcspResponder ocsp() {
        return ocsp;
    }
}
