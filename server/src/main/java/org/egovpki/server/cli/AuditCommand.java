package org.egovpki.server.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.egovpki.core.audit.AuditAnchors;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapAuditAnchors;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.embedded.EmbeddedDirectorySettings;
import org.egovpki.server.DataDirectory;
import org.egovpki.server.DirectoryServers;
import org.egovpki.server.PasswordFiles;
import org.egovpki.server.PortsFile;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.AuditTrailVerifier;
import org.egovpki.server.audit.AuditVerification;
import org.egovpki.server.audit.PendingAuditLog;
import org.egovpki.server.config.EgovPkiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code egov-pki audit verify}: checks the audit trails of a data directory — the chain line by
 * line, every checkpoint's seal, and each file against its anchor in the directory — and prints a
 * verdict per trail.
 *
 * <p>How it reaches the directory: it binds as the CA service account (password from
 * {@code <data>/secrets}) to the running server's LDAP port; if nothing answers there and the data
 * directory is not locked (the server is stopped), it starts the embedded directory on that data
 * directory itself, on a free loopback port, for the time of the check, holding the data
 * directory's lock. {@code --no-directory} checks the files alone.
 *
 * <p>Exit codes: 0 intact; 1 a problem found now (tampered, truncated, rewritten, anchor missing,
 * stale or forged); 2 the check could not run (no seal key, directory unreachable);
 * 3 intact now, but the trail records findings of an earlier start-up.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check the audit trails; export and check signed archive bundles of them.",
        subcommands = {AuditCommand.Verify.class, AuditExportCommands.Export.class,
                AuditExportCommands.VerifyExport.class})
final class AuditCommand implements Runnable {

    static final int EXIT_TAMPERED = 1;
    static final int EXIT_RECORDED_FINDINGS = 3;

