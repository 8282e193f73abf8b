package org.egovpki.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.egovpki.core.operator.Role;
import org.egovpki.core.ca.IssuanceSteps;
import org.egovpki.routes.RoutedIssuance;
import org.egovpki.routes.BulkApplications;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.sync.SyncCapture;
import org.egovpki.core.sync.SyncEventBodies;
import org.egovpki.core.sync.SyncTargets;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.directory.LdapAuditAnchors;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.server.audit.AuditRotation;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.AuditTrails;
import org.egovpki.server.audit.AuditVerification;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.metrics.CrlMetrics;
import org.egovpki.server.metrics.DirectoryMetrics;
import org.egovpki.server.metrics.LifecycleMetrics;
import org.egovpki.server.metrics.MeteredIssuance;
import org.egovpki.server.metrics.ServerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one egov-pki instance from a validated configuration, step by step in the order of
 * docs/architecture.md ("Start-up, in order"), and stops it in reverse. Each component is built by
 * its assembly ({@link DirectoryAssembly}, {@link CaAssembly}, {@link RaAssembly},
 * {@link KmAssembly}, {@link RoutesAssembly}, {@link HttpAssembly}), which creates its objects and
 * passes them by constructor; this class keeps only the order, the checks between steps and the
 * audit of the start and stop. Nothing is static.
 */
