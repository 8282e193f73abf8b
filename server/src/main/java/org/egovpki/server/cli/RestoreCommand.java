package org.egovpki.server.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.embedded.ApacheDsAccessControl;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.server.DataDirectory;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.backup.ArchiveKeys;
import org.egovpki.server.backup.BackupArchive;
import org.egovpki.server.backup.DirectoryLdif;
import org.egovpki.server.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki restore}: a backup archive into an empty (or new) data directory.
 *
 * <p>Everything is checked before anything is written: the target is empty, the passphrase opens
 * the manifest, every member matches its SHA-256, the secrets bundle and the LDIF their GCM tags. Then the
 * files go back (secrets, key stores, audit trails byte for byte, the configuration as
 * {@code <data>/conf/egov-pki.yaml}) and the decrypted LDIF (in memory) is loaded into a fresh embedded directory as its
 * administrator. If that fails, what restore wrote is removed again. Exit 0 restored, 2 refused
 * (target not empty, wrong passphrase or damaged archive, member mismatch) with nothing written.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup archive into an empty data directory; then start the server on it with serve.")
final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--archive", required = true, paramLabel = "FILE", description = "the archive egov-pki backup wrote")
    Path archive;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the data directory to create (empty or absent)")
    Path data;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the passphrase from the first line of FILE; without it the passphrase is asked on the terminal")
    Path passphraseFile;

    @Override
    public Integer call() throws IOException {
        Path target = data.toAbsolutePath().normalize();
        refuseNonEmpty(target);
        if (!Files.isRegularFile(archive)) {
            throw new StartupException("no archive at " + archive);
        }
        char[] passphrase = Passphrases.read(passphraseFile, false);
        BackupArchive.Opened opened;
        try {
            opened = BackupArchive.open(archive, passphrase);
        } catch (ArchiveKeys.WrongPassphraseException e) {
            throw new StartupException(e.getMessage());
        } catch (IOException e) {
            throw new StartupException(e.getMessage() + "; nothing was written");
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        boolean created = !Files.exists(target);
        boolean withConfig = opened.hasConfig();
        int entries;
        try (opened) {
            try (DataDirectory locked = DataDirectory.lock(target)) {
                entries = restore(opened, locked);
            } catch (IOException | RuntimeException e) {
                removeWritten(target, created);
                throw e;
            }
        }
        var out = spec.commandLine().getOut();
        out.println("restored " + archive + " (taken " + opened.manifest().path("createdAt").asText() + " from "
                + opened.manifest().path("sourceDataDirectory").asText() + ", egov-pki "
                + opened.manifest().path("version").asText() + ") into " + target + ": " + entries
                + " directory entries");
        if (withConfig) {
            out.println("the configuration it was taken with is " + target.resolve("conf").resolve("egov-pki.yaml")
                    + "; check its data and ports, then: egov-pki serve --config FILE --data " + target);
        } else {
            out.println("it was taken with the built-in defaults; start with: egov-pki serve --data " + target);
        }
        out.flush();
        return 0;
    }

    private static void refuseNonEmpty(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new StartupException(target + " is not a directory; restore into an empty or new directory");
        }
        try (Stream<Path> children = Files.list(target)) {
            var first = children.findFirst();
            if (first.isPresent()) {
                throw new StartupException("restore refused: " + target + " is not empty (it holds "
                        + first.get().getFileName() + "); restore only into an empty or new directory; nothing was written");
            }
        }
    }

    private static int restore(BackupArchive.Opened opened, DataDirectory data) throws IOException {
        Path root = data.root();
        for (Map.Entry<String, byte[]> file : opened.secretFiles().entrySet()) {
            write(root, file.getKey(), file.getValue());
        }
        for (String member : opened.auditFiles()) {
            try (InputStream in = opened.member(member)) {
                write(root, member, in.readAllBytes());
            }
        }
        if (opened.hasConfig()) {
            write(root, "conf/egov-pki.yaml", opened.config());
        }
        Path adminSecret = root.resolve("secrets").resolve("directory-admin.password");
        if (!Files.exists(adminSecret)) {
            throw new StartupException("the archive holds no secrets/directory-admin.password; it cannot be restored");
        }
        String adminPassword = Files.readString(adminSecret).trim();
        String baseDn = opened.baseDn();
        EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(data.directory(),
                "127.0.0.1", 0, baseDn, adminPassword.toCharArray(), ConfigLoader.defaults().ldap().lockout(),
                Clock.systemUTC()), new PendingAuditLog());
        try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", directory.port(), EmbeddedDirectory.adminDn(),
                adminPassword); InputStream ldif = opened.directoryLdif()) {
            int entries = DirectoryLdif.load(ldap, baseDn, ldif);
            // The access control subentries are not in the LDIF (the server rewrites them at every start); apply
            // them now, so the service accounts see the restored tree before any start (audit verify binds as one).
            new ApacheDsAccessControl(ldap, new DirectoryNames(baseDn)).apply();
            return entries;
        } catch (LDAPException e) {
            throw new StartupException("the directory could not be loaded: " + e.getMessage());
        } finally {
            directory.close();
        }
    }

    /** Writes one file, owner-only (0700 directories, 0600 files), and forces it to disk. */
    private static void write(Path root, String name, byte[] content) throws IOException {
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root)) {
            throw new StartupException("archive member " + name + " points outside the data directory");
        }
        Path dir = root;
        for (Path part : root.relativize(file.getParent())) {
            dir = dir.resolve(part);
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir);
                owner(dir, "rwx------");
            }
        }
        Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        owner(file, "rw-------");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static void owner(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    /** Removes what a failed restore wrote: the directory it created, or the contents of the empty one it was given. */
    private static void removeWritten(Path target, boolean created) {
        if (!Files.exists(target)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(target)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                if (created || !path.equals(target)) {
                    Files.deleteIfExists(path);
                }
            }
        } catch (IOException e) {
            System.err.println("egov-pki: could not remove the partly restored " + target + " (" + e.getMessage()
                    + "); remove it before restoring again");
        }
    }
}
