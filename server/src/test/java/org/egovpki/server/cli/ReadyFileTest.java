package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file {@code serve} writes once ready, for the launcher's class-data-sharing archive. */
class ReadyFileTest {

    @TempDir
    Path dir;

    @Test
    void aNamedFileIsWritten() throws Exception {
        Path ready = dir.resolve("egov-pki.jsa.ready");

        Main.markReady(ready.toString());

        assertThat(ready).hasContent("ready");
    }

    @Test
    void withoutTheSystemPropertyNothingIsWritten() throws Exception {
        Main.markReady(null);
        Main.markReady(" ");

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aFileThatCannotBeWrittenDoesNotStopTheServer() {
        Path inMissingDirectory = dir.resolve("no-such-directory").resolve("egov-pki.jsa.ready");

        assertThatCode(() -> Main.markReady(inMissingDirectory.toString())).doesNotThrowAnyException();
        assertThat(inMissingDirectory).doesNotExist();
    }

    @Test
    void theLauncherNamesTheSameProperty() throws Exception {
        String launcher = Files.readString(Path.of("..", "egov-pki"));

        assertThat(launcher).contains("-D" + Main.READY_FILE_PROPERTY + "=\"$archive.ready.$$\"");
    }
}
