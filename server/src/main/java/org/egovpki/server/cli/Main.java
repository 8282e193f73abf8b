package org.egovpki.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.egovpki.core.DomainException;
import org.egovpki.directory.embedded.EmbeddedDirectory.EmbeddedDirectoryException;
import org.egovpki.server.ConfigReload;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.StartupException;
import org.egovpki.server.config.ConfigException;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.logging.LogSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code egov-pki} command. Exit codes: 0 success, 1 the server failed while running,
 * 2 it could not start (bad configuration, busy port, data directory in use) — printed as one line.
 * Commands that call the running server's API ({@link ApiClient}) exit 3 when it refused the
 * request (HTTP 4xx), 4 on a server error (5xx) and 5 when it did not answer. {@code audit verify}
 * exits 1 when it finds a problem and 3 when the trail is intact but records an earlier finding.
 * Set {@code EGOVPKI_TRACE=1} to also print the stack trace of a failure.
 */
// scope = INHERIT: every command below inherits --help, --version and the version provider, so a
// command added later answers both too (StandardOptionsTest walks the tree).
@Command(name = "egov-pki", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "LDAP-directory-centred certificate authority for Chinese e-government PKI (SM2/SM3).",
        subcommands = {Main.Serve.class, Main.Init.class, OperatorCommand.class, LoginCommand.class, CertificateCommand.class, CrlCommand.class, CaCommand.class,
                KmCommand.class, AuditCommand.class, BackupCommand.class, RestoreCommand.class, RequestCommand.class,
                SyncCommand.class, SyncReceiverCommand.class, DirectoryCommand.class, CustodyCommand.class,
                Main.VersionCommand.class})
