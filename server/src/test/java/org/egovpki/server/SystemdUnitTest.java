package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.egovpki.server.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The shipped systemd unit ({@code conf/systemd/egov-pki.service}): systemd's own checker accepts it
 * without a single warning, the command line it runs is one the CLI accepts, and the hardening the
 * docs promise is in it. {@code systemd-analyze} comes with Debian's {@code systemd} package; in CI
 * (environment {@code CI} set) its absence fails the test.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("..", "conf", "systemd", "egov-pki.service");

    @Test
    void systemdAcceptsTheUnitWithoutWarnings(@TempDir Path dir) throws Exception {
        requireSystemdAnalyze();
        // The file name decides the unit type, so the copy keeps it.
        Path copy = Files.copy(UNIT, dir.resolve("egov-pki.service"));

        Verification result = verify(copy);

        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).as("systemd-analyze verify warns only on stderr with exit 0; any word from it "
                + "is a defect in the unit").isBlank();
    }

    @Test
    void theCheckSeesAMisspelledKey(@TempDir Path dir) throws Exception {
        requireSystemdAnalyze();
        String unit = Files.readString(UNIT);
        Path typo = dir.resolve("egov-pki.service");
        Files.writeString(typo, unit.replace("NoNewPrivileges=yes", "NoNewPrivilege=yes"));

        assertThat(verify(typo).output).contains("Unknown key").contains("NoNewPrivilege");
    }

    @Test
    void runsTheServerAsItsOwnUserWithTheDocumentedPathsAndHardening() throws IOException {
        Map<String, List<String>> service = section(Files.readString(UNIT), "Service");

        assertThat(service.get("User")).containsExactly("egov-pki");
        assertThat(service.get("Group")).containsExactly("egov-pki");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("ProtectHome")).containsExactly("yes");
        assertThat(service.get("PrivateTmp")).containsExactly("yes");
        assertThat(service.get("CapabilityBoundingSet")).containsExactly("");
        assertThat(service.get("StateDirectory")).containsExactly("egov-pki");
        // The class-data-sharing archive of docs/operations.md ("Start-up time"), outside the data
        // directory that a backup copies whole.
        assertThat(service.get("CacheDirectory")).containsExactly("egov-pki");
        assertThat(Files.readString(Path.of("..", "docs", "operations.md")))
                .contains("-XX:SharedArchiveFile=/var/cache/egov-pki/egov-pki.jsa");
        assertThat(service.get("UMask")).containsExactly("0077");
        // A refused start (exit 2: damaged directory, bad configuration) is not retried in a loop.
        assertThat(service.get("RestartPreventExitStatus")).containsExactly("2");
        assertThat(service.get("ExecReload")).containsExactly("/bin/kill -HUP $MAINPID");
    }

    @Test
    void theCommandLineItRunsIsOneTheCliAccepts() throws IOException {
        String execStart = section(Files.readString(UNIT), "Service").get("ExecStart").get(0);
        List<String> words = Arrays.asList(execStart.split("\\s+"));
        int jar = words.indexOf("-jar");
        assertThat(jar).as(execStart).isPositive();
        assertThat(words.get(jar + 1)).isEqualTo("/opt/egov-pki/egov-pki.jar");
        List<String> arguments = words.subList(jar + 2, words.size());

        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(arguments.toArray(String[]::new));

        CommandLine.ParseResult serve = parsed.subcommand();
        assertThat(serve.commandSpec().name()).isEqualTo("serve");
        assertThat(serve.matchedOptionValue("--config", (Object) null)).hasToString("/etc/egov-pki/egov-pki.yaml");
        assertThat(serve.matchedOptionValue("--data", (Object) null)).hasToString("/var/lib/egov-pki");
        // The data directory is the one systemd creates and owns for the service user.
        assertThat(section(Files.readString(UNIT), "Service").get("StateDirectory")).containsExactly("egov-pki");
    }

    @Test
    void theDefaultJvmOptionsAreOnesThisJvmAccepts() throws Exception {
        List<String> options = javaOptions(Files.readString(UNIT));
        assertThat(options).as("the unit's EGOVPKI_JAVA_OPTS").contains("-Xmx1g", "-XX:+UseSerialGC");
        // Unbraced, systemd splits the value into words; "${EGOVPKI_JAVA_OPTS}" would be one argument.
        String execStart = section(Files.readString(UNIT), "Service").get("ExecStart").get(0);
        assertThat(Arrays.asList(execStart.split("\\s+"))).as(execStart).contains("$EGOVPKI_JAVA_OPTS");

        assertThat(javaVersion(options).exit).as("java %s -version", options).isZero();
        // The check sees a misspelled option: the JVM refuses to start on it, as the service would.
        List<String> typo = options.stream().map(o -> o.replace("UseSerialGC", "UseSerialGc")).toList();
        Verification refused = javaVersion(typo);
        assertThat(refused.exit).isNotZero();
        assertThat(refused.output).contains("UseSerialGc");
    }

    /** The words of {@code Environment="EGOVPKI_JAVA_OPTS=..."}, as systemd splits {@code $EGOVPKI_JAVA_OPTS}. */
    private static List<String> javaOptions(String unit) {
        for (String environment : section(unit, "Service").get("Environment")) {
            String assignment = environment.replaceAll("^\"|\"$", "");
            if (assignment.startsWith("EGOVPKI_JAVA_OPTS=")) {
                return List.of(assignment.substring("EGOVPKI_JAVA_OPTS=".length()).split("\\s+"));
            }
        }
        return fail("the unit sets no EGOVPKI_JAVA_OPTS");
    }

    private static Verification javaVersion(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-version");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("java -version").isTrue();
        return new Verification(process.exitValue(), output);
    }

    /** The {@code key=value} lines of one section, a key's values in file order. */
    private static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = null;
        for (String line : unit.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("[")) {
                current = trimmed;
            } else if (("[" + name + "]").equals(current) && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                keys.computeIfAbsent(trimmed.substring(0, eq), k -> new ArrayList<>()).add(trimmed.substring(eq + 1));
            }
        }
        assertThat(keys).as("section [" + name + "] of " + UNIT).isNotEmpty();
        return keys;
    }

    private record Verification(int exit, String output) {
    }

    private static Verification verify(Path unit) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("systemd-analyze", "verify", unit.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze verify").isTrue();
        return new Verification(process.exitValue(), output);
    }

    private static void requireSystemdAnalyze() {
        boolean present;
        try {
            Process version = new ProcessBuilder("systemd-analyze", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            present = version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        String missing = "systemd-analyze is not on the PATH: install Debian's 'systemd' package (.ci/run does)";
        if (!present && System.getenv("CI") != null) {
            fail(missing + " -- CI must run this check");
        }
        assumeTrue(present, missing + "; skipping the unit check on this machine");
    }
}
