package org.egovpki.directory.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import com.unboundid.ldap.sdk.DN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.directory.api.ldap.model.constants.SchemaConstants;
import org.apache.directory.api.ldap.model.entry.DefaultEntry;
import org.apache.directory.api.ldap.model.entry.DefaultModification;
import org.apache.directory.api.ldap.model.entry.Entry;
import org.apache.directory.api.ldap.model.entry.Modification;
import org.apache.directory.api.ldap.model.entry.ModificationOperation;
import org.apache.directory.api.ldap.model.name.Dn;
import org.apache.directory.api.ldap.model.schema.SchemaManager;
import org.apache.directory.api.ldap.model.schema.comparators.NormalizingComparator;
import org.apache.directory.api.ldap.model.schema.registries.SchemaLoader;
import org.apache.directory.api.ldap.schema.extractor.impl.DefaultSchemaLdifExtractor;
import org.apache.directory.api.ldap.schema.loader.LdifSchemaLoader;
import org.apache.directory.api.ldap.schema.manager.impl.DefaultSchemaManager;
import org.apache.directory.api.util.Strings;
import org.apache.directory.server.constants.ServerDNConstants;
import org.apache.directory.server.core.DefaultDirectoryService;
import org.apache.directory.server.core.api.CoreSession;
import org.apache.directory.server.core.api.DirectoryService;
import org.apache.directory.server.core.api.InstanceLayout;
import org.apache.directory.server.core.api.authn.ppolicy.PasswordPolicyConfiguration;
import org.apache.directory.server.core.authn.AuthenticationInterceptor;
import org.apache.directory.server.core.authn.ppolicy.PpolicyConfigContainer;
import org.apache.directory.api.ldap.model.exception.LdapException;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LockoutPolicy;
import org.apache.directory.server.core.api.InterceptorEnum;
import org.apache.directory.server.core.api.interceptor.Interceptor;
import org.apache.directory.server.core.api.schema.SchemaPartition;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmIndex;
import org.apache.directory.server.core.partition.impl.btree.jdbm.JdbmPartition;
import org.apache.directory.server.core.partition.ldif.LdifPartition;
import org.apache.directory.server.ldap.LdapServer;
import org.apache.directory.server.protocol.shared.transport.TcpTransport;
import org.apache.directory.server.xdbm.Index;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded Apache Directory Server: our own bootstrap (the test factory deletes its working
 * directory on every start), persistent under the given work directory.
 *
 * <p>Start-up order: schema partition (extracted once), system partition, access control on,
 * service start, the admin password reset from the data directory's secret, our schema installed
 * through the admin session (before the data partition, whose indices need our attribute types),
 * the data partition with its indices and context entry, and last the LDAP listener, so no client
 * ever sees a half-built directory.
 *
 * <p>Every write is in a JDBM transaction log, fsynced, before the client gets its answer, so an
 * entry acknowledged to a client survives {@code kill -9}; ApacheDS releases its lock file when the
 * process dies. By default each write is also copied into the database file at once (sync on
 * write); without it a {@link PeriodicSync} copies the logs every few seconds or once one grows
 * past its bound, so the logs (and the replay after a crash) stay short. Both partitions are
 * {@link CrashSafeJdbmPartition}s: the JDBM log a crash leaves is replayed before the partition is
 * opened, and commits hold the record manager's locks, so a restart after {@code kill -9} and
 * concurrent searches cannot corrupt the files.
 */
