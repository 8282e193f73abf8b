package org.egovpki.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * {@code <data>/run/ports}: the ports a running server is listening on, so that whatever connects
 * to it (the CLI, tests, scripts) finds them when the configuration says port 0. One
 * {@code name=port} line per listener ({@code ldap}, and {@code http} and {@code https} when
 * served). Written once every listener is bound, by an atomic rename so a reader never sees half
 * a file; removed when the server stops (a {@code kill -9} leaves it: the next start replaces it).
 */
public final class PortsFile {

    public static final String LDAP = "ldap";
    public static final String HTTP = "http";
    public static final String HTTPS = "https";

    private PortsFile() {
    }

    /** Where a server on this data directory writes its ports. */
    public static Path of(Path dataDirectory) {
        return dataDirectory.toAbsolutePath().normalize().resolve("run").resolve("ports");
    }

    /** Writes {@code ports} (name to port, in this order) atomically; returns the file. */
    static Path write(Path dataDirectory, Map<String, Integer> ports) {
        Path file = of(dataDirectory);
        StringBuilder text = new StringBuilder();
        ports.forEach((name, port) -> text.append(name).append('=').append(port).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "ports", ".tmp");
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new StartupException("cannot write the ports file " + file + ": " + e.getMessage()
                    + "; check that the data directory is writable");
        }
    }

    /** Removes the file, if there is one. */
    static void remove(Path dataDirectory) throws IOException {
        Files.deleteIfExists(of(dataDirectory));
    }

    /** The ports a running server wrote, by name; empty if no server has written the file. */
    public static Map<String, Integer> read(Path dataDirectory) {
        Path file = of(dataDirectory);
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    ports.put(line.substring(0, equals).trim(), Integer.parseInt(line.substring(equals + 1).trim()));
                }
            }
            return ports;
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException | NumberFormatException e) {
            throw new StartupException("cannot read the ports file " + file + ": " + e.getMessage()
                    + "; start the server again, it rewrites the file");
        }
    }

    /**
     * The LDAP port a client of the server configured by {@code config} connects to: {@code ldap.port},
     * or, when that is 0, the port the running server wrote into its ports file.
     *
     * @throws StartupException if the port is 0 and no server has written the file
     */
    public static int ldapPort(EgovPkiConfig config) {
        if (config.ldap().port() != 0) {
            return config.ldap().port();
        }
        Integer port = read(config.dataDirectory()).get(LDAP);
        if (port == null) {
            throw new StartupException("ldap.port is 0 (a port chosen at start-up) and " + of(config.dataDirectory())
                    + " does not name it; is the server running on this data directory (egov-pki serve --data ...)?");
        }
        return port;
    }
}
