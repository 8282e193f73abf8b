package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail on the real server jar: {@code audit verify} against a running server and a
 * stopped (killed) one, an intact trail after {@code kill -9}, and a truncated trail found by
 * verify and by the next start-up, which warns, records the finding and goes on; and SIGHUP on the
 * running server, which reloads the configuration instead of stopping.
 */
class AuditIT {

    @TempDir
    Path work;

    private record Result(int exit, String output) {
    }

    private Result cli(Path data, String... args) throws InterruptedException {
        ServerProcess cli = ServerProcess.launch(data, args);
        int exit = cli.awaitExit(Duration.ofSeconds(120));
        return new Result(exit, cli.output());
    }

    /** {@code --ldap-port 0}: the command finds a running server's port in its ports file. */
    private Result verify(Path data) throws InterruptedException {
        return cli(data, "audit", "verify", "--data", data.toString(), "--ldap-port", "0");
    }

    /**
     * SIGHUP on the running server: a live setting applies, a setting that needs a restart is named, a
     * bad file is refused; each reload is audited and the server answers throughout.
     */
    private void hangUpReloadsTheConfiguration(ServerProcess server, Path config, Path data) throws Exception {
        Path trail = data.resolve("audit").resolve("audit.jsonl");
        String shipped = Files.readString(config);
        Path logs = work.resolve("logs");
        Files.writeString(config, shipped.replace("level: INFO", "level: DEBUG").replace("format: text", "format: json")
                .replace("# directory: /var/log/egov-pki", "directory: " + logs)
                .replace("nextUpdateMinutes: 60", "nextUpdateMinutes: 90").replace("deltas: true", "deltas: false"));
        server.hangUp();
        await().atMost(Duration.ofSeconds(60)).until(() -> reloads(trail).size() == 1);
        JsonNode reloaded = reloads(trail).get(0);
        assertThat(reloaded.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(reloaded.path("details").path("applied").asText()).isEqualTo("logging,ocsp.nextUpdateMinutes");
        assertThat(reloaded.path("details").path("restartNeeded").asText()).isEqualTo("ca.crl.deltas");
        await().atMost(Duration.ofSeconds(30)).until(() -> server.output().contains("restart needed for ca.crl.deltas"));
        // The new logging applies at once: JSON lines, also in the log file, each one parsing.
        Path logFile = logs.resolve("egov-pki.log");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(logFile)
                && Files.readString(logFile).contains("Configuration reloaded from"));
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
            JsonNode entry = json.readTree(line);
            assertThat(entry.path("level").asText()).as(line).isNotEmpty();
            assertThat(entry.path("loggerName").asText()).as(line).isNotEmpty();
            assertThat(entry.path("threadName").asText()).as(line).isNotEmpty();
            assertThat(entry.path("timestamp").asLong()).as(line).isPositive();
            assertThat(entry.has("formattedMessage")).as(line).isTrue();
        }
        assertThat(server.output()).contains("\"loggerName\":\"org.egovpki.server.ConfigReload\"");

        Files.writeString(config, shipped.replace("format: text", "format: xml"));
        server.hangUp();
        await().atMost(Duration.ofSeconds(60)).until(() -> reloads(trail).size() == 2);
        JsonNode refused = reloads(trail).get(1);
        assertThat(refused.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(refused.path("details").path("refused").asText()).contains("logging.format").contains("xml");
        assertThat(server.output()).contains("Configuration reload refused");

        assertThat(server.isAlive()).as("SIGHUP does not stop the server").isTrue();
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.url("/health"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(server.output()).doesNotContain("Embedded directory stopped");
        Files.writeString(config, shipped);
    }

    private static List<JsonNode> reloads(Path trail) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(trail, StandardCharsets.UTF_8)) {
            JsonNode record = json.readTree(line);
            if (record.path("type").asText().equals("CONFIG_RELOADED")) {
                found.add(record);
            }
        }
        return found;
    }

    @Test
    void anIntactTrailVerifiesAfterKill9AndATruncatedOneIsFoundByVerifyAndAtStartUp() throws Exception {
        Path data = work.resolve("data");
        Path password = work.resolve("reviewer.password");
        Files.writeString(password, "Reviewer-pass-1");

        Path config = ServerProcess.config(work.resolve("conf"));
        ServerProcess server = ServerProcess.serve(data, "--config", config.toString());
        Result add = cli(data, "operator", "add", "--data", data.toString(), "--ldap-port", "0",
                "--uid", "reviewer01", "--name", "Reviewer", "--role", "REVIEWER", "--password-file", password.toString());
        assertThat(add.exit()).as(add.output()).isZero();

        Result running = verify(data);
        assertThat(running.exit()).as(running.output()).isZero();
        assertThat(running.output()).contains("OK: audit trail server").contains("OK: audit trail cli");

        hangUpReloadsTheConfiguration(server, config, data);

        server.kill();
        Result killed = verify(data);
        assertThat(killed.exit()).as(killed.output()).isZero();
        assertThat(killed.output()).contains("OK: audit trail server").contains("OK: audit trail cli")
                .doesNotContain("TAMPERED");

        Path trail = data.resolve("audit").resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        Files.write(trail, lines.subList(0, lines.size() - 2), StandardCharsets.UTF_8);
        Result truncated = verify(data);
        assertThat(truncated.exit()).as(truncated.output()).isEqualTo(1);
        assertThat(truncated.output()).contains("TAMPERED: audit trail server").contains("TRUNCATED")
                .contains("2 event(s) at its end were removed");

        server = server.restart();
        assertThat(server.output()).contains("egov-pki WARNING: the audit trail failed its start-up check")
                .contains("AUDIT TRAIL CHECK FAILED").contains("TRUNCATED");
        server.terminate();
        assertThat(server.output()).contains("Embedded directory stopped");
        assertThat(Files.readString(trail)).contains("\"AUDIT_TRAIL_FINDING\"");

        Result after = verify(data);
        assertThat(after.exit()).as(after.output()).isEqualTo(3);
        assertThat(after.output()).contains("OK, WITH RECORDED FINDINGS: audit trail server")
                .contains("recorded finding").contains("TRUNCATED");
    }
}
