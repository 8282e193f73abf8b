package org.egovpki.server.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.server.DataDirectory;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.backup.BackupArchive;
import org.egovpki.server.backup.DirectoryLdif;
import org.egovpki.server.config.EgovPkiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki backup}: an offline, consistent snapshot of a stopped server's data directory
 * into one archive ({@link BackupArchive}).
 *
 * <p>Consistency comes from the data directory's lock: the command takes it as the server does,
 * so it refuses while a server (or another command that opens the directory) runs, and nothing
 * can write to the directory, the key stores, the secrets or the audit trail while it reads them.
 * It then opens the embedded directory itself on a loopback port the system chooses, exports it
 * as the directory administrator into memory (the LDIF never lies on disk in clear; it is sealed
 * into the archive and the buffer wiped), closes it, and reads the files. Exit 0 written, 2 refused
 * (server running, no data directory, archive exists, short passphrase) with nothing written.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Write an offline backup of a stopped server's data directory: the directory as LDIF and "
                + "the keys and secrets, encrypted under a passphrase; the configuration file; the audit trails.")
final class BackupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Main.ServerOptions options;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the archive to write (must not exist)")
    Path out;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the passphrase (at least 12 characters) from the first line of FILE; "
                    + "without it the passphrase is asked on the terminal, twice")
    Path passphraseFile;

    @Override
    public Integer call() throws IOException {
        EgovPkiConfig config = options.load(null);
        Path data = config.dataDirectory().toAbsolutePath().normalize();
        if (config.ldap().external() != null) {
            throw new StartupException("the directory is an external OpenLDAP (ldap.external), which this command does "
                    + "not read: back it up with slapcat on the directory host and the data directory's files with "
                    + "the host's tools (docs/operations.md, \"Backup and restore\")");
        }
        Path adminSecret = data.resolve("secrets").resolve("directory-admin.password");
        if (!Files.isDirectory(data.resolve("directory")) || !Files.exists(adminSecret)) {
            throw new StartupException(data + " is not the data directory of a server that has started (no directory/ "
                    + "or secrets/directory-admin.password); give --data DIR");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new StartupException(target + " exists; a backup never overwrites a file: choose another --out");
        }
        if (target.startsWith(data)) {
            throw new StartupException("--out " + target + " is inside the data directory; write the archive elsewhere");
        }
        char[] passphrase = Passphrases.read(passphraseFile, true);
        try {
            return backup(config, data, target, adminSecret, passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private int backup(EgovPkiConfig config, Path data, Path target, Path adminSecret, char[] passphrase)
            throws IOException {
        DataDirectory locked;
        try {
            locked = DataDirectory.lock(data);
        } catch (StartupException e) {
            throw new StartupException("backup refused, stop the server first (a backup is an offline snapshot): "
                    + e.getMessage());
        }
        try (locked) {
            // The LDIF stays in memory (never on disk in clear) and is sealed into the archive; wiped after.
            ExportBuffer ldif = new ExportBuffer();
            byte[] exported = null;
            try {
                int entries = export(config, locked, ldif, Files.readString(adminSecret).trim());
                exported = ldif.toByteArray();
                List<BackupArchive.Member> members = BackupArchive.write(target, new BackupArchive.Sources(data, exported,
                        options.config == null ? null : options.config.toAbsolutePath().normalize(),
                        config.ldap().baseDn(), Main.version(), Clock.systemUTC().instant()), passphrase,
                        new SecureRandom());
                // Read back as restore will: an archive that would not restore must not look like a backup.
                try (BackupArchive.Opened check = BackupArchive.open(target, passphrase)) {
                    if (check.secretFiles().isEmpty()) {
                        throw new IOException("the sealed bundle is empty");
                    }
                    if (!Arrays.equals(check.ldif(), exported)) {
                        throw new IOException("the sealed LDIF is not the export");
                    }
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(target);
                    throw new StartupException("the archive written to " + target + " did not read back (" + e.getMessage()
                            + "); it was removed");
                }
                spec.commandLine().getOut().println("backup written and read back: " + target + " (" + entries
                        + " directory entries, " + members.size() + " members; keep the passphrase apart from it)");
                if (config.caKeys().store() == EgovPkiConfig.CaKeyStoreType.PKCS12) {
                    spec.commandLine().getOut().println("the CA keys are in it (sealed): caKeys.store is pkcs12");
                } else {
                    spec.commandLine().getOut().println("the CA keys are NOT in it: they stay on the PKCS#11 token "
                            + "(caKeys.store: pkcs11); back the token up with its vendor's procedure");
                }
                spec.commandLine().getOut().flush();
                return 0;
            } finally {
                ldif.wipe();
                if (exported != null) {
                    Arrays.fill(exported, (byte) 0);
                }
            }
        }
    }

    /** The export in memory, wiped once sealed. */
    private static final class ExportBuffer extends ByteArrayOutputStream {
        ExportBuffer() {
            super(1 << 20);
        }

        void wipe() {
            Arrays.fill(buf, (byte) 0);
            reset();
        }
    }

    private static int export(EgovPkiConfig config, DataDirectory data, OutputStream ldif, String adminPassword)
            throws IOException {
        // Only this command reaches the directory, on a loopback port of the system's choosing, for the export.
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(data.directory(),
                "127.0.0.1", 0, config.ldap().baseDn(), adminPassword.toCharArray(), config.ldap().lockout(),
                Clock.systemUTC()), new PendingAuditLog());
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(),
                adminPassword)) {
            return DirectoryLdif.export(ldap, config.ldap().baseDn(), ldif);
        } catch (LDAPException e) {
            throw new StartupException("cannot export the directory of " + data.root() + " (" + e.getResultCode().getName()
                    + ": " + e.getMessage() + "); is ldap.baseDn the one this data directory was created with?");
        } finally {
            directory.close();
        }
    }
}
