package org.egovpki.server;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.security.SecureRandom;
import java.time.Clock;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.directory.DirectoryHealth;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.DirectoryProvisioner;
import org.egovpki.directory.X500Mirror;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * Start-up steps 5 to 7: the embedded directory and its listener, the tree, service accounts and
 * access control provisioned as the directory admin (whose connection is closed afterwards), and
 * the pool bound as the CA service account that everything else uses, with its health probe.
 */
final class DirectoryAssembly {

    private static final int POOL_SIZE = 8;
    /** The name of the CA service account's pool (also its metrics label). */
    static final String CA_POOL = "egov-pki-ca";

    private final String host;
    private final DirectoryNames names;
    private final EmbeddedDirectory directory;
    private final LDAPConnectionPool pool;
    private final DirectoryHealth health;
    private final X500Mirror mirror;

    private DirectoryAssembly(String host, DirectoryNames names, EmbeddedDirectory directory, LDAPConnectionPool pool,
                              DirectoryHealth health, X500Mirror mirror) {
        this.host = host;
        this.names = names;
        this.directory = directory;
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
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(
                data.directory(), ldap.host(), ldap.port(), ldap.baseDn(), secrets.directoryAdmin(), ldap.lockout(),
                clock).withX500Contexts(ldap.x500Contexts()), earlyAudit);
        teardown.add(directory);
        provision(ldap.host(), directory.port(), names, secrets, random,
                EmbeddedDirectory.x500Partitions(ldap.baseDn(), ldap.x500Contexts()));
        LDAPConnectionPool pool = pool(ldap.host(), directory.port(), names.caServiceAccount(), secrets.caService(),
                CA_POOL, "CA");
        teardown.add(pool::close);
        DirectoryHealth health = new DirectoryHealth(pool, names, clock, DirectoryHealth.DEFAULT_TIMEOUT,
                DirectoryHealth.DEFAULT_REUSE);
        return new DirectoryAssembly(ldap.host(), names, directory, pool, health,
                new X500Mirror(pool, names, ldap.x500Contexts()));
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
        return pool(host, directory.port(), account, password, name, who);
    }

    private static LDAPConnectionPool pool(String host, int port, DN account, char[] password, String name,
                                           String who) {
        try {
            SingleServerSet server = new SingleServerSet(host, port);
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

    DirectoryNames names() {
        return names;
    }

    /** Bound as the CA service account. */
    LDAPConnectionPool pool() {
        return pool;
    }

    DirectoryHealth health() {
        return health;
    }

    /** The X.500-named mirror ({@code ldap.x500Names}), written on the CA service account's pool; off when disabled. */
    X500Mirror mirror() {
        return mirror;
    }

    EmbeddedDirectory directory() {
        return directory;
    }

    /** The port the LDAP listener is bound to (the configured one, or the system's choice for 0). */
    int port() {
        return directory.port();
    }
}
