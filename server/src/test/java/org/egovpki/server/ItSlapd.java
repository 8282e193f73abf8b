package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.egovpki.directory.openldap.Slapd;

/**
 * The slapd run of the server ITs ({@code -Degovpki.it.directory=openldap}, the {@code it-openldap} failsafe
 * execution): every data directory {@link ServerProcess} starts a server on gets a fresh slapd of its own (free
 * ports, a temporary directory next to the data directory), prepared as an administrator would with the jar's
 * own {@code directory prepare-openldap} and {@code ldapmodify}. The server then runs with the test's
 * configuration plus {@code ldap.external} naming that slapd, written to {@code <data>.slapd.yaml}; the
 * service accounts' password files lie where the embedded directory keeps its generated ones
 * ({@code <data>/secrets/}), so tests that bind as the CA or the KM read them as before. The slapd outlives
 * the server on {@link ServerProcess#restart}; closing the server stops it, and a later start on the same
 * data directory starts it again on its data. Tests about the embedded directory itself are tagged
 * {@link EmbeddedOnly} and left out of this run.
 */
final class ItSlapd {

    /** The database's root for the checks behind the server (what the embedded run does as uid=admin,ou=system). */
    static final String ROOT_DN = "cn=admin," + ServerProcess.BASE;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<Path, ItSlapd> BY_DATA = new ConcurrentHashMap<>();
    private static final Map<Path, Path> DERIVED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> BY_DATA.values().forEach(ItSlapd::stop)));
    }

    final Path work;
    final String rootPassword;
    private volatile Slapd slapd;

    private ItSlapd(Path work, String rootPassword, Slapd slapd) {
        this.work = work;
        this.rootPassword = rootPassword;
        this.slapd = slapd;
    }

    /** Whether this run puts the servers on slapd. */
    static boolean enabled() {
        return "openldap".equals(System.getProperty("egovpki.it.directory"));
    }

    /** The slapd of {@code data}, or {@code null} if no server ran there yet. */
    static ItSlapd of(Path data) {
        return BY_DATA.get(data.toAbsolutePath().normalize());
    }

    int port() {
        return slapd.port();
    }

    /**
     * The arguments of {@code serve} (or a CLI command) on {@code data} with its slapd: a fresh one prepared for
     * the configuration on the first call, started again if a closed server stopped it; {@code --config} is
     * replaced (or added) by the derived configuration naming it.
     */
    static List<String> serveArguments(Path data, List<String> args) {
        Path key = data.toAbsolutePath().normalize();
        Path original = configOf(args);
        ItSlapd directory = BY_DATA.get(key);
        try {
            if (directory == null) {
                directory = prepare(key, original);
                BY_DATA.put(key, directory);
            } else if (!directory.running()) {
                directory.slapd = Slapd.restart(directory.work, false);
            }
            Path derived = directory.derive(key, original);
            return withConfig(args, derived);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code args} with each {@code --config} of a configuration derived for slapd replaced by its derivation. */
    static List<String> cliArguments(List<String> args) {
        List<String> out = new ArrayList<>(args);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).equals("--config")) {
                Path derived = DERIVED.get(Path.of(out.get(i + 1)).toAbsolutePath().normalize());
                if (derived != null) {
                    out.set(i + 1, derived.toString());
                }
            }
        }
        return out;
    }

    /** Writes the derivation of the configuration {@code args} name again (after the test edited it, before SIGHUP). */
    static void rederive(Path data, List<String> args) {
        ItSlapd directory = of(data);
        if (directory != null) {
            directory.derive(data.toAbsolutePath().normalize(), configOf(args));
        }
    }

    private boolean running() {
        try (var probe = slapd.anonymous()) {
            return true;
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            return false;
        }
    }

    void stop() {
        slapd.close();
    }

    private static Path configOf(List<String> args) {
        int at = args.indexOf("--config");
        return at >= 0 && at + 1 < args.size() ? Path.of(args.get(at + 1)) : null;
    }

    private static List<String> withConfig(List<String> args, Path derived) {
        List<String> out = new ArrayList<>(args);
        int at = out.indexOf("--config");
        if (at >= 0) {
            out.set(at + 1, derived.toString());
        } else {
            out.addAll(List.of("--config", derived.toString()));
        }
        return out;
    }

    private static ItSlapd prepare(Path data, Path original) throws IOException, InterruptedException {
        Path work = Files.createDirectories(data.resolveSibling(data.getFileName() + ".slapd"));
        Slapd slapd = Slapd.startFresh(work);
        String rootPassword = HexFormat.of().formatHex(bytes(16));
        ItSlapd directory = new ItSlapd(work, rootPassword, slapd);
        try {
            Path secrets = Files.createDirectories(data.resolve("secrets"));
            for (String account : List.of("ca-service.password", "km-service.password")) {
                Path file = secrets.resolve(account);
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, HexFormat.of().formatHex(bytes(24)) + "\n");
                }
            }
            Path derived = directory.derive(data, original);
            Path ldif = work.resolve("prepare.ldif");
            ServerProcess prepare = ServerProcess.launchPlain(data, List.of("directory", "prepare-openldap",
                    "--config", derived.toString(), "--out", ldif.toString(), "--db-directory",
                    Slapd.databaseDirectory(work).toString(), "--root-dn", Slapd.peercredDn()));
            assertThat(prepare.awaitExit(Duration.ofSeconds(60))).as(prepare.output()).isZero();
            slapd.ldapmodify(work, ldif);
            // The tests' checks behind the server bind as the database's root with a password.
            Path root = Files.writeString(work.resolve("root.ldif"), "dn: olcDatabase={2}mdb,cn=config\n"
                    + "changetype: modify\nreplace: olcRootDN\nolcRootDN: " + ROOT_DN + "\n-\nreplace: olcRootPW\n"
                    + "olcRootPW: " + rootPassword + "\n-\n");
            slapd.ldapmodify(work, root);
            return directory;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            slapd.close();
            throw e;
        }
    }

    /** Writes {@code <data>.slapd.yaml}: {@code original} (or the shipped configuration) with ldap.external. */
    private Path derive(Path data, Path original) {
        try {
            String yaml = original == null ? ServerProcess.shippedConfig() : Files.readString(original);
            String external = "ldap:\n  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                    + "    caPasswordFile: " + data.resolve("secrets/ca-service.password") + "\n"
                    + "    kmPasswordFile: " + data.resolve("secrets/km-service.password") + "\n";
            assertThat(yaml).as("a configuration with an ldap: section").containsPattern("(?m)^ldap:\\n");
            String edited = yaml.replaceFirst("(?m)^ldap:\\n", java.util.regex.Matcher.quoteReplacement(external));
            Path derived = data.resolveSibling(data.getFileName() + ".slapd.yaml");
            Files.writeString(derived, edited);
            if (original != null) {
                DERIVED.put(original.toAbsolutePath().normalize(), derived);
            }
            return derived;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
