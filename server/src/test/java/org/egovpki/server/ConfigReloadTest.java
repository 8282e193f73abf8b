package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.server.audit.AuditFiles;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.logging.LogSetup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP's work without the signal: what is applied live, what waits for a restart, a bad file refused. */
class ConfigReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T08:00:00Z"), ZoneOffset.UTC);
    private final LoggerContext logback = new LoggerContext();

    @TempDir
    Path dir;

    private Path configFile;
    private FileAuditLog audit;
    private ConfigReload reload;

    @BeforeEach
    void runningServer() throws IOException {
        logback.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        logback.start();
        configFile = dir.resolve("egov-pki.yaml");
        Files.writeString(configFile, "data: " + dir.resolve("data") + "\n");
        EgovPkiConfig running = ConfigLoader.load(configFile, Map.of()).withBoundPorts(10389, 8080, 0);
        LogSetup logs = new LogSetup(logback, false);
        logs.apply(running.logging());
        audit = new FileAuditLog(dir.resolve("audit.jsonl"), FileAuditLog.SERVER_TRAIL,
                AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray()), clock, EgovPkiServer.auditRotation(running));
        reload = new ConfigReload(() -> ConfigLoader.load(configFile, Map.of()), configFile.toString(), running, logs,
                audit, clock);
    }

    @AfterEach
    void close() {
        audit.close();
        logback.stop();
    }

    private JsonNode lastAudited() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void liveSettingsApplyAndTheRestAreNamedAsNeedingARestart() throws IOException {
        Files.writeString(configFile, "data: " + dir.resolve("data") + "\nlogging:\n  level: DEBUG\n"
                + "ocsp:\n  nextUpdateMinutes: 90\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isFalse();
        assertThat(outcome.applied()).containsExactly("logging");
        assertThat(outcome.restartNeeded()).containsExactly("ocsp");
        assertThat(logback.getLogger("org.egovpki").getLevel()).isEqualTo(Level.DEBUG);
        JsonNode event = lastAudited();
        assertThat(event.path("type").asText()).isEqualTo("CONFIG_RELOADED");
        assertThat(event.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(event.path("details").path("applied").asText()).isEqualTo("logging");
        assertThat(event.path("details").path("restartNeeded").asText()).isEqualTo("ocsp");
        assertThat(event.path("details").path("file").asText()).isEqualTo(configFile.toString());

        // Applied once: the next reload of the same file changes nothing live, and still names the restart.
        ConfigReload.Outcome again = reload.reload();
        assertThat(again.applied()).isEmpty();
        assertThat(again.restartNeeded()).containsExactly("ocsp");
    }

    @Test
    void anInvalidFileIsRefusedAuditedAndChangesNothing() throws IOException {
        Files.writeString(configFile, "data: " + dir.resolve("data") + "\nlogging:\n  level: LOUD\n");

        ConfigReload.Outcome outcome = reload.reload();

        assertThat(outcome.refused()).isTrue();
        assertThat(outcome.reason()).contains("logging.level").contains("LOUD");
        assertThat(logback.getLogger("org.egovpki").getLevel()).isEqualTo(Level.INFO);
        JsonNode event = lastAudited();
        assertThat(event.path("type").asText()).isEqualTo("CONFIG_RELOADED");
        assertThat(event.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(event.path("details").path("refused").asText()).contains("logging.level");

        Files.writeString(configFile, "data: " + dir.resolve("data") + "\nthis is: [not yaml\n");
        assertThat(reload.reload().refused()).isTrue();
        assertThat(lastAudited().path("details").path("refused").asText()).contains("not valid YAML");
    }

    @Test
    void aNewAuditRotationAppliesFromTheNextEvent() throws IOException {
        Files.writeString(configFile, "data: " + dir.resolve("data") + "\naudit:\n  rotation:\n    maxSizeMb: 0\n"
                + "    daily: true\n    timeZone: UTC\n");
        assertThat(reload.reload().applied()).containsExactly("audit");

        Clock tomorrow = Clock.offset(clock, java.time.Duration.ofDays(1));
        audit.record(AuditEvent.success(tomorrow.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM, List.of(),
                Map.of()));
        assertThat(AuditFiles.closed(dir.resolve("audit.jsonl"))).hasSize(1);
    }
}
