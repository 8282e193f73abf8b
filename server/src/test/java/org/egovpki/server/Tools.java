package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** External tools the integration tests use as independent checkers. */
final class Tools {

    private Tools() {
    }

    /** Whether {@code openssl} is on the PATH (CI installs it; tests that need it skip without). */
    static boolean openSsl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /**
     * A Python 3 that imports {@code ldap3} (CI installs Debian's {@code python3-ldap3}; the
     * system interpreter first, as a {@code python3} earlier on the PATH may not see Debian's modules).
     */
    static Optional<String> pythonWithLdap3() {
        for (String python : List.of("/usr/bin/python3", "python3")) {
            try {
                Process process = new ProcessBuilder(python, "-c", "import ldap3").redirectErrorStream(true).start();
                if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
                    return Optional.of(python);
                }
            } catch (IOException e) {
                // Not installed here: try the next one.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Runs a command and returns its combined output. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
