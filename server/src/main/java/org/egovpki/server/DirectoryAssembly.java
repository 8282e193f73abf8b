package org.egovpki.server;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.DirectoryProvisioner;
import org.egovpki.directory.X500Mirror;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.schema.DirectoryLayout;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * Start-up steps 5 to 7: the embedded directory and its listener, the tree, service accounts and
 * access control provisioned as the directory admin (whose connection is closed afterwards), and
 * the pool bound as the CA service account that everything else uses, with its health probe. With
 * {@code ldap.external} nothing is started or provisioned: the pools connect to the external directory
 * (TLS as configured), and start-up checks that it was prepared.
 */
final class DirectoryAssembly {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DirectoryAssembly.class);

    /** The name of the CA service account's pool (also its metrics label). */
    static final String CA_POOL = "egov-pki-ca";
    /** The name of the pool operator logins bind on ({@link DirectoryServers#loginPool}). */
    static final String LOGIN_POOL = "egov-pki-logins";

    private final DirectoryServers servers;
    private final LDAPConnectionPool logins;
    private final DirectoryNames names;
    private final EmbeddedDirectory directory;
    private final int port;
    private final LDAPConnectionPool pool;
    private final DirectoryHealth health;
    private final X500Mirror mirror;

    private DirectoryAssembly(DirectoryServers servers, DirectoryNames names, EmbeddedDirectory directory, int port,
                              LDAPConnectionPool pool, LDAPConnectionPool logins, DirectoryHealth health,
                              X500Mirror mirror) {
        this.servers = servers;
        this.logins = logins;
        this.names = names;
        this.directory = directory;
        this.port = port;
        this.pool = pool;
        this.health = health;
        this.mirror = mirror;
    }

    /**
     * @param earlyAudit where the directory's own audit events (lockouts) go until the trail opens
     */
    static DirectoryAssembly start(EgovPkiConfig.Ldap ldap, DataDirectory data, Secrets secrets, AuditLog earlyAudit,
                                   Clock clock, SecureRandom random, Teardown teardown) {
        DirectoryNames names = new DirectoryNames(ldap.baseDn());
        if (ldap.isExternal()) {
            return external(ldap, names, secrets, clock, teardown);
        }
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(
                data.directory(), ldap.host(), ldap.port(), ldap.baseDn(), secrets.directoryAdmin(), ldap.lockout(),
                clock).withX500Contexts(ldap.x500Contexts()).withDurability(ldap.durability()), earlyAudit);
        teardown.add(directory);
        provision(ldap.host(), directory.port(), names, secrets, random,
                EmbeddedDirectory.x500Partitions(ldap.baseDn(), ldap.x500Contexts()));
        DirectoryServers servers = DirectoryServers.embedded(ldap.host(), directory.port());
        LDAPConnectionPool pool = servers.pool(names.caServiceAccount(), secrets.caService(), CA_POOL, "CA");
        teardown.add(pool::close);
        DirectoryHealth health = new DirectoryHealth(pool, names, clock, DirectoryHealth.DEFAULT_TIMEOUT,
                DirectoryHealth.DEFAULT_REUSE);
        LDAPConnectionPool logins = servers.loginPool(LOGIN_POOL);
        teardown.add(logins::close);
        return new DirectoryAssembly(servers, names, directory, directory.port(), pool, logins, health,
                new X500Mirror(pool, names, ldap.x500Contexts()));
    }

    /**
     * An external directory: nothing is started or provisioned here. {@code egov-pki directory
     * prepare-openldap} made the tree, the service accounts and the access rules as the directory's
     * administrator, whose password egov-pki never holds; the CA service account may not create service
     * accounts or {@code ou=km}, so a missing container stops start-up with the command that makes it.
     */
    private static DirectoryAssembly external(EgovPkiConfig.Ldap ldap, DirectoryNames names, Secrets secrets,
                                              Clock clock, Teardown teardown) {
        DirectoryServers servers = DirectoryServers.external(ldap.external());
        LDAPConnectionPool pool;
        try {
            pool = servers.pool(names.caServiceAccount(), secrets.caService(), CA_POOL, "CA");
        } catch (StartupException e) {
            throw new StartupException(e.getMessage() + ". Check ldap.external.caPasswordFile; a directory not "
                    + "prepared for egov-pki yet is prepared with 'egov-pki directory prepare-openldap' "
                    + "(docs/directory.md, \"Running on OpenLDAP\")");
        }
        teardown.add(pool::close);
        List<String> missing = new ArrayList<>();
        try {
            for (DirectoryLayout.Container container : DirectoryLayout.Container.values()) {
                DN dn = new DN(new RDN("ou", container.ou()), names.base());
                if (pool.getEntry(dn.toString(), "1.1") == null) {
                    missing.add(dn.toString());
                }
            }
        } catch (LDAPException e) {
            throw new StartupException("the external directory " + servers + " cannot be read as the CA service "
                    + "account: " + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
        if (!missing.isEmpty()) {
            throw new StartupException("the external directory " + servers + " is not prepared for egov-pki (missing, "
                    + "or hidden from the CA service account: " + String.join("; ", missing) + "); prepare it with "
                    + "'egov-pki directory prepare-openldap' as docs/directory.md, \"Running on OpenLDAP\" says");
        }
        DirectoryHealth health = new DirectoryHealth(pool, names, clock, DirectoryHealth.DEFAULT_TIMEOUT,
                DirectoryHealth.DEFAULT_REUSE);
        LDAPConnectionPool logins = servers.loginPool(LOGIN_POOL);
        teardown.add(logins::close);
        return new DirectoryAssembly(servers, names, null, ldap.port(), pool, logins, health,
                new X500Mirror(pool, names, externalX500Contexts(ldap)));
    }

    /**
     * The mirror's naming contexts on an external directory: the prepared database holds only the
     * base DN, so a configured context that encloses the base (the default {@code c=CN} around
     * {@code o=egov-pki,c=CN}) is narrowed to the base, and one outside it is left out with a warning
     * (it needs a database of its own on the directory host: docs/directory.md, "X.500 names").
     */
    static List<String> externalX500Contexts(EgovPkiConfig.Ldap ldap) {
        List<String> contexts = new ArrayList<>();
        try {
            DN base = new DN(ldap.baseDn());
            for (String configured : ldap.x500Contexts()) {
                DN context = new DN(configured);
                if (context.equals(base) || context.isAncestorOf(base, false)) {
                    if (!contexts.contains(base.toString())) {
                        contexts.add(base.toString());
                    }
                } else if (context.isDescendantOf(base, false)) {
                    contexts.add(context.toString());
                } else {
                    LOG.warn("ldap.x500Names context {} is outside ldap.baseDn on the external directory: names "
                            + "there are not mirrored until the directory has a database for it (docs/directory.md, "
                            + "\"X.500 names\")", configured);
                }
            }
        } catch (LDAPException e) {
            throw new StartupException("ldap.x500Names.namingContexts: " + e.getMessage());
        }
        if (!contexts.isEmpty() && !contexts.equals(ldap.x500Contexts())) {
            LOG.info("X.500-named mirror on the external directory: naming contexts {} (configured {})", contexts,
                    ldap.x500Contexts());
        }
        return contexts;
    }

    private static void provision(String host, int port, DirectoryNames names, Secrets secrets, SecureRandom random,
                                  java.util.List<String> x500Partitions) {
        try (LDAPConnection admin = new LDAPConnection(host, port, EmbeddedDirectory.adminDn(),
                new String(secrets.directoryAdmin()))) {
            DirectoryProvisioner provisioner = new DirectoryProvisioner(admin, names, random,
                    EmbeddedDirectory.SERVICE_ACCOUNT_POLICY_DN);
            provisioner.createTree();
            provisioner.ensureServiceAccount(names.caServiceAccount(),
                    "The egov-pki CA server's own bind account", secrets.caService());
            provisioner.ensureServiceAccount(names.kmServiceAccount(),
                    "The egov-pki key management centre's own bind account, the only one that may read or write ou=km",
                    secrets.kmService());
            new ApacheDsAccessControl(admin, names, x500Partitions).apply();
        } catch (LDAPException e) {
            throw new StartupException("cannot bind to the embedded directory as its administrator: "
                    + e.getResultCode().getName() + " " + e.getDiagnosticMessage());
        }
    }

    /** A pool bound as one of egov-pki's own service accounts (the KM's has its own). */
    LDAPConnectionPool servicePool(DN account, char[] password, String name, String who) {
        return servers.pool(account, password, name, who);
    }

    DirectoryNames names() {
        return names;
    }

    /** Bound as the CA service account. */
    LDAPConnectionPool pool() {
        return pool;
    }

    /** For operator logins only: each connection bound as whichever operator logged in last on it. */
    LDAPConnectionPool loginPool() {
        return logins;
    }

    DirectoryHealth health() {
        return health;
    }

    /** The X.500-named mirror ({@code ldap.x500Names}), written on the CA service account's pool; off when disabled. */
    X500Mirror mirror() {
        return mirror;
    }

    /** The embedded directory, or {@code null} when the server runs against an external one. */
    EmbeddedDirectory directory() {
        return directory;
    }

    /** Whether the directory is external (not started by this server). */
    boolean external() {
        return directory == null;
    }

    /**
     * The port the embedded LDAP listener is bound to (the configured one, or the system's choice for 0);
     * with an external directory the configured {@code ldap.port}, which nothing listens on.
     */
    int port() {
        return port;
    }
}
