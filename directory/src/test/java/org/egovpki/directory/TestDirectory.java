package org.egovpki.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.operator.Role;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;

/**
 * The real embedded directory for a test class, in a temporary directory, set up the way the
 * server does it: the tree, the CA's and the KM's service accounts and the access control
 * subentries, all written as the directory administrator. Connections it hands out are closed
 * with it.
 */
public final class TestDirectory implements AutoCloseable {

    public static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "admin-secret-1";
    private static final String CA_PASSWORD = "ca-service-secret-1";
    private static final String KM_PASSWORD = "km-service-secret-1";

    private final EmbeddedDirectory directory;
    private final int port;
    private final DirectoryNames names = new DirectoryNames(BASE);
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    private final LockoutPolicy lockout;
    private final List<AuditEvent> audited;

    private TestDirectory(EmbeddedDirectory directory, int port, LockoutPolicy lockout, List<AuditEvent> audited) {
        this.directory = directory;
        this.port = port;
        this.lockout = lockout;
        this.audited = audited;
    }

    /** The audit events the directory wrote (lockouts). */
    public List<AuditEvent> audited() {
        return List.copyOf(audited);
    }

    public int port() {
        return port;
    }

    /** The directory's writes since start by kind of entry ({@link EmbeddedDirectory#writesByKind()}). */
    public Map<String, Long> writesByKind() {
        return directory.writesByKind();
    }

    /** The directory's searches and binds since start by kind ({@link EmbeddedDirectory#readsByKind()}). */
    public Map<String, Long> readsByKind() {
        return directory.readsByKind();
    }

    /** Visibility probes the directory's disclosure guard has run since start. */
    public long disclosureProbes() {
        return directory.disclosureProbes();
    }

    /** Operators as the server sees them: logins are binds on fresh connections. */
    public LdapOperatorDirectory operators() throws LDAPException {
        return new LdapOperatorDirectory(ca(), names, LdapOperatorDirectory.fresh("127.0.0.1", port),
                new SecureRandom(), lockout);
    }

    /** The password {@link #operator} gives {@code uid}. */
    public static String operatorPassword(String uid) {
        return "Operator-pass-" + Integer.toHexString(uid.hashCode()) + "1";
    }

    /** Starts a directory in {@code work} and provisions it as {@code EgovPkiServer} does. */
    public static TestDirectory start(Path work) throws LDAPException {
        return start(work, LockoutPolicy.DEFAULT, Clock.systemUTC());
    }

    /** As {@link #start(Path)}, with this lockout policy and the directory's time from {@code clock}. */
    public static TestDirectory start(Path work, LockoutPolicy lockout, Clock clock) throws LDAPException {
        return start(work, lockout, clock, List.of());
    }

    /** As {@link #start(Path)}, with the X.500-named mirror's naming contexts. */
    public static TestDirectory start(Path work, List<String> x500Contexts) throws LDAPException {
        return start(work, LockoutPolicy.DEFAULT, Clock.systemUTC(), x500Contexts);
    }

    private static TestDirectory start(Path work, LockoutPolicy lockout, Clock clock, List<String> x500Contexts)
            throws LDAPException {
        List<AuditEvent> audited = new CopyOnWriteArrayList<>();
        // Port 0: the listener takes a port the system chooses, so no test races another for it.
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(work, "127.0.0.1",
                0, BASE, ADMIN_PASSWORD.toCharArray(), lockout, clock).withX500Contexts(x500Contexts), event -> {
                    audited.add(event);
                    return audited.size();
                });
        TestDirectory test = new TestDirectory(directory, directory.port(), lockout, audited);
        try (LDAPConnection admin = test.bind(EmbeddedDirectory.adminDn(), ADMIN_PASSWORD)) {
            DirectoryProvisioner provisioner = new DirectoryProvisioner(admin, test.names, new SecureRandom(),
                    EmbeddedDirectory.SERVICE_ACCOUNT_POLICY_DN);
            provisioner.createTree();
            provisioner.ensureServiceAccount(test.names.caServiceAccount(), "CA (test)", CA_PASSWORD.toCharArray());
            provisioner.ensureServiceAccount(test.names.kmServiceAccount(), "KM (test)", KM_PASSWORD.toCharArray());
            new ApacheDsAccessControl(admin, test.names, EmbeddedDirectory.x500Partitions(BASE, x500Contexts)).apply();
        } catch (LDAPException | RuntimeException e) {
            directory.close();
            throw e;
        }
        return test;
    }

    public DirectoryNames names() {
        return names;
    }

    /** A pool of {@code size} connections bound as the directory administrator (no access control). */
    public LDAPConnectionPool adminPool(int size) throws LDAPException {
        return pool(EmbeddedDirectory.adminDn(), ADMIN_PASSWORD, size);
    }

    public LDAPConnection admin() throws LDAPException {
        return track(bind(EmbeddedDirectory.adminDn(), ADMIN_PASSWORD));
    }

    /** Bound as the CA server's service account. */
    public LDAPConnection ca() throws LDAPException {
        return track(bind(names.caServiceAccount().toString(), CA_PASSWORD));
    }

    /** Bound as the KM's service account. */
    public LDAPConnection km() throws LDAPException {
        return track(bind(names.kmServiceAccount().toString(), KM_PASSWORD));
    }

    /** A pool of {@code size} connections bound as the KM's service account. */
    public LDAPConnectionPool kmPool(int size) throws LDAPException {
        return pool(names.kmServiceAccount().toString(), KM_PASSWORD, size);
    }

    /** Not bound at all. */
    public LDAPConnection anonymous() throws LDAPException {
        return track(new LDAPConnection("127.0.0.1", port));
    }

    /** Creates operator {@code uid} (as the CA does, with its own account) and binds as it. */
    public LDAPConnection operator(String uid, Role role) throws LDAPException {
        String password = operatorPassword(uid);
        operators().create(uid, "Operator " + uid, EnumSet.of(role), password.toCharArray());
        return track(bind(names.operator(uid).toString(), password));
    }

    public DN operatorDn(String uid) {
        return names.operator(uid);
    }

    private LDAPConnectionPool pool(String dn, String password, int size) throws LDAPException {
        // All connections from the start; the pool hands them out in turn (first in, first out).
        return track(new LDAPConnectionPool(new SingleServerSet("127.0.0.1", port), new SimpleBindRequest(dn, password),
                size, size));
    }

    private LDAPConnection bind(String dn, String password) throws LDAPException {
        return new LDAPConnection("127.0.0.1", port, dn, password);
    }

    private <T extends AutoCloseable> T track(T connection) {
        opened.push(connection);
        return connection;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception ignored) {
                // Closing a connection of a stopping test: nothing to do about it.
            }
        }
        directory.close();
    }
}
