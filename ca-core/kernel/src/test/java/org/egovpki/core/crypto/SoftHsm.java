package org.egovpki.core.crypto;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SoftHSM2 token for tests (Debian's {@code softhsm2}; {@code .ci/run} installs it, and in
 * CI — environment {@code CI} set — its absence fails the test instead of skipping it).
 *
 * <p>SoftHSM2 reads its configuration ({@code SOFTHSM2_CONF}) and finds its tokens when the library
 * is first loaded into a process, so a token is made before any PKCS#11 provider is configured:
 * {@link #forThisJvm()} for this JVM (whose {@code SOFTHSM2_CONF} the build sets), {@link #create}
 * for a server process a test starts with {@link #environment()}.
 */
public final class SoftHsm {

    /** Where Debian's package puts the library. */
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String PIN = "egov-pki-test-pin";
    private static final String SO_PIN = "egov-pki-test-so-pin";

    private static SoftHsm jvmToken;
    private static SoftHsm spareJvmToken;

    private final Path conf;
    private final String label;

    private SoftHsm(Path conf, String label) {
        this.conf = conf;
        this.label = label;
    }

    /** The token of this JVM, made once (under {@code SOFTHSM2_CONF}, emptied first). */
    public static synchronized SoftHsm forThisJvm() throws IOException, InterruptedException {
        if (jvmToken == null) {
            String conf = System.getenv("SOFTHSM2_CONF");
            assumeTrue(conf != null, "SOFTHSM2_CONF is not set for this JVM (the module's surefire sets it)");
            jvmToken = create(Path.of(conf).getParent(), "egov-pki-test");
            // A PKCS#11 login holds for the whole process: once one session logged in to a token,
            // a login with any PIN succeeds. A second token nobody logs in to shows a wrong PIN refused.
            jvmToken.util("--init-token", "--free", "--label", "egov-pki-spare", "--pin", PIN, "--so-pin", SO_PIN);
            spareJvmToken = new SoftHsm(jvmToken.conf, "egov-pki-spare");
        }
        return jvmToken;
    }

    /** A second token of this JVM, for a login that must be the process's first on its token. */
    public static synchronized SoftHsm spareForThisJvm() throws IOException, InterruptedException {
        forThisJvm();
        return spareJvmToken;
    }

    /** An empty directory {@code dir} with a SoftHSM2 configuration and one new token, {@code label}. */
    public static SoftHsm create(Path dir, String label) throws IOException, InterruptedException {
        require();
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = dir.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tokens.toAbsolutePath() + "\n"
                + "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n");
        SoftHsm hsm = new SoftHsm(conf.toAbsolutePath(), label);
        hsm.util("--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN);
        return hsm;
    }

    /** The environment a process needs to see this token. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", conf.toString());
    }

    /** The token's slot, by id, as {@code softhsm2-util --show-slots} lists it. */
    public Pkcs11CaKeyStore.Slot slot() throws IOException, InterruptedException {
        Long slot = null;
        for (String line : util("--show-slots").split("\n")) {
            String trimmed = line.strip();
            if (line.startsWith("Slot ")) {
                slot = Long.parseLong(trimmed.substring("Slot ".length()).strip());
            } else if (trimmed.startsWith("Label:") && trimmed.substring("Label:".length()).strip().equals(label)) {
                return Pkcs11CaKeyStore.Slot.id(slot);
            }
        }
        throw new IllegalStateException("softhsm2-util lists no token labelled " + label);
    }

    public String label() {
        return label;
    }

    /** Runs {@code softhsm2-util} on this token's configuration; returns its output, asserting exit 0. */
    public String util(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("softhsm2-util");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    private static void require() {
        boolean present = Files.isReadable(LIBRARY);
        try {
            Process version = new ProcessBuilder("softhsm2-util", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            present &= version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        String missing = "SoftHSM2 is not installed: apt-get install -y softhsm2 (.ci/run does)";
        if (!present && System.getenv("CI") != null) {
            fail(missing + " -- CI must run the PKCS#11 tests");
        }
        assumeTrue(present, missing + "; skipping the PKCS#11 test on this machine");
    }
}
