package org.egovpki.server.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditLog;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapAuditAnchors;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.server.DataDirectory;
import org.egovpki.server.DirectoryServers;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.PasswordFiles;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.AuditTrails;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * The CLI audit trail ({@code <data>/audit/audit-cli.jsonl}) for a command that runs with the server
 * stopped and holds the data directory's lock ({@code custody reshare}). The trail is checked against
 * its anchor and anchored again like the server's, so the anchors must be reachable: in the external
 * directory ({@code ldap.external}), or in the embedded one, which this class starts on the locked data
 * directory, on a loopback port of the system's choosing, for the time of the command — as
 * {@code audit verify} does for a stopped server. What the embedded directory audits meanwhile (a
 * lockout) goes to the same trail. Closing brings the anchor up to the file, then stops the directory.
 */
final class OfflineAuditTrail implements AutoCloseable {

    private final FileAuditLog log;
    private final Deque<AutoCloseable> opened;

    private OfflineAuditTrail(FileAuditLog log, Deque<AutoCloseable> opened) {
        this.log = log;
        this.opened = opened;
    }

    /**
     * @param reason the trail's start checkpoint's reason, e.g. {@code cli custody reshare}
     * @throws StartupException when the data directory has no audit seal key or its directory cannot be reached
     */
    static OfflineAuditTrail open(EgovPkiConfig config, DataDirectory locked, String reason) {
        Path data = locked.root();
        Path sealKey = data.resolve("secrets").resolve(AuditSeal.SECRET_FILE);
        if (!Files.exists(sealKey)) {
            throw new StartupException("the data directory " + data + " has no audit seal key (" + sealKey + "), so "
                    + "this command cannot be audited; run it on the data directory of a server that has started");
        }
        DirectoryNames names = new DirectoryNames(config.ldap().baseDn());
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            PendingAuditLog directoryAudit = new PendingAuditLog();
            LDAPInterface ldap = directory(config, locked, names, directoryAudit, opened);
            FileAuditLog log = AuditTrails.open(data.resolve("audit").resolve("audit-cli.jsonl"),
                    config.audit().cliTrail(), AuditSeal.loadOrGenerate(sealKey), new LdapAuditAnchors(ldap, names),
                    Clock.systemUTC(), EgovPkiServer.auditRotation(config), reason).log();
            directoryAudit.attach(log);
            return new OfflineAuditTrail(log, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static LDAPInterface directory(EgovPkiConfig config, DataDirectory locked, DirectoryNames names,
                                           AuditLog directoryAudit, Deque<AutoCloseable> opened) {
        if (config.ldap().isExternal()) {
            char[] password = PasswordFiles.read(config.ldap().external().caPasswordFile(),
                    "ldap.external.caPasswordFile");
            var pool = DirectoryServers.of(config.ldap(), 0).pool(names.caServiceAccount(), password, "egov-pki-cli",
                    "CA");
            opened.push(pool::close);
            return pool;
        }
        String adminPassword = secret(locked.root(), "directory-admin.password");
        String service = secret(locked.root(), "ca-service.password");
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(locked.directory(),
                "127.0.0.1", 0, config.ldap().baseDn(), adminPassword.toCharArray(), config.ldap().lockout(),
                Clock.systemUTC()).withX500Contexts(config.ldap().x500Contexts()), directoryAudit);
        opened.push(directory::close);
        try {
            LDAPConnection ldap = new LDAPConnection("127.0.0.1", directory.port(), names.caServiceAccount().toString(),
                    service);
            opened.push(ldap::close);
            return ldap;
        } catch (LDAPException e) {
            throw new StartupException("the data directory's own directory does not accept the CA service account ("
                    + e.getResultCode().getName() + "); is this the right --data?");
        }
    }

    private static String secret(Path data, String name) {
        try {
            return Files.readString(data.resolve("secrets").resolve(name)).trim();
        } catch (NoSuchFileException e) {
            throw new StartupException("the data directory " + data + " has no " + name + "; run this on the data "
                    + "directory of a server that has started at least once");
        } catch (IOException e) {
            throw new StartupException("cannot read " + data.resolve("secrets").resolve(name) + ": " + e.getMessage());
        }
    }

    /** Records the event in the CLI trail, forced to disk. */
    long record(AuditEvent event) {
        return log.record(event);
    }

    @Override
    public void close() {
        try {
            log.close();
        } finally {
            closeAll(opened);
        }
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                // Closing the connection or the directory after the trail is written: nothing left to lose.
            }
        }
    }
}
