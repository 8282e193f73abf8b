package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real server jar run as a separate JVM, as an operator would run it. */
final class ServerProcess implements AutoCloseable {

    /** Generous: the build machine is shared, and a first start creates keys and the directory. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    final Path data;
    final int ldapPort;
    final int httpPort;
    private final Path output;
    private final Process process;

    private ServerProcess(Path data, int ldapPort, int httpPort, Path output, Process process) {
        this.data = data;
        this.ldapPort = ldapPort;
        this.httpPort = httpPort;
        this.output = output;
        this.process = process;
    }

    static Path jar() {
        String jar = System.getProperty("egovpki.jar");
        assertThat(jar).as("system property egovpki.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).as("the shaded server jar").exists();
        return Path.of(jar);
    }

    /** Runs {@code egov-pki args...} and returns immediately. */
    static ServerProcess launch(Path data, int ldapPort, int httpPort, String... args) {
        try {
            Files.createDirectories(data);
            Path output = Files.createTempFile(data.getParent(), "egov-pki-", ".log");
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar().toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            return new ServerProcess(data, ldapPort, httpPort, output, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code serve} on the given data directory and ports and waits until it says it is ready. */
    static ServerProcess serve(Path data, int ldapPort, int httpPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(),
                "--ldap-port", Integer.toString(ldapPort), "--http-port", Integer.toString(httpPort)));
        args.addAll(List.of(extra));
        ServerProcess server = launch(data, ldapPort, httpPort, args.toArray(String[]::new));
        server.awaitOutput("egov-pki ready");
        return server;
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

    /** Creates an operator in this running server's directory with the real {@code operator add} command. */
    void addOperator(Path config, String uid, String role, Path passwordFile) throws InterruptedException {
        ServerProcess cli = launch(data, 0, 0, "operator", "add", "--config", config.toString(), "--data",
                data.toString(), "--ldap-port", Integer.toString(ldapPort), "--uid", uid, "--name", uid, "--role", role,
                "--password-file", passwordFile.toString());
        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as(cli.output()).isZero();
        assertThat(cli.output()).contains("created operator uid=" + uid);
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

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
