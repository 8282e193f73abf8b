package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory whose embedded directory files are damaged (a disk error, a bad copy) is not
 * started as if it were healthy: the server says in one line that the directory is damaged and
 * exits with 2, without a ready line and without ever answering {@code /health}.
 */
class CorruptDirectoryIT {

    @TempDir
    static Path tmp;

    private static Path pristine;

    /** A data directory with some writes, stopped cleanly: the copy every test damages its own way. */
    @BeforeAll
    static void prepare() throws Exception {
        pristine = tmp.resolve("pristine");
        try (ServerProcess server = ServerProcess.serve(pristine)) {
            server.terminate(); // 143: stopped by SIGTERM, after a clean shutdown
        }
    }

    @Test
    void aTruncatedDataPartitionRefusesReadiness() throws Exception {
        Path data = copy("truncated");
        Path db = partition(data).resolve("egovpki.db");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            file.setLength(file.length() / 3);
        }

        assertRefused(data);
    }

    @Test
    void anOverwrittenFileHeaderRefusesReadiness() throws Exception {
        Path data = copy("overwritten");
        Path db = partition(data).resolve("egovpki.db");
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[8192];
            Arrays.fill(garbage, (byte) 0x5a);
            file.seek(0);
            file.write(garbage);
        }

        assertRefused(data);
    }

    private static void assertRefused(Path data) throws Exception {
        ServerProcess refused = ServerProcess.launch(data, "serve", "--data", data.toString(), "--ldap-port", "0",
                "--http-port", "0");

        assertThat(refused.awaitExit(Duration.ofSeconds(180))).as(refused.output()).isEqualTo(2);
        String output = refused.output();
        assertThat(output).doesNotContain("egov-pki ready");
        String last = output.lines().filter(line -> line.startsWith("egov-pki: ")).reduce((a, b) -> b).orElse("");
        assertThat(last).as("the one line that says why, in:\n" + output)
                .contains("directory")
                .containsAnyOf("damaged", "corrupt")
                .contains(data.resolve("directory").toAbsolutePath().normalize().toString());
        assertThat(PortsFile.of(data)).as("no listener was announced").doesNotExist();
    }

    private static Path copy(String name) throws IOException {
        Path target = tmp.resolve(name);
        try (Stream<Path> files = Files.walk(pristine)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(pristine.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(source, to);
                }
            }
        }
        return target;
    }

    private static Path partition(Path data) {
        return data.resolve("directory/partitions/egovpki");
    }
}
