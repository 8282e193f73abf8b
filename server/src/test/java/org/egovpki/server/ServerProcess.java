package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The real server jar run as a separate JVM, as an operator would run it: the one way the ITs
 * start a server and reach it. {@link #serve} starts on ports 0 and reads the ports the server
 * got from {@code <data>/run/ports} once it says it is ready, so no test races another process
 * for a port; {@link #restart} starts it again on the same data directory and the same ports, as
 * a fixed configuration would (the URLs in its certificates name them).
 */
final class ServerProcess implements AutoCloseable {

    /** Generous: a first start installs the schema and makes CA keys, slow on a loaded build machine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(240);
    static final String BASE = "o=egov-pki,c=CN";

    final Path data;
    final int ldapPort;
    final int httpPort;
    /** The HTTPS port, or 0 without {@code http.tls}. */
    final int httpsPort;
    private final List<String> serveArgs;
    private final Path output;
    private final Process process;
    /** A {@code serve} process (not a CLI command): closing it also stops its slapd in the slapd run. */
    private final boolean serving;

    private ServerProcess(Path data, Map<String, Integer> ports, List<String> serveArgs, Path output,
                          Process process) {
        this(data, ports, serveArgs, output, process, false);
    }

    private ServerProcess(Path data, Map<String, Integer> ports, List<String> serveArgs, Path output,
                          Process process, boolean serving) {
        this.data = data;
        ItSlapd slapd = ItSlapd.enabled() ? ItSlapd.of(data) : null;
        this.ldapPort = slapd != null ? slapd.port() : ports.getOrDefault(PortsFile.LDAP, 0);
        this.serving = serving;
        this.httpPort = ports.getOrDefault(PortsFile.HTTP, 0);
        this.httpsPort = ports.getOrDefault(PortsFile.HTTPS, 0);
        this.serveArgs = serveArgs;
        this.output = output;
        this.process = process;
    }

    static Path jar() {
        String jar = System.getProperty("egovpki.jar");
        assertThat(jar).as("system property egovpki.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).as("the shaded server jar").exists();
        return Path.of(jar);
    }

    /** The shipped {@code conf/egov-pki.yaml}, which the ITs edit for what they test. */
    static String shippedConfig() {
        try {
            return Files.readString(Path.of("..", "conf", "egov-pki.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code dir/egov-pki.yaml}: the shipped configuration with {@code edits} applied, each of
     * which must have changed something (a test must not silently run on defaults after the shipped
     * file changed).
     */
    @SafeVarargs
    static Path config(Path dir, UnaryOperator<String>... edits) {
        String yaml = shippedConfig();
        for (UnaryOperator<String> edit : edits) {
            String edited = edit.apply(yaml);
            assertThat(edited).as("an edit of conf/egov-pki.yaml that no longer applies").isNotEqualTo(yaml);
            yaml = edited;
        }
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("egov-pki.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code egov-pki args...} (a CLI command, or a server expected to fail) and returns immediately. */
    static ServerProcess launch(Path data, String... args) {
        List<String> command = List.of(args);
        return start(data, Map.of(), List.of(), ItSlapd.enabled() ? ItSlapd.cliArguments(command) : command);
    }

    /** As {@link #launch}, with the arguments exactly as given (also in the slapd run). */
    static ServerProcess launchPlain(Path data, List<String> args) {
        return start(data, Map.of(), List.of(), args);
    }

    /**
     * Starts {@code serve} on {@code data} with ports 0, waits until it says it is ready and reads
     * the ports it got.
     */
    static ServerProcess serve(Path data, String... extra) {
        return serveOn(data, 0, 0, List.of(extra));
    }

    /**
     * Starts {@code serve} against an external directory ({@code ldap.external} in the configuration of
     * {@code extra}): HTTP on port 0, no LDAP listener of its own; waits until it says it is ready.
     */
    static ServerProcess serveExternal(Path data, String... extra) {
        try {
            PortsFile.remove(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--http-port", "0"));
        args.addAll(List.of(extra));
        ServerProcess started = start(data, Map.of(), List.of(extra), args);
        started.awaitOutput("egov-pki ready");
        Map<String, Integer> ports = PortsFile.read(data);
        assertThat(ports).as("an external directory: no LDAP port of its own").doesNotContainKey(PortsFile.LDAP)
                .containsKey(PortsFile.HTTP);
        return new ServerProcess(data, ports, List.of(extra), started.output, started.process);
    }

    /**
     * Starts {@code serve} with ports 0 on a data directory whose CA keys are split among key
     * custodians: waits until it says it is locked (LDAP and HTTP listening, the CA key not open)
     * and reads the ports it got.
     */
    static ServerProcess serveLocked(Path data, String... extra) {
        assertThat(ItSlapd.enabled()).as("a locked start is about the embedded directory: tag the test @EmbeddedOnly")
                .isFalse();
        try {
            PortsFile.remove(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerProcess started = start(data, Map.of(), List.of(extra), serveCommand(data, 0, 0, List.of(extra)));
        started.awaitOutput("egov-pki locked");
        Map<String, Integer> ports = PortsFile.read(data);
        assertThat(ports).containsKeys(PortsFile.LDAP, PortsFile.HTTP);
        return new ServerProcess(data, ports, List.of(extra), started.output, started.process);
    }

    /** Starts the server again on its data directory and ports, with the same arguments; this one must have stopped. */
    ServerProcess restart() {
        assertThat(process.isAlive()).as("the server to restart is still running").isFalse();
        return serveOn(data, ldapPort, httpPort, serveArgs);
    }

    /**
     * Starts {@code serve} again on this server's data directory and ports, with the same
     * arguments, without waiting: for a start that must fail (this one must have stopped).
     */
    ServerProcess launchRestart() {
        assertThat(process.isAlive()).as("the server to restart is still running").isFalse();
        return launch(data, serveCommand(data, ldapPort, httpPort, serveArgs).toArray(String[]::new));
    }

    private static ServerProcess serveOn(Path data, int ldapPort, int httpPort, List<String> extra) {
        try {
            // A ports file a kill -9 left must not be mistaken for this start's.
            PortsFile.remove(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ItSlapd.enabled()) {
            // The slapd run: the same data directory keeps its slapd; ldap.port is unused with ldap.external.
            List<String> command = ItSlapd.serveArguments(data, serveCommand(data, 0, httpPort, extra));
            ServerProcess started = start(data, Map.of(), extra, command);
            started.awaitOutput("egov-pki ready");
            Map<String, Integer> ports = PortsFile.read(data);
            assertThat(ports).as("the ports the server wrote into " + PortsFile.of(data)).containsKey(PortsFile.HTTP);
            assertThat(started.output()).as("the ready line names the slapd").contains("egov-pki ready: LDAP "
                    + "ldap://127.0.0.1:" + ItSlapd.of(data).port() + " (external)");
            return new ServerProcess(data, ports, extra, started.output, started.process, true);
        }
        ServerProcess started = start(data, Map.of(), extra, serveCommand(data, ldapPort, httpPort, extra));
        started.awaitOutput("egov-pki ready");
        Map<String, Integer> ports = PortsFile.read(data);
        assertThat(ports).as("the ports the server wrote into " + PortsFile.of(data)).containsKeys(PortsFile.LDAP,
                PortsFile.HTTP);
        assertThat(started.output()).as("the ready line names the LDAP port the server got")
                .contains("egov-pki ready: LDAP ldap://127.0.0.1:" + ports.get(PortsFile.LDAP) + " ");
        return new ServerProcess(data, ports, extra, started.output, started.process, true);
    }

    private static List<String> serveCommand(Path data, int ldapPort, int httpPort, List<String> extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(),
                "--ldap-port", Integer.toString(ldapPort), "--http-port", Integer.toString(httpPort)));
        args.addAll(extra);
        return args;
    }

    private static ServerProcess start(Path data, Map<String, Integer> ports, List<String> serveArgs,
                                       List<String> args) {
        try {
            Files.createDirectories(data);
            Path output = Files.createTempFile(data.getParent(), "egov-pki-", ".log");
            // The systemd unit's collector (conf/systemd/egov-pki.service), with a smaller heap.
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC", "-jar",
                    jar().toString()));
            command.addAll(args);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new ServerProcess(data, ports, serveArgs, output, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitOutput(String text) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("egov-pki exited with " + process.exitValue() + " before printing '" + text
                        + "':\n" + output());
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("egov-pki did not print '" + text + "' within " + READY_TIMEOUT + ":\n" + output());
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("egov-pki did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** SIGTERM, as an init system stops a service; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit(Duration.ofSeconds(30));
    }

    /**
     * Runs a CLI command against this running server's data directory and waits for it. The CLI
     * finds the server's LDAP port in the ports file ({@code --ldap-port 0}); commands that call
     * the REST API get {@code --url} from {@link #baseUrl()} in {@code args}.
     */
    ServerProcess cli(String... args) throws InterruptedException {
        ServerProcess cli = launch(data, args);
        cli.awaitExit(Duration.ofSeconds(60));
        return cli;
    }

    /** Creates an operator in this running server's directory with the real {@code operator add} command. */
    void addOperator(Path config, String uid, String role, Path passwordFile) throws InterruptedException {
        ServerProcess cli = cli("operator", "add", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0", "--uid", uid, "--name", uid, "--role", role, "--password-file",
                passwordFile.toString());
        assertThat(cli.process.exitValue()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("created operator uid=" + uid);
    }

    /** SIGHUP, as an operator asks a daemon to re-read its configuration ({@code kill -HUP}). */
    void hangUp() throws IOException, InterruptedException {
        if (ItSlapd.enabled()) {
            ItSlapd.rederive(data, serveArgs);
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).redirectErrorStream(true).start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).as("kill -HUP returned").isTrue();
        assertThat(kill.exitValue()).as("kill -HUP " + process.pid()).isZero();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a process that has ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** {@code http://127.0.0.1:<http port>}, for {@code --url} and HTTP clients. */
    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    URI url(String path) {
        return URI.create(baseUrl() + path);
    }

    /** The operator REST API, every operator with {@code password}. */
    ApiClient api(String password) {
        return new ApiClient(httpPort, password);
    }

    /** A generated secret of the data directory, e.g. {@code ca-service.password}. */
    String secret(String name) {
        try {
            return Files.readString(data.resolve("secrets").resolve(name)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not bound at all. */
    LDAPConnection anonymous() throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort);
    }

    /** Bound as {@code dn}. */
    LDAPConnection bind(String dn, String password) throws LDAPException {
        return new LDAPConnection("127.0.0.1", ldapPort, dn, password);
    }

    /** Whether this run puts the servers on slapd ({@link ItSlapd}). */
    static boolean onSlapd() {
        return ItSlapd.enabled();
    }

    /** The DN {@link #directoryAdmin} binds as (the embedded directory's admin, or the slapd database's root). */
    String directoryAdminDn() {
        return ItSlapd.enabled() && ItSlapd.of(data) != null ? ItSlapd.ROOT_DN : "uid=admin,ou=system";
    }

    /** Bound as the directory administrator (no access control): what the tests check behind the server. */
    LDAPConnection directoryAdmin() throws LDAPException {
        ItSlapd slapd = ItSlapd.enabled() ? ItSlapd.of(data) : null;
        if (slapd != null) {
            return bind(ItSlapd.ROOT_DN, slapd.rootPassword);
        }
        return bind("uid=admin,ou=system", secret("directory-admin.password"));
    }

    /** Bound as the CA's service account. */
    LDAPConnection caService() throws LDAPException {
        return bind("uid=egov-pki-ca,ou=services," + BASE, secret("ca-service.password"));
    }

    /** Bound as the KM's service account. */
    LDAPConnection kmService() throws LDAPException {
        return bind("uid=egov-pki-km,ou=services," + BASE, secret("km-service.password"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        ItSlapd slapd = serving && ItSlapd.enabled() ? ItSlapd.of(data) : null;
        if (slapd != null) {
            slapd.stop();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
