package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

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
 * verify and by the next start-up, which warns, records the finding and goes on.
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

    @Test
    void anIntactTrailVerifiesAfterKill9AndATruncatedOneIsFoundByVerifyAndAtStartUp() throws Exception {
        Path data = work.resolve("data");
        Path password = work.resolve("reviewer.password");
        Files.writeString(password, "Reviewer-pass-1");

        ServerProcess server = ServerProcess.serve(data);
        Result add = cli(data, "operator", "add", "--data", data.toString(), "--ldap-port", "0",
                "--uid", "reviewer01", "--name", "Reviewer", "--role", "REVIEWER", "--password-file", password.toString());
        assertThat(add.exit()).as(add.output()).isZero();

        Result running = verify(data);
        assertThat(running.exit()).as(running.output()).isZero();
        assertThat(running.output()).contains("OK: audit trail server").contains("OK: audit trail cli");

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
