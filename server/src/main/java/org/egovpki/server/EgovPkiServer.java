package org.egovpki.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.ca.CaBootstrap;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CaRevocations;
import org.egovpki.core.ca.CertificateAuthority;
import org.egovpki.core.ca.CrlPublisher;
import org.egovpki.core.ca.IssuanceObserver;
import org.egovpki.core.ca.IssuanceSteps;
import org.egovpki.core.ca.Issuer;
import org.egovpki.core.event.LifecycleEvents;
import org.egovpki.core.ca.KeyDeliveries;
import org.egovpki.core.ca.KeyManagementLink;
import org.egovpki.core.km.KmClient;
import org.egovpki.core.km.centre.KeyEscrow;
import org.egovpki.core.km.centre.KeyRecoveries;
import org.egovpki.core.km.centre.KmEndpoint;
import org.egovpki.core.km.centre.KmKeyStore;
import org.egovpki.directory.km.LdapEscrowStore;
import org.egovpki.directory.km.LdapRecoveryStore;
import org.egovpki.routes.Flows;
import org.egovpki.routes.KmRetentionRoute;
import org.egovpki.routes.RoutedIssuance;
import org.bouncycastle.asn1.x500.X500Name;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import org.egovpki.core.ca.OcspResponders;
import org.egovpki.core.ca.OcspSigners;
import org.egovpki.core.ocsp.OcspResponder;
import org.egovpki.core.enroll.DirectoryDecisions;
import org.egovpki.core.enroll.EnrollmentService;
import org.egovpki.core.enroll.LifecycleService;
import org.egovpki.core.operator.Operator;
import org.egovpki.core.enroll.OperatorDirectory;
import org.egovpki.core.operator.Role;
import org.egovpki.core.enroll.validation.CertificationRequests;
import org.egovpki.core.enroll.validation.KeyPolicy;
import org.egovpki.core.operator.AttemptLimiter;
import org.egovpki.core.revoke.RevocationService;
import org.egovpki.core.x509.EndEntityCertificates;
import org.egovpki.core.crypto.CaKeyStore;
import org.egovpki.core.crypto.GeneratedSecret;
import org.egovpki.core.enroll.SubscriberIds;
import org.egovpki.core.crypto.KeystorePassword;
import org.egovpki.core.x509.CaCertificateFactory;
import org.egovpki.core.x509.CrlFactory;
import org.egovpki.core.x509.OcspSigningCertificates;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.SubscriberIdMigration;
import org.egovpki.directory.DirectoryProvisioner;
import org.egovpki.directory.LdapCaRepository;
import org.egovpki.directory.LdapCertificateStatusSource;
import org.egovpki.directory.LdapCertificateStore;
import org.egovpki.directory.LdapOperatorDirectory;
import org.egovpki.directory.LdapDecisionInbox;
import org.egovpki.directory.LdapRequestStore;
import org.egovpki.directory.LdapSubscriberStore;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.routes.CrlAfterRevocationRoute;
import org.egovpki.routes.CrlJobs;
import org.egovpki.routes.DirectoryApprovalRoute;
import org.egovpki.routes.CrlScheduleRoute;
import org.egovpki.routes.OcspResponderJobs;
import org.egovpki.routes.OcspResponderRenewalRoute;
import org.egovpki.directory.LdapAuditAnchors;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.AuditTrails;
import org.egovpki.server.audit.AuditVerification;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.http.ApiHandler;
import org.egovpki.server.http.JsonErrorHandler;
import org.egovpki.server.http.OcspHandler;
import org.egovpki.server.http.PublicHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one egov-pki instance from a validated configuration, in dependency order, and tears it
 * down in reverse. Every collaborator is created here and passed by constructor; nothing is static.
 *
 * <p>Start-up: lock the data directory, check both ports, start the embedded directory, provision
 * the tree, service account and access control as the directory admin, then switch to the CA's
 * own service account for everything else; bring the CAs into service, start the CRL schedule,
 * and open HTTP last.
 */