public final class Main implements Runnable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Main.class);

    static final int EXIT_RUNTIME = 1;
    static final int EXIT_STARTUP = 2;

    /** The UnboundID SDK's system property for its default largest message. */
    static final String MAX_MESSAGE_PROPERTY = "com.unboundid.ldap.sdk.LDAPConnectionOptions.defaultMaxMessageSizeBytes";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Every LDAP connection of the process (commands such as backup open their own) reads CRLs of
        // any size: set before the SDK's options class reads it, unless the operator set it.
        if (System.getProperty(MAX_MESSAGE_PROPERTY) == null) {
            System.setProperty(MAX_MESSAGE_PROPERTY, Integer.toString(org.egovpki.server.DirectoryServers.MAX_MESSAGE_BYTES));
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new CommandLine(new Main()), args);
    }

    /** As {@link #run(String...)}, printing to the given writers (tests). */
    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return run(new CommandLine(new Main()).setOut(out).setErr(err), args);
    }

    private static int run(CommandLine commandLine, String... args) {
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("egov-pki: " + oneLine(e));
            if (System.getenv("EGOVPKI_TRACE") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return isStartupProblem(e) ? EXIT_STARTUP : EXIT_RUNTIME;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    private static boolean isStartupProblem(Exception e) {
        return e instanceof StartupException || e instanceof ConfigException || e instanceof EmbeddedDirectoryException
                || (e instanceof DomainException d && d.kind() != DomainException.Kind.INTERNAL);
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }

    /** Options shared by the commands that open a data directory. */
    static class ServerOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration file (default: built-in defaults, same as conf/egov-pki.yaml)")
        Path config;

        @Option(names = "--data", paramLabel = "DIR", description = "data directory (key: data; default ./data)")
        String data;

        @Option(names = "--ldap-port", paramLabel = "N", description = "LDAP port (key: ldap.port; default 10389; 0: a free port, see <data>/run/ports)")
        Integer ldapPort;

        EgovPkiConfig load(Integer httpPort) {
            return ConfigLoader.load(config, ConfigLoader.overrides(data, ldapPort, httpPort));
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the CA: embedded directory, CA bootstrap, CRL schedule and HTTP.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Mixin
        ServerOptions options;

        @Option(names = "--http-port", paramLabel = "N", description = "HTTP port (key: http.port; default 8080; 0: a free port, see <data>/run/ports)")
        Integer httpPort;

        @Override
        public Integer call() throws InterruptedException {
            EgovPkiConfig config = options.load(httpPort);
            LogSetup logs = LogSetup.forThisProcess();
            if (logs != null) {
                logs.apply(config.logging());
            }
            // SIGHUP reloads the configuration (not a stop, the JVM's default); until the server is up it is ignored.
            AtomicReference<ConfigReload> reload = new AtomicReference<>();
            HangupSignal.install(() -> {
                ConfigReload ready = reload.get();
                if (ready == null) {
                    LOG.warn("SIGHUP ignored: the server is still starting; send it again once it is ready");
                } else {
                    ready.reload();
                }
            });
            EgovPkiServer server = EgovPkiServer.start(config, Clock.systemUTC(), true);
            reload.set(server.configReload(() -> options.load(httpPort),
                    options.config == null ? "(built-in defaults)" : options.config.toString(), logs));
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "egov-pki-shutdown"));
            auditWarning(server);
            // The ports bound, also when the configuration said 0 (they are in <data>/run/ports as well).
            EgovPkiConfig running = server.config();
            // Before the ready line: whoever waits for that line and then stops the server stops a run
            // that counts as ready.
            markReady(System.getProperty(READY_FILE_PROPERTY));
            System.out.println("egov-pki ready: LDAP " + (running.ldap().isExternal()
                    ? running.ldap().publicUrl() + " (external)"
                    : "ldap://" + running.ldap().host() + ":" + running.ldap().port())
                    + " (base " + running.ldap().baseDn() + "), HTTP " + running.http().publicUrl()
                    + ", data " + running.dataDirectory().toAbsolutePath().normalize());
            stopped.await();
            return 0;
        }
    }

    /**
     * A file {@code serve} writes once it is ready, when this system property names one: the launcher
     * ({@code ./egov-pki}) keeps the class-data-sharing archive the JVM writes at the stop only from a
     * run that got this far, not from one that failed to start or only printed its help
     * (docs/operations.md, "Start-up time").
     */
    static final String READY_FILE_PROPERTY = "egovpki.launcher.readyFile";

    /** Writes {@code path} (nothing when null or blank); a failure is logged, never stops the server. */
    static void markReady(String path) {
        if (path == null || path.isBlank()) {
            return;
        }
        try {
            java.nio.file.Files.writeString(Path.of(path), "ready\n");
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Could not write {} ({}): the launcher will not keep this run's class-data-sharing archive",
                    path, e.toString());
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the directory and the configured CAs (if they do not exist yet), then exit.")
    static final class Init implements Callable<Integer> {
        @CommandLine.Mixin
        ServerOptions options;

        @CommandLine.Option(names = "--custodian-passphrase-file", paramLabel = "NAME=FILE",
                description = "with caKeys.custody: shares, the passphrase (first line of FILE, at least 12 "
                        + "characters) that seals custodian NAME's key share; repeat for each custodian; a custodian "
                        + "without one is asked on the terminal, twice")
        java.util.Map<String, java.nio.file.Path> custodianPassphraseFiles = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            EgovPkiConfig config = options.load(null);
            java.util.Map<String, char[]> passphrases = custodianPassphrases(config);
            try (EgovPkiServer server = EgovPkiServer.init(config, Clock.systemUTC(), passphrases)) {
                if (passphrases != null) {
                    passphrases.values().forEach(p -> java.util.Arrays.fill(p, '\0'));
                }
                auditWarning(server);
                if (passphrases != null) {
                    System.out.println("CA key store password split " + config.caKeys().shares().threshold() + " of "
                            + config.caKeys().shares().custodians().size() + ": hand each custodian their file "
                            + config.dataDirectory().toAbsolutePath().normalize().resolve("custody")
                            + "/<name>.share and remove it from this machine");
                }
                server.registry().all().forEach(ca -> System.out.println(ca.name() + "\t" + ca.role() + "\t"
                        + ca.algorithm() + "\t" + ca.certificate().getSubjectX500Principal().getName()));
            }
            return 0;
        }

        /**
         * The custodians' passphrases for the first {@code init} with key shares (from their files, or
         * asked on the terminal, twice); {@code null} when the custody is demo or a split exists (the
         * start then says what to do).
         */
        private java.util.Map<String, char[]> custodianPassphrases(EgovPkiConfig config) {
            EgovPkiConfig.CaKeys caKeys = config.caKeys();
            boolean shares = caKeys.custody() == EgovPkiConfig.Custody.SHARES;
            if (!shares) {
                if (!custodianPassphraseFiles.isEmpty()) {
                    throw new StartupException("--custodian-passphrase-file is for caKeys.custody: shares, and the "
                            + "custody configured is " + caKeys.custody().name().toLowerCase(java.util.Locale.ROOT));
                }
                return null;
            }
            if (java.nio.file.Files.exists(config.dataDirectory().resolve("custody").resolve("custody.properties"))) {
                return null;
            }
            for (String name : custodianPassphraseFiles.keySet()) {
                if (!caKeys.shares().custodians().contains(name)) {
                    throw new StartupException("--custodian-passphrase-file " + name + "=...: " + name + " is not one "
                            + "of the custodians in caKeys.shares.custodians (" + String.join(", ",
                            caKeys.shares().custodians()) + "); nothing was written");
                }
            }
            java.util.Map<String, char[]> passphrases = new java.util.LinkedHashMap<>();
            for (String custodian : caKeys.shares().custodians()) {
                try {
                    passphrases.put(custodian, Passphrases.read(custodianPassphraseFiles.get(custodian), true,
                            "Key custodian " + custodian + "'s passphrase"));
                } catch (StartupException e) {
                    throw new StartupException("custodian " + custodian + ": " + e.getMessage());
                }
            }
            return passphrases;
        }
    }

    /** The start-up line that tells an operator the audit trail check found something (details in the log). */
    private static void auditWarning(EgovPkiServer server) {
        var found = server.auditCheck().unrecorded();
        if (!found.isEmpty()) {
            System.out.println("egov-pki WARNING: the audit trail failed its start-up check (" + found.size()
                    + " problem(s), recorded as an AUDIT_TRAIL_FINDING event; see the ERROR in the log and run "
                    + "'egov-pki audit verify'): " + found.get(0));
        }
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
    static final class VersionCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println("egov-pki " + version());
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"egov-pki " + version()};
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