public final class EgovPkiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EgovPkiServer.class);

    private final Teardown teardown = new Teardown();
    private final Clock clock;
    private final IssuanceObserver observer;
    /** {@code init} with {@code caKeys.custody: shares}: the custodians' passphrases; else {@code null}. */
    private java.util.Map<String, char[]> custodianPassphrases;
    private EgovPkiConfig config;
    private FileAuditLog audit;
    private AuditVerification auditCheck;
    private DirectoryAssembly directory;
    private CaAssembly ca;
    private RaAssembly ra;
    private HttpAssembly http;
    private RoutesAssembly routes;
    private StartupReadiness readiness;
    private volatile boolean closed;

    private EgovPkiServer(EgovPkiConfig config, Clock clock, IssuanceObserver observer) {
        this.config = config;
        this.clock = clock;
        this.observer = observer;
    }

    /** Starts everything, or fails with a {@link StartupException} after undoing what started. */
    public static EgovPkiServer start(EgovPkiConfig config, Clock clock, boolean serveHttp) {
        return start(config, clock, serveHttp, IssuanceObserver.NONE);
    }

    /** As {@link #start(EgovPkiConfig, Clock, boolean)}, with an observer of issuance steps (crash tests). */
    public static EgovPkiServer start(EgovPkiConfig config, Clock clock, boolean serveHttp, IssuanceObserver observer) {
        EgovPkiServer server = new EgovPkiServer(config, clock, observer);
        try {
            server.startAll(serveHttp);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * {@code init}: starts without HTTP as {@link #start(EgovPkiConfig, Clock, boolean)}; with
     * {@code caKeys.custody: shares} the new key store password is split among the custodians, whose
     * share files {@code passphrases} (one per custodian) seal.
     */
    public static EgovPkiServer init(EgovPkiConfig config, Clock clock, java.util.Map<String, char[]> passphrases) {
        EgovPkiServer server = new EgovPkiServer(config, clock, IssuanceObserver.NONE);
        server.custodianPassphrases = passphrases;
        try {
            server.startAll(false);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void startAll(boolean serveHttp) {
        SecureRandom random = new SecureRandom();
        DataDirectory data = DataDirectory.lock(config.dataDirectory());
        teardown.add(data);
        // One registry for the server (GET /metrics); each component's meters are bound as it starts.
        ServerMetrics metrics = ServerMetrics.start();
        teardown.add(metrics);
        PendingAuditLog earlyAudit = new PendingAuditLog();
        if (!config.ldap().isExternal()) {
            Ports.requireFree("LDAP", config.ldap().host(), config.ldap().port(), "--ldap-port");
        }
        if (serveHttp) {
            http = HttpAssembly.reserve(config.http(), teardown);
        }
        Secrets secrets = Secrets.load(data, config.ldap().external(), config.caKeys(), custodianPassphrases);
        if (custodianPassphrases != null) {
            var split = org.egovpki.server.custody.CustodyRecord.load(KeyCustodyStart.directory(data));
            earlyAudit.record(AuditEvent.success(clock.instant(), AuditEventType.KEY_CUSTODY_SPLIT, AuditEvent.SYSTEM,
                    List.of(), Map.of("keyStore", split.keyStore(), "split", Integer.toString(split.epoch()),
                            "threshold", Integer.toString(split.threshold()),
                            "custodians", String.join(",", split.custodians()))));
        }

        // The key stores' password derivations take seconds: they run while the directory starts.
        KeyStoreOpening keyStores = KeyStoreOpening.begin(config, data, secrets, clock, random);
        directory = DirectoryAssembly.start(config.ldap(), data, secrets, earlyAudit, clock, random, teardown);
        config = config.withBoundPorts(directory.port(), serveHttp ? http.port() : 0, serveHttp ? http.tlsPort() : 0);
        requireHealthy(data, "at start-up");
        metrics.bind(new DirectoryMetrics(directory.external() ? null : directory.directory()::operationCounts,
                directory.pool(),
                DirectoryAssembly.CA_POOL, directory.health()));
        openAuditTrail(data, earlyAudit);
        routes = RoutesAssembly.start(config, metrics, teardown);
        readiness = new StartupReadiness(routes);

        ra = RaAssembly.create(config, directory, secrets, audit, clock, random);
        if (config.caKeys().custody() == EgovPkiConfig.Custody.SHARES && secrets.caKeyStore() == null) {
            secrets = unlock(data, secrets, serveHttp, metrics);
        }
        ca = CaAssembly.bootstrap(config, directory, keyStores.caKeyStore(config.caKeys(), data, secrets, random),
                audit, routes.events(), clock, random, uid -> ra.enabledWith(uid, Role.CA_ADMIN));
        ca.startRevocation(ra);
        KmAssembly km = KmAssembly.start(config.km(), data, keyStores.kmKeys(), directory, secrets, ca.registry(), audit, routes.events(),
                clock, random, teardown);
        ra.migrateSubscriberIds();
        // Keys an earlier version revoked for compromise: recorded once, before anything is issued.
        ca.backfillCompromisedKeys();
        // A directory written before the X.500-named mirror (or while it was off) gets it filled once.
        directory.mirror().fill(ca.publications());
        // Every issuance, recovery's included, runs through the issuance route. Recovery may supersede
        // originals before the lifecycle-events route listens; CrlJobs.catchUp() below covers them.
        IssuanceSteps steps = ca.issuanceSteps(ra, km.link(), observer);
        RoutedIssuance issuance = routes.issuance(steps);
        Issuer issuer = new Issuer(steps, issuance, ra.requests(), audit, clock, config.enrollment().recoveryGrace());
        recover(issuer, data);
        ra.startEnrollment(new MeteredIssuance(issuance, metrics.registry()), ca.certificates(), ca.profiles(),
                ca.certifiableKeys());
        ra.firstAdmin();
        ra.reconcileRequestReaders();

        ca.startCaRevocations();
        List<String> caNames = ca.registry().all().stream().map(c -> c.name()).toList();
        metrics.bind(new CrlMetrics(ca.repository(), caNames, clock));
        LifecycleMetrics lifecycleMetrics = new LifecycleMetrics(metrics.registry());
        caNames.forEach(lifecycleMetrics::registerCa);
        var crlJobs = ca.crlJobs();
        var ocspJobs = ca.startOcsp(directory);
        // Written by the pre-signed refresh sweep and at the stop, for the next locked start.
        var presignedFile = new PresignedAnswersFile(data.presignedOcspAnswers(), ca.ocsp(),
                config.ocsp().presignedMaxEntries(), clock);
        teardown.add(presignedFile);
        routes.persistPresignedOcsp(presignedFile);
        // The web-service sync (docs/sync.md): signers, targets, delivery, then the outbox that feeds it.
        var syncSigners = SyncAssembly.signers(config, ca, audit, clock, random);
        var syncStore = SyncAssembly.store(directory);
        SyncTargets syncTargets = SyncAssembly.targets(syncStore, data, audit, clock);
        SyncAssembly.Delivery syncDelivery = null;
        SyncCapture syncCapture = null;
        // With two CA processes on one directory one is the sync worker (sync.worker): a single appender
        // keeps the outbox's order and each event once; the other's changes only write their markers,
        // which the worker's sweep captures (docs/directory.md "Two CA processes on one directory").
        if (syncSigners != null && config.sync().worker()) {
            routes.startSyncSignerRenewal(syncSigners);
            var syncOutbox = SyncAssembly.outbox(directory, clock);
            syncDelivery = SyncAssembly.startDelivery(config.sync(), routes, syncStore, syncOutbox,
                    SyncAssembly.credentials(data), clock);
            syncCapture = SyncAssembly.startOutbox(syncOutbox, ca, ra, syncStore, SyncEventBodies.over(ra.subscribers()),
                    SyncAssembly.signer(syncSigners), syncDelivery.trigger(), clock, teardown);
        }
        var bulk = routes.startFlows(crlJobs, ra.decisions(), ocspJobs, km.escrow(),
                new BulkApplications(ra.enrollment()::submit), ca.ocsp(), km.link(), syncCapture, lifecycleMetrics);
        routes.startSyncCommands(SyncAssembly.commands(directory, syncTargets, ra, audit, clock));
        routes.startStatistics(ca.statistics());
        routes.startIssuanceRecovery(issuer, config.enrollment().recoveryGrace());

        if (serveHttp) {
            http.start(config, clock, directory, ca, ra, km, bulk, syncTargets, syncDelivery, readiness, metrics,
                    AuditTrails.review(audit, ca.auditExportSigner(), clock), teardown);
        }
        writePortsFile(data, serveHttp);
        requireHealthy(data, "after start-up");
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.SERVER_START, AuditEvent.SYSTEM, List.of(),
                Map.of("ldap", config.ldap().isExternal() ? config.ldap().publicUrl().toString()
                                : "ldap://" + config.ldap().host() + ":" + config.ldap().port(),
                        "http", serveHttp ? config.http().publicUrl().toString() : "off",
                        "data", data.root().toString(),
                        "auditTrail", auditCheck.unrecorded().isEmpty() ? "intact"
                                : auditCheck.unrecorded().size() + " problem(s), recorded as AUDIT_TRAIL_FINDING")));
        readiness.started();
    }

    /**
     * The locked start (steps 7a/7b, docs/architecture.md): HTTP serves health and custody only, and
     * start-up waits here until the threshold of key custodians presented their shares and the
     * joined password opened the key store; the CA-key-dependent steps (8 on) then run as usual.
     */
    private Secrets unlock(DataDirectory data, Secrets secrets, boolean serveHttp, ServerMetrics metrics) {
        var record = org.egovpki.server.custody.CustodyRecord.load(KeyCustodyStart.directory(data));
        if (!serveHttp) {
            throw new StartupException("the CA keys are locked (" + record.threshold() + " of "
                    + record.custodians().size() + " key custodians unlock them): init has nothing to do on a data "
                    + "directory whose key custody is set up; run 'egov-pki serve' and unlock it with 'egov-pki "
                    + "custody unlock' (docs/operations.md, \"Unlocking after a restart\")");
        }
        CustodyUnlock unlock = new CustodyUnlock(data, record, audit, clock, ra.administration()::passwordChangeRequired);
        // The CA certificates and CRLs are read from the directory: serving them needs no CA key.
        var downloads = new org.egovpki.server.http.LockedDownloads(
                config.ca().definitions().stream().map(d -> d.name()).toList(),
                new org.egovpki.directory.LdapCaRepository(directory.pool(), directory.names(),
                        SyncAssembly.enabled(config), directory.mirror()));
        // OCSP from the answers pre-signed before the stop, each re-checked against the directory's status.
        var lockedOcsp = new org.egovpki.core.ocsp.LockedOcspResponder(config.ocsp().presigned()
                ? PresignedAnswersFile.load(data.presignedOcspAnswers(), config.ocsp().presignedMaxEntries()) : List.of(),
                new org.egovpki.directory.LdapCertificateStatusSource(directory.pool(), directory.names()), clock);
        http.startLocked(config, new org.egovpki.server.http.LockedHandler(unlock, ra.operators(), downloads,
                new org.egovpki.server.http.OcspHandler(lockedOcsp::respond, (answer, nanos) -> { }),
                new com.fasterxml.jackson.databind.ObjectMapper()), metrics, teardown);
        writePortsFile(data, serveHttp);
        System.out.println("egov-pki locked: LDAP and health are served; " + record.threshold() + " of "
                + record.custodians().size() + " key custodians unlock the CA with 'egov-pki custody unlock' (HTTP "
                + config.http().publicUrl() + ")");
        // SIGTERM while locked stops in order (HTTP, then the directory, then the data directory), as a
        // ready server's hook does; that hook is registered by the caller once start-up has finished.
        Thread stopWhileLocked = new Thread(() -> {
            LOG.info("Stopping while the CA is locked");
            close();
        }, "egov-pki-shutdown-locked");
        Runtime.getRuntime().addShutdownHook(stopWhileLocked);
        try {
            char[] password;
            while ((password = unlock.awaitPassword(500)) == null) {
                if (closed) {
                    throw new StartupException("stopped while the CA was locked");
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopWhileLocked);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping already: the hook closes the server and the next check refuses to go on.
            }
            if (closed) {
                throw new StartupException("stopped while the CA was locked");
            }
            LOG.info("CA unlocked by {} key custodians; while locked, OCSP served {} pre-signed answer(s) and answered "
                    + "tryLater {} time(s)", record.threshold(), lockedOcsp.served(), lockedOcsp.refused());
            return new Secrets(secrets.directoryAdmin(), secrets.caService(), secrets.kmService(), password,
                    secrets.subscriberIds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while the CA was locked");
        }
    }

    /** Step 7, before anything is audited: the trail is checked against its directory anchor (docs/architecture.md). */
    private void openAuditTrail(DataDirectory data, PendingAuditLog earlyAudit) {
        AuditTrails.Opened trail = AuditTrails.open(data.auditTrail(), config.audit().serverTrail(),
                AuditSeal.loadOrGenerate(data.secret(AuditSeal.SECRET_FILE)),
                new LdapAuditAnchors(directory.pool(), directory.names()), clock, auditRotation(config), "start");
        audit = trail.log();
        auditCheck = trail.check();
        teardown.add(audit);
        earlyAudit.attach(audit);
    }

    /** {@code audit.rotation.*} as the trail applies it. */
    public static AuditRotation auditRotation(EgovPkiConfig config) {
        return AuditRotation.of(config.audit().rotateAtMb(), config.audit().rotateDaily(), config.audit().timeZone());
    }

    /**
     * Step 10: finishes every issuance a previous run left half-done, before anything can submit
     * or approve; the server never reports ready over a failing recovery.
     */
    private void recover(Issuer issuer, DataDirectory data) {
        Issuer.Recovery recovery = issuer.recoverAll();
        if (recovery.completed() > 0) {
            LOG.warn("Finished {} issuance(s) a previous run left half-done", recovery.completed());
        }
        if (!recovery.refused().isEmpty()) {
            LOG.warn("Start-up recovery REJECTED {} approved request(s) the issuance now refuses ({}); the reasons are "
                    + "in the log above, in each request's decision note and in the audit trail", recovery.refused().size(),
                    String.join(", ", recovery.refused()));
        }
        if (!recovery.failed().isEmpty()) {
            refuseToStart(data, "start-up recovery could not finish " + recovery.failed().size()
                    + " approved issuance(s) (request(s) " + String.join(", ", recovery.failed()) + "; the reasons are "
                    + "in the log above); they stay APPROVED and nothing was issued twice", "recovery");
        }
    }

    /** Every listener is bound: {@code <data>/run/ports} names their ports until the server stops. */
    private void writePortsFile(DataDirectory data, boolean serveHttp) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (!directory.external()) {
            ports.put(PortsFile.LDAP, config.ldap().port());
        }
        if (serveHttp) {
            ports.put(PortsFile.HTTP, config.http().port());
            if (config.http().tls() != null) {
                ports.put(PortsFile.HTTPS, config.http().tls().port());
            }
        }
        PortsFile.write(data.root(), ports);
        teardown.add(() -> PortsFile.remove(data.root()));
    }

    /**
     * Fails start-up unless the directory answers a write and read round trip now: the server
     * never says it is ready, or audits a successful start, on a directory that fails.
     */
    private void requireHealthy(DataDirectory data, String when) {
        var result = directory.health().probeNow();
        if (!result.up()) {
            refuseToStart(data, (directory.external() ? "the external" : "the embedded") + " directory failed its "
                            + "health probe " + when + ": " + result.problem(),
                    "directory");
        }
    }

    /**
     * Audits a failed start and stops with one line that says what to do. Refusing to start, rather
     * than serving in a not-ready state, keeps CRLs, OCSP answers and issuance from coming out of a
     * directory known to fail; an init system's restart replays the directory's log again.
     */
    private void refuseToStart(DataDirectory data, String problem, String component) {
        if (audit == null) {
            // The trail is checked against its anchor in the directory, so it opens only after the probe passed.
            LOG.warn("The failed start is not in the audit trail: the trail opens only once the directory answers");
            throw new StartupException(problem + ". " + repairAdvice(data));
        }
        try {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.SERVER_START, AuditEvent.SYSTEM, List.of(),
                    Map.of("component", component, "problem", problem)));
        } catch (RuntimeException e) {
            LOG.warn("Could not audit the failed start: {}", e.getMessage());
        }
        throw new StartupException(problem + ". " + repairAdvice(data));
    }

    /** What to do about the directory in use: the embedded one's repair, or where to look for an external one. */
    private String repairAdvice(DataDirectory data) {
        if (config.ldap().isExternal()) {
            return "Check that the external directory " + config.ldap().external().urls().get(0) + " answers and that "
                    + "the CA service account can bind with ldap.external.caPasswordFile and write "
                    + "cn=egov-pki-health,ou=sync,<ldap.baseDn> (slapd's log says why not), then start egov-pki again "
                    + "(docs/directory.md, \"Running on OpenLDAP\")";
        }
        return repairAdvice(data.directory());
    }

    /** What an operator does about an embedded directory that fails: the exact commands. */
    static String repairAdvice(java.nio.file.Path directory) {
        String dir = directory.toAbsolutePath().normalize().toString();
        return "Start egov-pki once more (the directory's transaction log left by a crash is replayed at start); if it "
                + "fails again, the directory files are damaged: stop egov-pki, set them aside with 'mv " + dir + " "
                + dir + ".damaged', restore them from your last backup with 'cp -a BACKUP/directory " + dir
                + "', and start again (docs/directory.md, \"Crash behaviour and repair\")";
    }

    /**
     * The configuration the server runs with: as loaded, with every port 0 (and the URLs built
     * from it) replaced by the port the listener got ({@link EgovPkiConfig#withBoundPorts}).
     */
    public EgovPkiConfig config() {
        return config;
    }

    /**
     * What SIGHUP runs ({@link ConfigReload}): {@code source} reads the configuration as start-up
     * did; {@code logs} applies {@code logging.*} ({@code null}: not logback).
     */
    public ConfigReload configReload(java.util.function.Supplier<EgovPkiConfig> source, String sourceName,
                                     org.egovpki.server.logging.LogSetup logs) {
        return new ConfigReload(source, sourceName, config, new ConfigReload.Targets(logs, audit, ca.profiles(),
                ConfigReload.issuingCas(ca.registry()), ca.crls(), routes.crlTimings(), ca.ocsp(), ca.ocspSigners()),
                clock);
    }

    public CaRegistry registry() {
        return ca.registry();
    }

    public OperatorDirectory operators() {
        return ra.operators();
    }

    public EnrollmentService enrollment() {
        return ra.enrollment();
    }

    /** The CRL publisher (benchmarks; operators use POST /api/v1/crls/{ca}). */
    public CrlPublisher crlPublisher() {
        return ca.crls();
    }

    public RevocationService revocations() {
        return ca.revocations();
    }

    /**
     * The OCSP responder (also when HTTP is off). A revocation, once its new status is stored,
     * calls {@link OcspResponder#invalidate(String, java.math.BigInteger)} so cached answers for
     * that certificate are dropped at once.
     */
    public OcspResponder ocspResponder() {
        return ca.ocsp();
    }

    /** Operations the embedded directory has served (benchmarks); {@code null} with an external directory. */
    public EmbeddedDirectory.OperationCounts directoryOperations() {
        return directory.external() ? null : directory.directory().operationCounts();
    }

    /** The embedded directory's writes by kind of entry (benchmarks); empty with an external directory. */
    public Map<String, Long> directoryWritesByKind() {
        return directory.external() ? Map.of() : directory.directory().writesByKind();
    }

    /** The embedded directory's searches and binds by kind (benchmarks); empty with an external directory. */
    public Map<String, Long> directoryReadsByKind() {
        return directory.external() ? Map.of() : directory.directory().readsByKind();
    }

    /**
     * What the start-up check of the audit trail found ({@link AuditVerification#unrecorded()} are
     * the problems it recorded as an {@code AUDIT_TRAIL_FINDING} at this start).
     */
    public AuditVerification auditCheck() {
        return auditCheck;
    }

    /** The LDAP port actually bound. */
    public int ldapPort() {
        return directory.port();
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return http.port();
    }

    /** Stops HTTP, routes, the pool and the directory, in that order, then releases the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (readiness != null) {
            readiness.stopping();
        }
        if (audit != null && ca != null) {
            try {
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.SERVER_STOP, AuditEvent.SYSTEM,
                        List.of(), Map.of()));
                audit.checkpoint("stop");
            } catch (RuntimeException e) {
                LOG.warn("Could not audit the stop: {}", e.getMessage());
            }
        }
        teardown.run();
    }

    boolean httpRunning() {
        return http != null && http.running();
    }
}