    @Override
    public void run() {
        System.out.println("usage: egov-pki audit verify [--data DIR] [--file FILE [--trail server|cli]] [--no-directory]");
        System.out.println("       egov-pki audit export --from DATE --to DATE --out FILE --user UID --password-file FILE "
                + "[--url URL]");
        System.out.println("       egov-pki audit verify-export FILE [--trust ROOT.pem]");
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the audit trails (chain, sealed checkpoints, directory anchors); "
                    + "works on a running server's or a stopped server's data directory.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Main.ServerOptions options;

        @Option(names = "--file", paramLabel = "FILE",
                description = "check this trail file only, with the files rotation closed before it "
                        + "(default: audit/audit.jsonl and audit/audit-cli.jsonl of the data directory)")
        Path file;

        @Option(names = "--trail", paramLabel = "NAME",
                description = "the trail FILE belongs to: server or cli (default: cli if the file name contains 'cli')")
        String trail;

        @Option(names = "--no-directory", description = "check the files only, not against the directory anchors")
        boolean noDirectory;

        @Override
        public Integer call() throws IOException {
            EgovPkiConfig config = options.load(null);
            Path data = config.dataDirectory().toAbsolutePath().normalize();
            Path sealFile = data.resolve("secrets").resolve(AuditSeal.SECRET_FILE);
            if (!Files.exists(sealFile)) {
                throw new StartupException("the data directory " + data + " has no audit seal key (" + sealFile
                        + "); run this on the data directory of a server that has started at least once, with --data DIR");
            }
            AuditVerifier verifier = new AuditVerifier(new AuditTrailVerifier(AuditSeal.loadOrGenerate(sealFile)),
                    targets(data, config.audit()));
            List<AuditVerification> results = noDirectory ? verifier.filesOnly() : withDirectory(config, data, verifier);
            PrintWriter out = spec.commandLine().getOut();
            results.forEach(r -> out.print(r.verdict()));
            out.flush();
            if (results.stream().anyMatch(r -> !r.intact())) {
                return EXIT_TAMPERED;
            }
            return results.stream().anyMatch(r -> !r.recordedFindings().isEmpty()) ? EXIT_RECORDED_FINDINGS : 0;
        }

        /** The trails of this data directory, named as {@code audit.trail} says (server and cli by default). */
        private List<Target> targets(Path data, EgovPkiConfig.Audit names) {
            String server = names.serverTrail();
            String cli = names.cliTrail();
            if (file != null) {
                String name = trail != null ? (trail.equals("server") ? server : trail.equals("cli") ? cli : trail)
                        : file.getFileName().toString().contains("cli") ? cli : server;
                if (!name.equals(server) && !name.equals(cli)) {
                    throw new StartupException("--trail " + name + " is not a trail; use server or cli");
                }
                return List.of(new Target(file, name));
            }
            Path audit = data.resolve("audit");
            return List.of(new Target(audit.resolve("audit.jsonl"), server),
                    new Target(audit.resolve("audit-cli.jsonl"), cli));
        }

        private List<AuditVerification> withDirectory(EgovPkiConfig config, Path data, AuditVerifier verifier)
                throws IOException {
            DirectoryNames names = new DirectoryNames(config.ldap().baseDn());
            if (config.ldap().isExternal()) {
                // The anchors are in the external directory, whether or not the server runs.
                char[] password = PasswordFiles.read(config.ldap().external().caPasswordFile(),
                        "ldap.external.caPasswordFile");
                try (LDAPConnectionPool ldap = DirectoryServers.of(config.ldap(), 0).pool(names.caServiceAccount(),
                        password, "egov-pki-cli", "CA")) {
                    return verifier.against(new LdapAuditAnchors(ldap, names));
                }
            }
            String service = secret(data, "ca-service.password");
            // ldap.port 0: the running server's port is in its ports file; no file, no server running.
            Integer running = config.ldap().port() != 0 ? Integer.valueOf(config.ldap().port())
                    : PortsFile.read(data).get(PortsFile.LDAP);
            if (running != null) {
                try (LDAPConnection ldap = new LDAPConnection(config.ldap().host(), running,
                        names.caServiceAccount().toString(), service)) {
                    return verifier.against(new LdapAuditAnchors(ldap, names));
                } catch (LDAPException e) {
                    if (e.getResultCode() != ResultCode.CONNECT_ERROR) {
                        throw new StartupException("cannot read the audit anchors from ldap://" + config.ldap().host()
                                + ":" + running + " as the CA service account (" + e.getResultCode().getName()
                                + "); check --ldap-port and --data");
                    }
                }
            }
            // Nothing answers: if the server is stopped, open its directory ourselves.
            try (DataDirectory locked = DataDirectory.lock(data)) {
                // Port 0, a port the system chooses. Only this command binds to it, on loopback, for the moment
                // of the check: a lockout it might audit has no trail to go to (verify reads the trails, it never
                // appends to them).
                EmbeddedDirectory directory = EmbeddedDirectory.start(EmbeddedDirectorySettings.forEgovPki(
                        locked.directory(), "127.0.0.1", 0, config.ldap().baseDn(),
                        secret(data, "directory-admin.password").toCharArray(), config.ldap().lockout(),
                        Clock.systemUTC()).withX500Contexts(config.ldap().x500Contexts()), new PendingAuditLog());
                try (LDAPConnection ldap = new LDAPConnection("127.0.0.1", directory.port(),
                        names.caServiceAccount().toString(), service)) {
                    return verifier.against(new LdapAuditAnchors(ldap, names));
                } catch (LDAPException e) {
                    throw new StartupException("the data directory's own directory does not accept the CA service "
                            + "account (" + e.getResultCode().getName() + "); is this the right --data?");
                } finally {
                    directory.close();
                }
            }
        }

        private static String secret(Path data, String name) throws IOException {
            try {
                return Files.readString(data.resolve("secrets").resolve(name)).trim();
            } catch (NoSuchFileException e) {
                throw new StartupException("the data directory " + data + " has no " + name + "; run this on the data "
                        + "directory of a server that has started at least once");
            }
        }
    }

    private record Target(Path file, String trail) {
    }

    /** Runs the verifier over the targets, with or without anchors. */
    private record AuditVerifier(AuditTrailVerifier verifier, List<Target> targets) {
        List<AuditVerification> filesOnly() throws IOException {
            List<AuditVerification> results = new ArrayList<>();
            for (Target target : targets) {
                results.add(verifier.verifyFile(target.file(), target.trail()));
            }
            return results;
        }

        List<AuditVerification> against(AuditAnchors anchors) throws IOException {
            List<AuditVerification> results = new ArrayList<>();
            for (Target target : targets) {
                results.add(verifier.verify(target.file(), target.trail(), anchors.latest(target.trail()).orElse(null)));
            }
            return results;
        }
    }
}