public final class EmbeddedDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDirectory.class);
    private static final String DATA_PARTITION_ID = "egovpki";
    private static final String ADMIN_DN = ServerDNConstants.ADMIN_SYSTEM_DN;
    /** The name of the password policy with lockout, the default for every account. */
    public static final String LOCKOUT_POLICY_DN = "cn=egovPkiLockout,ou=passwordPolicies,ou=system";
    /** The name of the policy without lockout, which the service accounts name in pwdPolicySubentry. */
    public static final String SERVICE_ACCOUNT_POLICY_DN = "cn=egovPkiServiceAccounts,ou=passwordPolicies,ou=system";

    private final DirectoryService service;
    private final LdapServer ldapServer;
    private final EmbeddedDirectorySettings settings;
    private final OperationCounter counter;
    private final int port;
    private final PeriodicSync periodicSync;

    private EmbeddedDirectory(DirectoryService service, LdapServer ldapServer, EmbeddedDirectorySettings settings,
                              OperationCounter counter, int port, PeriodicSync periodicSync) {
        this.service = service;
        this.ldapServer = ldapServer;
        this.settings = settings;
        this.counter = counter;
        this.port = port;
        this.periodicSync = periodicSync;
    }

    /** Operations served since start (adds, modifies, deletes, searches), for benchmarks and monitoring. */
    public record OperationCounts(long adds, long modifies, long deletes, long searches) {

        public long writes() {
            return adds + modifies + deletes;
        }

        public OperationCounts minus(OperationCounts earlier) {
            return new OperationCounts(adds - earlier.adds, modifies - earlier.modifies, deletes - earlier.deletes,
                    searches - earlier.searches);
        }
    }

    public OperationCounts operationCounts() {
        return counter.snapshot();
    }

    /**
     * The writes since start by kind of entry: the operation, the entry's naming attribute and the
     * nearest {@code ou} above it ({@code "modify egovSerialNumber ou=certificates"}), for benchmarks.
     */
    public Map<String, Long> writesByKind() {
        return counter.writesByKind();
    }

    /**
     * The searches and binds since start by kind: as {@link #writesByKind()}, the base entry's kind,
     * and for a search its scope and filter without values
     * ({@code "search base egovSubscriberId ou=subscribers (objectClass=_)"}), for benchmarks.
     */
    public Map<String, Long> readsByKind() {
        return counter.readsByKind();
    }

    /**
     * Visibility probes the disclosure guard ran since start (nested base searches; the server's
     * service accounts skip them where they see everything), for tests and benchmarks.
     */
    public long disclosureProbes() {
        return ((DisclosureGuard) service.getInterceptor(DisclosureGuard.NAME)).probes();
    }

    /** The DN of the directory's own administrator, which bypasses access control. */
    public static String adminDn() {
        return ADMIN_DN;
    }

    /**
     * Starts the directory and its LDAP listener.
     *
     * @throws EmbeddedDirectoryException with a one-line, operator-readable message
     */
    public static EmbeddedDirectory start(EmbeddedDirectorySettings settings, AuditLog audit) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(audit, "audit");
        DirectoryService service = null;
        boolean opened = false;
        try {
            Files.createDirectories(settings.workDirectory());
            service = startService(settings, audit);
            if (!service.isAccessControlEnabled()) {
                // Our schema is missing (first start, or a new version adds definitions).
                // ApacheDS's access control interceptor fails on a cn=schema modify (NPE in
                // TupleCache), and the data partition's indices need our attribute types, so
                // the schema goes in during a start without either, and the directory restarts.
                installSchema(service, missing(service.getSchemaManager(), settings));
                service.shutdown();
                service = startService(settings, audit);
                if (!service.isAccessControlEnabled()) {
                    throw new EmbeddedDirectoryException("the egov-pki schema did not install into "
                            + settings.workDirectory() + "; see the log above");
                }
            }
            resetAdminPassword(service, settings.adminPassword());
            ensureContextEntry(service, settings);
            opened = true;
            OperationCounter counter = new OperationCounter();
            service.addFirst(counter);
            LdapServer ldapServer = new LdapServer();
            ldapServer.setDirectoryService(service);
            TcpTransport transport = new TcpTransport(settings.host(), settings.port());
            ldapServer.setTransports(transport);
            ldapServer.setServiceName("egov-pki embedded LDAP");
            // ApacheDS caps non-admin searches at 100 entries by default, which would silently cut
            // recovery and listings short; clients set their own limits (every egov-pki search does).
            ldapServer.setMaxSizeLimit(LdapServer.NO_SIZE_LIMIT);
            ldapServer.start();
            int port = ((java.net.InetSocketAddress) transport.getAcceptor().getLocalAddress()).getPort();
            LOG.info("Embedded directory listening on ldap://{}:{} (base {}, data in {})", settings.host(),
                    port, settings.baseDn(), settings.workDirectory());
            PeriodicSync periodicSync = null;
            EmbeddedDirectorySettings.Durability durability = settings.durability();
            if (!durability.syncOnWrite()) {
                periodicSync = PeriodicSync.start(service, durability.syncPeriod(), durability.maxLogBytes());
                LOG.info("Embedded directory without sync on write: transaction logs copied into the database "
                        + "files every {} s or at {} MiB", durability.syncPeriod().toSeconds(),
                        durability.maxLogBytes() >> 20);
            }
            return new EmbeddedDirectory(service, ldapServer, settings, counter, port, periodicSync);
        } catch (EmbeddedDirectoryException e) {
            shutdownQuietly(service);
            throw e;
        } catch (Exception e) {
            shutdownQuietly(service);
            if (!opened) {
                throw new EmbeddedDirectoryException(cannotOpen(settings.workDirectory(), rootMessage(e)), e);
            }
            throw new EmbeddedDirectoryException("embedded directory failed to start in "
                    + settings.workDirectory() + ": " + rootMessage(e), e);
        } catch (Error e) {
            // JDBM reports a damaged file with a plain java.lang.Error (ERR_544 file header magic not
            // OK, ...); any other Error (out of memory, ...) is not ours to translate.
            if (e.getClass() != Error.class) {
                throw e;
            }
            shutdownQuietly(service);
            throw new EmbeddedDirectoryException(cannotOpen(settings.workDirectory(), e.getMessage()), e);
        }
    }

    /**
     * Starts the directory service. With our schema complete, access control is on and the data
     * partition is added before start-up — it must be, because the access control interceptor
     * loads its subentries only from partitions present at start-up. With the schema incomplete,
     * neither is, so the caller can install the schema and start again.
     */
    private static DirectoryService startService(EmbeddedDirectorySettings settings, AuditLog audit)
            throws Exception {
        DefaultDirectoryService service = new DefaultDirectoryService();
        service.setShutdownHookEnabled(false); // the launcher owns shutdown ordering
        service.setInstanceId("egov-pki");
        InstanceLayout layout = new InstanceLayout(settings.workDirectory().toFile());
        service.setInstanceLayout(layout);

        File partitions = layout.getPartitionsDirectory();
        File schemaDirectory = new File(partitions, "schema");
        if (!schemaDirectory.exists()) {
            new DefaultSchemaLdifExtractor(partitions).extractOrCopy();
        }
        SchemaLoader loader = new LdifSchemaLoader(schemaDirectory);
        SchemaManager schemaManager = new DefaultSchemaManager(loader);
        schemaManager.loadAllEnabled();
        // ApacheDS's string preparation refuses characters outside the BMP (CJK Extension B ...).
        CodePointStringPrep.install(schemaManager);
        schemaManager.getComparatorRegistry().forEach(c -> {
            if (c instanceof NormalizingComparator normalizing) {
                normalizing.setOnServer();
            }
        });
        if (!schemaManager.getErrors().isEmpty()) {
            throw new EmbeddedDirectoryException("the directory schema in " + schemaDirectory
                    + " does not load: " + schemaManager.getErrors());
        }
        service.setSchemaManager(schemaManager);

        LdifPartition schemaLdif = new LdifPartition(schemaManager, service.getDnFactory());
        schemaLdif.setPartitionPath(schemaDirectory.toURI());
        SchemaPartition schemaPartition = new SchemaPartition(schemaManager);
        schemaPartition.setWrappedPartition(schemaLdif);
        service.setSchemaPartition(schemaPartition);

        JdbmPartition system = new CrashSafeJdbmPartition(schemaManager, service.getDnFactory());
        system.setId("system");
        system.setSuffixDn(new Dn(schemaManager, ServerDNConstants.SYSTEM_DN));
        system.setPartitionPath(new File(partitions, "system").toURI());
        system.setSyncOnWrite(settings.durability().syncOnWrite());
        service.setSystemPartition(system);

        service.getChangeLog().setEnabled(false);
        service.setDenormalizeOpAttrsEnabled(true);
        boolean schemaComplete = missing(schemaManager, settings).isEmpty();
        service.setAccessControlEnabled(schemaComplete);
        service.setAllowAnonymousAccess(true);
        List<Interceptor> chain = new ArrayList<>(service.getInterceptors());
        // Outside the access control and disclosure filters: it renames what they let through.
        chain.add(position(chain, InterceptorEnum.ACI_AUTHORIZATION_INTERCEPTOR), new BinaryTransfer());
        if (schemaComplete) {
            service.addPartition(dataPartition(service, settings));
            for (String context : x500Partitions(settings)) {
                service.addPartition(x500Partition(service, context, settings.durability().syncOnWrite()));
            }
            chain.add(position(chain, InterceptorEnum.ACI_AUTHORIZATION_INTERCEPTOR),
                    new DisclosureGuard(settings.baseDn(), fullView(settings.baseDn())));
            int authentication = position(chain, InterceptorEnum.AUTHENTICATION_INTERCEPTOR);
            passwordPolicy(schemaManager, (AuthenticationInterceptor) chain.get(authentication), settings.lockout());
            chain.add(authentication, new BindGuard(settings.baseDn(), settings.lockout(), audit,
                    settings.clock()));
        }
        service.setInterceptors(chain);
        Clock clock = settings.clock();
        service.setTimeProvider(clock::millis);
        service.startup();
        return service;
    }

    /**
     * The password policy: every account is locked after {@code lockout.maxFailures()} failed binds
     * within the failure window, for the lockout duration (a failed bind while locked starts the
     * duration again), except the service accounts, which name {@link #SERVICE_ACCOUNT_POLICY_DN}
     * in {@code pwdPolicySubentry}: their passwords are long generated secrets, and a lock would
     * let anyone who can reach the LDAP port stop the CA or the KM. The directory administrator
     * is never locked by ApacheDS. The policies are kept in the server's configuration, not as
     * entries, so the DNs name them only.
     */
    private static void passwordPolicy(SchemaManager schemaManager, AuthenticationInterceptor authentication,
                                       LockoutPolicy lockout) throws LdapException {
        PasswordPolicyConfiguration locking = new PasswordPolicyConfiguration();
        locking.setPwdLockout(true);
        locking.setPwdMaxFailure(lockout.maxFailures());
        locking.setPwdLockoutDuration(lockout.durationSeconds());
        locking.setPwdFailureCountInterval(lockout.failureWindowSeconds());
        PasswordPolicyConfiguration serviceAccounts = new PasswordPolicyConfiguration();
        serviceAccounts.setPwdLockout(false);
        // Failed binds are still recorded; they are forgotten after the same window.
        serviceAccounts.setPwdFailureCountInterval(lockout.failureWindowSeconds());
        PpolicyConfigContainer policies = new PpolicyConfigContainer();
        Dn lockingDn = new Dn(schemaManager, LOCKOUT_POLICY_DN);
        policies.addPolicy(lockingDn, locking);
        policies.setDefaultPolicyDn(lockingDn);
        policies.addPolicy(new Dn(schemaManager, SERVICE_ACCOUNT_POLICY_DN), serviceAccounts);
        authentication.setPwdPolicies(policies);
    }

    /** The service accounts' full views of egov-pki's access control, by name, for the disclosure guard. */
    private static Map<String, Set<String>> fullView(String baseDn) {
        Map<String, Set<String>> view = new HashMap<>();
        ApacheDsAccessControl.fullView(new DirectoryNames(baseDn)).forEach((account, containers) -> view.put(
                account.toString(), containers.stream().map(DN::toString).collect(Collectors.toUnmodifiableSet())));
        return view;
    }

    private static int position(List<Interceptor> chain, InterceptorEnum interceptor) {
        for (int i = 0; i < chain.size(); i++) {
            if (chain.get(i).getName().equals(interceptor.getName())) {
                return i;
            }
        }
        throw new IllegalStateException("ApacheDS has no " + interceptor.getName() + " in its interceptor chain");
    }

    private static void resetAdminPassword(DirectoryService service, char[] password) throws Exception {
        CoreSession admin = service.getAdminSession();
        Modification replace = new DefaultModification(ModificationOperation.REPLACE_ATTRIBUTE,
                SchemaConstants.USER_PASSWORD_AT, Strings.getBytesUtf8(new String(password)));
        admin.modify(new Dn(service.getSchemaManager(), ADMIN_DN), replace);
    }

    /** Our definitions the loaded schema does not have yet, attribute types first. */
    private static List<EmbeddedDirectorySettings.SchemaDefinition> missing(SchemaManager schemaManager,
                                                                            EmbeddedDirectorySettings settings) {
        return settings.schemaDefinitions().stream()
                .filter(d -> d.objectClass()
                        ? !schemaManager.getObjectClassRegistry().contains(d.oid())
                        : !schemaManager.getAttributeTypeRegistry().contains(d.oid()))
                .toList();
    }

    private static void installSchema(DirectoryService service,
                                      List<EmbeddedDirectorySettings.SchemaDefinition> missing) throws Exception {
        String[] attributeTypes = missing.stream().filter(d -> !d.objectClass())
                .map(EmbeddedDirectorySettings.SchemaDefinition::definition).toArray(String[]::new);
        String[] objectClasses = missing.stream().filter(EmbeddedDirectorySettings.SchemaDefinition::objectClass)
                .map(EmbeddedDirectorySettings.SchemaDefinition::definition).toArray(String[]::new);
        Dn subschema = new Dn(service.getSchemaManager(), ServerDNConstants.CN_SCHEMA_DN);
        CoreSession admin = service.getAdminSession();
        // Attribute types first: the object classes refer to them.
        if (attributeTypes.length > 0) {
            admin.modify(subschema, new DefaultModification(ModificationOperation.ADD_ATTRIBUTE,
                    SchemaConstants.ATTRIBUTE_TYPES_AT, attributeTypes));
        }
        if (objectClasses.length > 0) {
            admin.modify(subschema, new DefaultModification(ModificationOperation.ADD_ATTRIBUTE,
                    SchemaConstants.OBJECT_CLASSES_AT, objectClasses));
        }
        LOG.info("Installed egov-pki schema: {} attribute types, {} object classes",
                attributeTypes.length, objectClasses.length);
    }

    private static JdbmPartition dataPartition(DirectoryService service, EmbeddedDirectorySettings settings)
            throws Exception {
        SchemaManager schemaManager = service.getSchemaManager();
        JdbmPartition data = new CrashSafeJdbmPartition(schemaManager, service.getDnFactory());
        data.setId(DATA_PARTITION_ID);
        data.setSuffixDn(new Dn(schemaManager, settings.baseDn()));
        data.setPartitionPath(new File(service.getInstanceLayout().getPartitionsDirectory(), DATA_PARTITION_ID)
                .toURI());
        data.setSyncOnWrite(settings.durability().syncOnWrite());
        data.setCacheSize(10_000);
        Set<Index<?, String>> indices = data.getIndexedAttributes();
        for (String attribute : settings.indexedAttributes()) {
            JdbmIndex<Object> index = new JdbmIndex<>(attribute, false);
            index.setCacheSize(1_000);
            indices.add(index);
        }
        data.setIndexedAttributes(indices);
        return data;
    }

    /**
     * The X.500 mirror's naming contexts that need a partition of their own: those not at or below
     * the base DN (names below it live in the data partition, beside {@code ou=CAs}).
     */
    static List<String> x500Partitions(EmbeddedDirectorySettings settings) {
        return x500Partitions(settings.baseDn(), settings.x500Contexts());
    }

    /** Of {@code contexts}, those not at or below {@code baseDn}: each is a partition of its own. */
    public static List<String> x500Partitions(String baseDn, List<String> contexts) {
        DN base = dn(baseDn);
        List<String> partitions = new ArrayList<>();
        for (String context : contexts) {
            DN dn = dn(context);
            if (!dn.isDescendantOf(base, true)) {
                partitions.add(context);
            }
        }
        return partitions;
    }

    private static DN dn(String text) {
        try {
            return new DN(text);
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            throw new EmbeddedDirectoryException("'" + text + "' is not an LDAP DN: " + e.getMessage());
        }
    }

    /**
     * A partition for one naming context of the X.500 mirror: public certificates and CRLs only,
     * so small and indexed on objectClass alone. Its id is derived from the normalized suffix, so
     * the same context finds the same files on every start whatever else the list holds.
     */
    private static JdbmPartition x500Partition(DirectoryService service, String context, boolean syncOnWrite)
            throws Exception {
        SchemaManager schemaManager = service.getSchemaManager();
        Dn suffix = new Dn(schemaManager, context);
        String id = "x500-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(suffix.getNormName().getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 8);
        JdbmPartition partition = new CrashSafeJdbmPartition(schemaManager, service.getDnFactory());
        partition.setId(id);
        partition.setSuffixDn(suffix);
        partition.setPartitionPath(new File(service.getInstanceLayout().getPartitionsDirectory(), id).toURI());
        partition.setSyncOnWrite(syncOnWrite);
        Set<Index<?, String>> indices = partition.getIndexedAttributes();
        JdbmIndex<Object> objectClass = new JdbmIndex<>(SchemaConstants.OBJECT_CLASS_AT, false);
        indices.add(objectClass);
        partition.setIndexedAttributes(indices);
        return partition;
    }

    private static void ensureContextEntry(DirectoryService service, EmbeddedDirectorySettings settings)
            throws Exception {
        SchemaManager schemaManager = service.getSchemaManager();
        Dn suffix = new Dn(schemaManager, settings.baseDn());
        CoreSession admin = service.getAdminSession();
        if (!admin.exists(suffix)) {
            Entry context = new DefaultEntry(schemaManager, suffix);
            context.add(SchemaConstants.OBJECT_CLASS_AT, "top", "organization");
            context.add("o", suffix.getRdn().getValue());
            admin.add(context);
            LOG.info("Created directory suffix {}", suffix);
        }
        for (String name : x500Partitions(settings)) {
            Dn x500 = new Dn(schemaManager, name);
            if (!admin.exists(x500)) {
                Entry context = new DefaultEntry(schemaManager, x500);
                context.add(SchemaConstants.OBJECT_CLASS_AT, "top", X500_NAME_CLASS);
                for (org.apache.directory.api.ldap.model.name.Ava ava : x500.getRdn()) {
                    context.add(ava.getType(), ava.getValue().getString());
                }
                admin.add(context);
                LOG.info("Created the X.500 naming context {}", x500);
            }
        }
    }

    /**
     * Syncs the JDBM partitions now (copies their transaction logs into the database files and
     * truncates the logs) under the directory's write lock, so no write is half done. Runs by
     * itself without sync on write; for tests and operations.
     */
    public void syncPartitions() {
        PeriodicSync.syncAll(service);
    }

    /** The length of the data partition's transaction log ({@code egovpki.lg}) in bytes, 0 if absent. */
    public long dataLogLength() {
        try {
            java.nio.file.Path log = new File(new File(service.getInstanceLayout().getPartitionsDirectory(),
                    DATA_PARTITION_ID), DATA_PARTITION_ID + ".lg").toPath();
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The length of a transaction log holding no transaction (what a sync leaves). */
    public static long emptyLogLength() {
        return CrashSafeJdbmPartition.EMPTY_LOG_LENGTH;
    }

    /**
     * The one line for a directory whose files cannot be opened: a damaged {@code .db} (a disk
     * error, a copy taken while the server ran) fails here, before anything is served.
     */
    static String cannotOpen(java.nio.file.Path workDirectory, String reason) {
        String directory = workDirectory.toAbsolutePath().normalize().toString();
        return "the embedded directory in " + directory + " cannot be opened (" + reason + "). Start egov-pki "
                + "once more (a crash's transaction log is replayed at start); if it fails again, the directory "
                + "files are damaged: stop egov-pki, set them aside with 'mv " + directory + " " + directory
                + ".damaged', restore them from your last backup with 'cp -a BACKUP/directory " + directory
                + "', and start again";
    }

    /** The structural class of every entry of the X.500 mirror (schema: egovX500Name). */
    private static final String X500_NAME_CLASS = "egovX500Name";

    /** The LDAP URL clients use to reach this directory. */
    public String url() {
        return "ldap://" + settings.host() + ":" + port;
    }

    /**
     * The port the LDAP listener is bound to: the configured one, or the one the system chose
     * when the settings ask for port 0.
     */
    public int port() {
        return port;
    }

    public boolean isRunning() {
        return service.isStarted() && ldapServer.isStarted();
    }

    /** Stops the listener, then the directory service, flushing the partitions. */
    @Override
    public void close() {
        if (periodicSync != null) {
            periodicSync.close();
        }
        try {
            ldapServer.stop();
        } catch (RuntimeException e) {
            LOG.warn("LDAP listener did not stop cleanly: {}", e.toString());
        }
        shutdownQuietly(service);
        LOG.info("Embedded directory stopped");
    }

    private static void shutdownQuietly(DirectoryService service) {
        if (service == null || !service.isStarted()) {
            return;
        }
        try {
            service.shutdown();
        } catch (Exception e) {
            LOG.warn("Directory service did not shut down cleanly: {}", e.toString());
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }

    /** A start-up failure with a message an operator can act on. */
    public static final class EmbeddedDirectoryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public EmbeddedDirectoryException(String message) {
            super(message);
        }

        public EmbeddedDirectoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
