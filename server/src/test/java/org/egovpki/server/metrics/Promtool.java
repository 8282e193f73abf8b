package org.egovpki.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker ({@code promtool}, Debian package {@code prometheus}), the client
 * the monitoring is written for. {@code .ci/run} installs it; in CI (environment {@code CI} set)
 * a missing promtool fails the test, elsewhere it skips with a message saying how to install it.
 */
public final class Promtool {

    private Promtool() {
    }

    /** Skips, or fails in CI, when promtool is not on the PATH. */
    public static void require() {
        boolean present;
        try {
            Process version = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
            present = version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        String missing = "promtool is not on the PATH: install Debian's 'prometheus' package (apt-get install -y "
                + "prometheus; .ci/run does)";
        if (!present && System.getenv("CI") != null) {
            fail(missing + " -- CI must run this check");
        }
        assumeTrue(present, missing + "; skipping the promtool check on this machine");
    }

    /** Runs promtool with {@code stdin} and returns its output; asserts exit 0. */
    public static String run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("promtool");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
        return output;
    }
}
