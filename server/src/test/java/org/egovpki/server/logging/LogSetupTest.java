package org.egovpki.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.egovpki.core.privacy.PersonalData;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.config.EgovPkiConfig.LogFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/** {@code logging.*} applied to a logback context of the test's own (not the JVM's). */
class LogSetupTest {

    private static final String ID_NUMBER = "11010519491231002X";
    private final ObjectMapper json = new ObjectMapper();
    private final LoggerContext context = new LoggerContext();

    @TempDir
    Path dir;

    @BeforeEach
    void asLogbackXmlStartsIt() {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private static EgovPkiConfig.Logging settings(LogFormat format, Path directory, int maxSizeMb) {
        return new EgovPkiConfig.Logging("INFO", format, directory, maxSizeMb, 30, 1000);
    }

    private List<String> fileLines() throws IOException {
        return Files.readAllLines(dir.resolve(LogSetup.FILE_NAME), StandardCharsets.UTF_8);
    }

    /** The defect reported: logback's JsonEncoder as it comes writes the template and the arguments apart. */
    @Test
    void logbacksJsonEncoderByDefaultWritesTheUnfilledTemplate() throws IOException {
        JsonEncoder plain = new JsonEncoder();
        plain.setContext(context);
        plain.start();
        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("org.egovpki.x"),
                ch.qos.logback.classic.Level.INFO, "issued {} to {}", null, new Object[] {"01AB", "reviewer01"});
        JsonNode line = json.readTree(new String(plain.encode(event), StandardCharsets.UTF_8));
        assertThat(line.path("message").asText()).isEqualTo("issued {} to {}");
        assertThat(line.has("formattedMessage")).isFalse();
    }

    @Test
    void aJsonLineParsesAndCarriesTimestampLevelThreadLoggerAndTheFilledMessage() throws IOException {
        new LogSetup(context, false).apply(settings(LogFormat.JSON, dir, 10));
        Logger log = context.getLogger("org.egovpki.core.ca.Issuer");
        log.info("issued {} to \"{}\"", "01AB", "reviewer01");
        log.debug("not at INFO");
        context.getLogger("org.apache.camel.Foo").info("a library below WARN at the root");

        List<String> lines = fileLines();
        assertThat(lines).hasSize(1);
        JsonNode line = json.readTree(lines.get(0));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("loggerName").asText()).isEqualTo("org.egovpki.core.ca.Issuer");
        assertThat(line.path("threadName").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(line.path("timestamp").asLong()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
        assertThat(line.path("formattedMessage").asText()).isEqualTo("issued 01AB to \"reviewer01\"");
        assertThat(line.has("message")).as("no template").isFalse();
        assertThat(line.has("arguments")).as("no arguments apart from the message").isFalse();
    }

    @Test
    void aMaskedIdNumberStaysMaskedAndAnExceptionIsPartOfTheLine() throws IOException {
        new LogSetup(context, false).apply(settings(LogFormat.JSON, dir, 10));
        Logger log = context.getLogger("org.egovpki.core.enroll.EnrollmentService");
        log.warn("refused the registration of {}", PersonalData.mask(ID_NUMBER),
                new IllegalStateException("bad id " + PersonalData.mask(ID_NUMBER)));

        String text = Files.readString(dir.resolve(LogSetup.FILE_NAME));
        assertThat(text).doesNotContain(ID_NUMBER).doesNotContain("19491231").contains("110***********002X");
        JsonNode line = json.readTree(fileLines().get(0));
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("throwable").path("message").asText()).isEqualTo("bad id 110***********002X");
    }

    @Test
    void theLevelAndTheFormatChangeWhenAppliedAgain() throws IOException {
        LogSetup setup = new LogSetup(context, false);
        setup.apply(settings(LogFormat.JSON, dir, 10));
        Logger log = context.getLogger("org.egovpki.x");
        log.info("first");
        setup.apply(new EgovPkiConfig.Logging("DEBUG", LogFormat.TEXT, dir, 10, 30, 1000));
        log.debug("second");

        List<String> lines = fileLines();
        assertThat(lines).hasSize(2);
        assertThat(json.readTree(lines.get(0)).path("formattedMessage").asText()).isEqualTo("first");
        assertThat(lines.get(1)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+\\-Z0-9:]* DEBUG \\[.+] x - second");
    }

    @Test
    void theFileIsRolledOverAtItsSize() {
        new LogSetup(context, false).apply(settings(LogFormat.TEXT, dir, 1));
        Logger log = context.getLogger("org.egovpki.x");
        String kilobyte = "x".repeat(1024);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < 200; i++) {
                log.info(kilobyte);
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.anyMatch(f -> f.getFileName().toString().matches("egov-pki\\.\\d{4}-\\d\\d-\\d\\d\\.0\\.log(\\.gz)?"));
            }
        });
        assertThat(dir.resolve(LogSetup.FILE_NAME)).exists();
    }

    @Test
    void anOperatorsOwnLogbackFileIsLeftAlone() {
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        int before = countAppenders(root);
        new LogSetup(context, true).apply(settings(LogFormat.JSON, dir, 10));
        assertThat(countAppenders(root)).isEqualTo(before);
        assertThat(dir.resolve(LogSetup.FILE_NAME)).doesNotExist();
    }

    private static int countAppenders(ch.qos.logback.classic.Logger logger) {
        int count = 0;
        for (var it = logger.iteratorForAppenders(); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }
}