public final class EgovPkiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EgovPkiServer.class);
    private static final int POOL_SIZE = 8;
    static final String FIRST_ADMIN = "admin";
    /** How often delegated OCSP responders are checked for renewal; far below a third of their shortest validity (1 day). */
    static final Duration OCSP_RENEWAL_CHECK = Duration.ofHours(1);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final EgovPkiConfig config;
    private final Clock clock;
    private FileAuditLog audit;
    private AuditVerification auditCheck;
    private CaRegistry registry;
    private Server http;
    private volatile boolean closed;

    private final IssuanceObserver observer;
    private LdapOperatorDirectory operators;
    private EmbeddedDirectory directory;
    private EnrollmentService enrollment;
    private RevocationService revocations;
    private CaRevocations caRevocations;
    private CrlPublisher crlPublisher;
    private OcspResponder ocsp;
    private CamelContext camel;

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

    private void startAll(boolean serveHttp) {
        SecureRandom random = new SecureRandom();
        DataDirectory data = DataDirectory.lock(config.dataDirectory());
        PendingAuditLog earlyAudit = new PendingAuditLog();
        resources.add(data);
        EgovPkiConfig.Ldap ldap = config.ldap();
        Ports.requireFree("LDAP", ldap.host(), ldap.port(), "--ldap-port");
        if (serveHttp) {
            Ports.requireFree("HTTP", config.http().host(), config.http().port(), "--http-port");
            if (config.http().tls() != null) {
                Ports.requireFree("HTTPS", config.http().host(), config.http().tls().port(), "http.tls.port =");
            }
        }

        GeneratedSecret adminPassword = KeystorePassword.loadOrGenerate(data.secret("directory-admin.password"));
        GeneratedSecret servicePassword = KeystorePassword.loadOrGenerate(data.secret("ca-service.password"));
        GeneratedSecret kmServicePassword = KeystorePassword.loadOrGenerate(data.secret("km-service.password"));
        GeneratedSecret keyStorePassword = KeystorePassword.loadOrGenerate(data.secret("ca-keystore.password"));
        SubscriberIds subscriberIds = subscriberIds(data);
        if (keyStorePassword.generated()) {
            LOG.warn("DEMO KEY CUSTODY: the CA key store password was generated into {}. Anyone who can read the "
                    + "data directory can use the CA keys. Do not issue real certificates with this setup.",
                    data.secret("ca-keystore.password"));
        }

        DirectoryNames names = new DirectoryNames(ldap.baseDn());
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(
                data.directory(), ldap.host(), ldap.port(), ldap.baseDn(), adminPassword.value(), ldap.lockout(),
                clock), earlyAudit);
        resources.add(directory);
        this.directory = directory;
        provision(names, adminPassword.value(), servicePassword.value(), kmServicePassword.value(), random);

        LDAPConnectionPool pool = servicePool(names, servicePassword.value());
        resources.add(pool::close);
        DirectoryHealth health = new DirectoryHealth(pool, names, clock, DirectoryHealth.DEFAULT_TIMEOUT,
                DirectoryHealth.DEFAULT_REUSE);
        requireHealthy(health, data, "at start-up");
        // Before anything is audited: the trail is checked against its directory anchor (docs/architecture.md).
        AuditTrails.Opened trail = AuditTrails.open(data.auditTrail(), FileAuditLog.SERVER_TRAIL,
                AuditSeal.loadOrGenerate(data.secret(AuditSeal.SECRET_FILE)), new LdapAuditAnchors(pool, names), clock,
                "start");
        audit = trail.log();
        auditCheck = trail.check();
        resources.add(audit);
        earlyAudit.attach(audit);
        LdapCaRepository repository = new LdapCaRepository(pool, names);

        // ---- Flows (camel-routes, docs/architecture.md "Flows as routes"): the context starts before the
        // domain services, which publish their lifecycle events into it and issue through its issuance route.
        try {
            camel = Flows.start(routeProperties());
        } catch (Exception e) {
            throw new StartupException("the Camel context cannot start: " + e.getMessage());
        }
        resources.add(camel::stop);
        LifecycleEvents events = Flows.events(camel);
        // ---- end of the flows' start; the issuance route and the lifecycle-events route are added below.

        LdapCertificateStore certificates = new LdapCertificateStore(pool, names);
        EgovPkiConfig.Crl crl = config.ca().crl();
        ConfiguredPublicationUrls urls = new ConfiguredPublicationUrls(config.http().publicUrl(), ldap.publicUrl(), names,
                crl.deltas(), crl.partitions());
        CrlPublisher crls = new CrlPublisher(repository, certificates, new CrlFactory(clock), audit, clock,
                crl.nextUpdate(), urls, events);
        crlPublisher = crls;
        CaKeyStore keyStore = CaKeyStore.openOrCreate(data.keyStore(), keyStorePassword.value());
        registry = new CaBootstrap(keyStore, new CaCertificateFactory(clock, random), repository, crls, urls, audit,
                clock, random).bootstrap(config.ca().definitions());

        LdapRequestStore requests = new LdapRequestStore(pool, names);
        LdapSubscriberStore subscribers = new LdapSubscriberStore(pool, names);
        operators = new LdapOperatorDirectory(pool, names, LdapOperatorDirectory.pooled(pool), random, ldap.lockout());
        EgovPkiConfig.Enrollment settings = config.enrollment();
        CertificationRequests csrs = new CertificationRequests(new KeyPolicy(settings.allowLegacyRsa()));
        EgovPkiConfig.Revocation revocation = config.revocation();
        revocations = new RevocationService(registry, certificates, subscribers, requests, audit, clock,
                new AttemptLimiter(revocation.challengeMaxFailures(), revocation.challengeWindow(), clock, 100_000),
                revocation.signedRequestMaxAge(), random, events);
        KeyManagement km = startKeyManagement(data, names, kmServicePassword.value(), random, events);
        // Before recovery and before anything can submit: requests and records must name keyed ids.
        new SubscriberIdMigration(pool, names, subscriberIds, audit, clock, SubscriberIdMigration.Steps.NONE).run();
        // Recovery may supersede originals before the CRL route listens; CrlJobs.catchUp() below covers them.
        IssuanceSteps steps = new IssuanceSteps(
                new IssuanceSteps.Signing(registry, config.profiles(), new EndEntityCertificates(clock), urls, random),
                new IssuanceSteps.Stores(certificates, subscribers, requests),
                new IssuanceSteps.Links(csrs, revocations, km.link()), audit, events, clock, observer);
        RoutedIssuance issuance;
        try {
            issuance = Flows.issuance(camel, steps);
        } catch (Exception e) {
            throw new StartupException("the issuance route cannot start: " + e.getMessage());
        }
        Issuer.Recovery recovery = new Issuer(steps, issuance, requests, audit, clock).recoverAll();
        if (recovery.completed() > 0) {
            LOG.warn("Finished {} issuance(s) a previous run left half-done", recovery.completed());
        }
        if (!recovery.failed().isEmpty()) {
            refuseToStart(data, "start-up recovery could not finish " + recovery.failed().size()
                    + " approved issuance(s) (request(s) " + String.join(", ", recovery.failed()) + "; the reasons are "
                    + "in the log above); they stay APPROVED and nothing was issued twice", "recovery");
        }
        enrollment = new EnrollmentService(config.profiles(), requests, subscribers, issuance, csrs, audit, clock,
                settings.zone(), random, subscriberIds);
        LifecycleService lifecycle = new LifecycleService(config.profiles(), certificates, requests, enrollment, issuance,
                csrs, config.lifecycle().renewalWindow(), audit, clock);
        firstAdmin(settings);

        caRevocations = new CaRevocations(registry, repository, audit, clock, events);
        for (CertificateAuthority ca : registry.all()) {
            if (repository.caRevocation(ca.name()).isPresent()) {
                registry.markRevoked(ca.name());
                LOG.warn("CA {} has a revoked certificate: it signs CRLs and OCSP answers but issues nothing", ca.name());
            }
        }
        CrlJobs crlJobs = new CrlJobs(registry, crls, certificates, repository);
        crlJobs.catchUp();
        OcspSigners ocspSigners = ocspResponder(new LdapCertificateStatusSource(pool, names), keyStore, random);
        DirectoryDecisions decisions = new DirectoryDecisions(new LdapDecisionInbox(pool, names), operators, enrollment,
                audit, clock);
        startRoutes(crlJobs, decisions,
                ocspSigners == null ? null : new OcspResponderJobs(ocspSigners, ocsp), km.escrow(), km.link());

        if (serveHttp) {
            ObjectMapper json = new ObjectMapper();
            startHttp(new Handler.Sequence(
                    new OcspHandler(ocsp),
                    new ApiHandler(enrollment, revocations, lifecycle, crls, caRevocations, operators, certificates, registry,
                            config.profiles(), km.recoveries(), km.link(), new KeyDeliveries(certificates), json),
                    new PublicHandler(registry, repository, urls, names, ldap.publicUrl().toString(), clock, health,
                            json)),
                    new JsonErrorHandler(json));
        }
        requireHealthy(health, data, "after start-up");
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.SERVER_START, AuditEvent.SYSTEM, List.of(),
                Map.of("ldap", "ldap://" + ldap.host() + ":" + ldap.port(),
                        "http", serveHttp ? config.http().publicUrl().toString() : "off",
                        "data", data.root().toString(),
                        "auditTrail", auditCheck.unrecorded().isEmpty() ? "intact"
                                : auditCheck.unrecorded().size() + " problem(s), recorded as AUDIT_TRAIL_FINDING")));
    }

    /**
     * Fails start-up unless the directory answers a write and read round trip now: the server
     * never says it is ready, or audits a successful start, on a directory that fails.
     */
    private void requireHealthy(DirectoryHealth health, DataDirectory data, String when) {
        DirectoryHealth.Result result = health.probeNow();
        if (!result.up()) {
            refuseToStart(data, "the embedded directory failed its health probe " + when + ": " + result.problem(),
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
            throw new StartupException(problem + ". " + repairAdvice(data.directory()));
        }
        try {
            audit.record(AuditEvent.failure(clock.instant(), AuditEventType.SERVER_START, AuditEvent.SYSTEM, List.of(),
                    Map.of("component", component, "problem", problem)));
        } catch (RuntimeException e) {
            LOG.warn("Could not audit the failed start: {}", e.getMessage());
        }
        throw new StartupException(problem + ". " + repairAdvice(data.directory()));
    }

    /** What an operator does about a directory that fails: the exact commands. */
    static String repairAdvice(java.nio.file.Path directory) {
        String dir = directory.toAbsolutePath().normalize().toString();
        return "Start egov-pki once more (the directory's transaction log left by a crash is replayed at start); if it "
                + "fails again, the directory files are damaged: stop egov-pki, set them aside with 'mv " + dir + " "
                + dir + ".damaged', restore them from your last backup with 'cp -a BACKUP/directory " + dir
                + "', and start again (docs/directory.md, \"Crash behaviour and repair\")";
    }

    /**
     * Builds the OCSP responder as {@code ocsp.*} says; with delegated responders, issues or
     * renews them now and returns their keeper for the renewal route, else returns {@code null}.
     */
    private OcspSigners ocspResponder(LdapCertificateStatusSource statuses, CaKeyStore keyStore, SecureRandom random) {
        EgovPkiConfig.Ocsp settings = config.ocsp();
        OcspResponder.Settings responder = new OcspResponder.Settings(settings.nextUpdate(), settings.cacheLifetime(),
                settings.cacheEntries());
        if (settings.signer() == EgovPkiConfig.OcspSigner.CA) {
            ocsp = OcspResponders.forCas(registry, statuses, clock, responder);
            return null;
        }
        OcspSigners signers = new OcspSigners(registry, keyStore, new OcspSigningCertificates(clock, random), audit,
                clock, random, settings.delegatedValidity());
        ocsp = OcspResponders.delegated(signers, statuses, clock, responder);
        return signers;
    }

    /**
     * The first CA admin, created once: with the configured password, or a generated one printed
     * here once and stored nowhere in clear.
     */
    private void firstAdmin(EgovPkiConfig.Enrollment settings) {
        if (operators.findByUid(FIRST_ADMIN).isPresent()) {
            return;
        }
        String configured = settings.initialAdminPassword();
        char[] password = configured != null ? configured.toCharArray() : OperatorPasswords.generate(new SecureRandom());
        Operator admin = operators.create(FIRST_ADMIN, "CA administrator", EnumSet.of(Role.CA_ADMIN, Role.RA_ADMIN),
                password);
        audit.record(AuditEvent.success(clock.instant(), AuditEventType.OPERATOR_CREATED, AuditEvent.SYSTEM,
                List.of(admin.dn()), Map.of("roles", admin.roles().toString())));
        if (configured == null) {
            System.out.println("egov-pki: created the first CA admin operator '" + FIRST_ADMIN + "' with the one-time "
                    + "password " + new String(password) + " -- it is shown only now; store it safely.");
        }
    }

    private void provision(DirectoryNames names, char[] adminPassword, char[] servicePassword, char[] kmServicePassword,
                           SecureRandom random) {
        try (LDAPConnection admin = new LDAPConnection(config.ldap().host(), config.ldap().port(),
                EmbeddedDirectory.adminDn(), new String(adminPassword))) {
            DirectoryProvisioner provisioner = new DirectoryProvisioner(admin, names, random,
                    EmbeddedDirectory.SERVICE_ACCOUNT_POLICY_DN);
            provisioner.createTree();
            provisioner.ensureServiceAccount(names.caServiceAccount(),
                    "The egov-pki CA server's own bind account", servicePassword);
            provisioner.ensureServiceAccount(names.kmServiceAccount(),
                    "The egov-pki key management centre's own bind account, the only one that may read or write ou=km",
                    kmServicePassword);
            new ApacheDsAccessControl(admin, names).apply();
        } catch (LDAPException e) {
            throw new StartupException("cannot bind to the embedded directory as its administrator: "
                    + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
    }

    private LDAPConnectionPool servicePool(DirectoryNames names, char[] password) {
        return pool(names.caServiceAccount(), password, "egov-pki-ca", "CA");
    }

    /** A pool bound as one of egov-pki's own service accounts. */
    private LDAPConnectionPool pool(com.unboundid.ldap.sdk.DN account, char[] password, String name, String who) {
        try {
            SingleServerSet server = new SingleServerSet(config.ldap().host(), config.ldap().port());
            SimpleBindRequest bind = new SimpleBindRequest(account, new String(password));
            LDAPConnectionPool pool = new LDAPConnectionPool(server, bind, 1, POOL_SIZE, null, true);
            pool.setRetryFailedOperationsDueToInvalidConnections(true);
            pool.setConnectionPoolName(name);
            return pool;
        } catch (LDAPException e) {
            throw new StartupException("the " + who + " service account cannot bind to the directory: "
                    + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
    }

    /** The key management centre's parts the rest of the server uses. */
    private record KeyManagement(KeyEscrow escrow, KeyRecoveries recoveries, KeyManagementLink link) {
    }

    /**
     * The RA's subscriber-id key ({@code secrets/subscriber-id.key}, generated once, mode 0600):
     * subscriber ids are keyed MACs of the identity data, so the public directory tree reveals
     * nothing to whoever lacks it. Never stored in the directory, never logged. Back it up with
     * the data directory: without it a returning applicant gets a new subscriber id.
     */
    private static SubscriberIds subscriberIds(DataDirectory data) {
        GeneratedSecret secret = KeystorePassword.loadOrGenerate(data.secret("subscriber-id.key"));
        if (secret.generated()) {
            LOG.info("Generated the subscriber-id key {}; keep it with the data directory's backups",
                    data.secret("subscriber-id.key"));
        }
        char[] chars = secret.value();
        java.nio.ByteBuffer encoded = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(chars));
        byte[] key = new byte[encoded.remaining()];
        encoded.get(key);
        java.util.Arrays.fill(chars, '\0');
        java.util.Arrays.fill(encoded.array(), (byte) 0);
        try {
            return new SubscriberIds(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("subscriber-id key file " + data.secret("subscriber-id.key") + ": "
                    + e.getMessage() + "; put a longer secret in it (it must never change once subscribers exist)");
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Starts the key management centre as its own component: its keys in {@code <data>/km}
     * (password in {@code secrets/km-keystore.password}), its directory account
     * {@code uid=egov-pki-km} (the only one that reaches {@code ou=km}), its signed endpoint; and
     * gives the CA a link to it that signs every request with the CA's key and accepts only
     * answers signed by the KM's certificate.
     */
    private KeyManagement startKeyManagement(DataDirectory data, DirectoryNames names, char[] servicePassword,
                                             SecureRandom random, LifecycleEvents events) {
        EgovPkiConfig.Km settings = config.km();
        GeneratedSecret keyStorePassword = KeystorePassword.loadOrGenerate(data.secret("km-keystore.password"));
        if (keyStorePassword.generated()) {
            LOG.warn("DEMO KEY CUSTODY: the KM key store password was generated into {}. Anyone who can read the "
                    + "data directory can unwrap escrowed keys. Do not escrow real keys with this setup.",
                    data.secret("km-keystore.password"));
        }
        KmKeyStore keys = KmKeyStore.openOrCreate(data.keyManagement(), keyStorePassword.value(),
                new X500Name(settings.name()), clock, random);
        LDAPConnectionPool kmPool = pool(names.kmServiceAccount(), servicePassword, "egov-pki-km", "KM");
        resources.add(kmPool::close);
        KeyEscrow escrow = new KeyEscrow(new LdapEscrowStore(kmPool, names), keys, audit, clock, random,
                settings.retention());
        KeyRecoveries recoveries = new KeyRecoveries(new LdapRecoveryStore(kmPool, names), escrow, audit, clock, random,
                settings.challengeLifetime(), new AttemptLimiter(settings.challengeMaxFailures(),
                settings.challengeWindow(), clock, 100_000));
        Map<String, X509Certificate> served = new LinkedHashMap<>();
        for (CertificateAuthority ca : registry.all()) {
            served.put(ca.name(), ca.certificate());
        }
        KmEndpoint endpoint = new KmEndpoint(served, escrow, recoveries, keys, audit, clock);
        KeyManagementLink link = new KeyManagementLink(new KmClient(endpoint, keys.certificate(), clock, random),
                registry, events);
        LOG.info("Key management centre started: {} (key store {})", settings.name(), data.keyManagement());
        return new KeyManagement(escrow, recoveries, link);
    }

    /** The properties the routes' URIs read, all from the configuration. */
    private Properties routeProperties() {
        Properties properties = new Properties();
        properties.setProperty("egovpki.crl.cron", CrlScheduleRoute.cronForUri(config.ca().crl().schedule()));
        properties.setProperty("egovpki.crl.timeZone", config.ca().crl().timeZone().getId());
        properties.setProperty("egovpki.approvals.pollMillis",
                Long.toString(config.enrollment().approvalPollInterval().toMillis()));
        properties.setProperty("egovpki.ocsp.renewalCheckMillis", Long.toString(OCSP_RENEWAL_CHECK.toMillis()));
        properties.setProperty("egovpki.km.cron", CrlScheduleRoute.cronForUri(config.km().destructionSchedule()));
        properties.setProperty("egovpki.km.timeZone", config.km().timeZone().getId());
        return properties;
    }

    /**
     * Adds the timer flows and the lifecycle-events route (with its consumers) to the context the
     * issuance route already runs in.
     *
     * @param ocspJobs the delegated responder renewal, or {@code null} when the CAs sign OCSP themselves
     */
    private void startRoutes(CrlJobs jobs, DirectoryDecisions decisions, OcspResponderJobs ocspJobs, KeyEscrow escrow,
                             KeyManagementLink kmLink) {
        try {
            camel.getRegistry().bind("crlJobs", jobs);
            camel.getRegistry().bind(DirectoryApprovalRoute.DECISIONS_BEAN, decisions);
            camel.getRegistry().bind(KmRetentionRoute.ESCROW_BEAN, escrow);
            camel.addRoutes(new KmRetentionRoute());
            camel.addRoutes(new CrlScheduleRoute());
            camel.addRoutes(new DirectoryApprovalRoute());
            camel.addRoutes(new CrlAfterRevocationRoute(config.ca().crl().afterRevocation()));
            if (ocspJobs != null) {
                camel.getRegistry().bind(OcspResponderRenewalRoute.JOBS_BEAN, ocspJobs);
                camel.addRoutes(new OcspResponderRenewalRoute());
            }
            Flows.lifecycleEvents(camel, ocsp, kmLink);
        } catch (Exception e) {
            throw new StartupException("the Camel routes (CRL schedule, directory approvals, OCSP responder renewal, "
                    + "KM key destruction, lifecycle events) "
                    + "cannot start: "
                    + e.getMessage());
        }
    }

    private void startHttp(Handler handler, JsonErrorHandler errors) {
        Server server = new Server();
        // Jetty's own refusals (bad URIs, oversized headers) and uncaught exceptions answer our JSON error.
        server.setErrorHandler(errors);
        HttpConfiguration plain = new HttpConfiguration();
        // RFC 6960 A.1 GET carries url-encoded base64, whose '/' clients such as Java's own
        // revocation checker send as %2F; Jetty answers 400 to that unless allowed. Every route
        // matches its path segments against strict patterns, so a decoded '/' cannot reach
        // anything a plain '/' could not.
        plain.setUriCompliance(UriCompliance.DEFAULT.with("OCSP GET", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(plain));
        connector.setHost(config.http().host());
        connector.setPort(config.http().port());
        server.addConnector(connector);
        EgovPkiConfig.Tls tls = config.http().tls();
        if (tls != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(tls.keyStore().toAbsolutePath().toString());
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePassword(tls.keyStorePassword());
            ServerConnector https = new ServerConnector(server, ssl);
            https.setHost(config.http().host());
            https.setPort(tls.port());
            server.addConnector(https);
        }
        server.setHandler(handler);
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (Exception e) {
            throw new StartupException("HTTP port " + config.http().host() + ":" + config.http().port()
                    + " cannot be opened (" + e.getMessage() + "); start with --http-port N");
        }
        http = server;
        resources.add(server::stop);
        LOG.info("HTTP listening on http://{}:{}{}", config.http().host(), connector.getLocalPort(),
                tls == null ? "" : " and https://" + config.http().host() + ":" + tls.port());
    }

    public CaRegistry registry() {
        return registry;
    }

    public OperatorDirectory operators() {
        return operators;
    }

    public EnrollmentService enrollment() {
        return enrollment;
    }

    /** The CRL publisher (benchmarks; operators use POST /api/v1/crls/{ca}). */
    public CrlPublisher crlPublisher() {
        return crlPublisher;
    }

    public RevocationService revocations() {
        return revocations;
    }

    /**
     * The OCSP responder (also when HTTP is off). A revocation, once its new status is stored,
     * calls {@link OcspResponder#invalidate(String, java.math.BigInteger)} so cached answers for
     * that certificate are dropped at once.
     */
    public OcspResponder ocspResponder() {
        return ocsp;
    }

    /** Operations the embedded directory has served (benchmarks). */
    public EmbeddedDirectory.OperationCounts directoryOperations() {
        return directory.operationCounts();
    }

    /**
     * What the start-up check of the audit trail found ({@link AuditVerification#unrecorded()} are
     * the problems it recorded as an {@code AUDIT_TRAIL_FINDING} at this start).
     */
    public AuditVerification auditCheck() {
        return auditCheck;
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return ((ServerConnector) http.getConnectors()[0]).getLocalPort();
    }

    /** Stops HTTP, routes, the pool and the directory, in that order, then releases the data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (audit != null && registry != null) {
            try {
                audit.record(AuditEvent.success(clock.instant(), AuditEventType.SERVER_STOP, AuditEvent.SYSTEM,
                        List.of(), Map.of()));
                audit.checkpoint("stop");
            } catch (RuntimeException e) {
                LOG.warn("Could not audit the stop: {}", e.getMessage());
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Error while stopping: {}", e.toString());
            }
        }
        resources.clear();
    }

    boolean httpRunning() {
        return http != null && http.isRunning();
    }
}
