package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.FileAuditLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code egov-pki audit verify} on files alone: its verdict lines and exit codes. */
class AuditCommandTest {

    @TempDir
    Path data;

    private Path trail;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeTrail() {
        Path secrets = data.resolve("secrets");
        AuditSeal seal = AuditSeal.loadOrGenerate(secrets.resolve(AuditSeal.SECRET_FILE));
        trail = data.resolve("audit").resolve("audit.jsonl");
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC);
        try (FileAuditLog log = new FileAuditLog(trail, FileAuditLog.SERVER_TRAIL, seal, clock)) {
            for (int i = 0; i < 5; i++) {
                log.record(AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM, List.of(),
                        Map.of("crlNumber", Integer.toString(i))));
            }
            log.checkpoint("stop");
        }
    }

    private int verify(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("audit", "verify", "--data", data.toString(),
                "--no-directory"));
        args.addAll(List.of(more));
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    @Test
    void anIntactTrailIsOkWithItsCountAndLastSequence() {
        assertThat(verify("--file", trail.toString())).isZero();
        assertThat(out.toString()).startsWith("OK: audit trail server").contains("6 events, last sequence 6")
                .contains("directory anchor not checked");
    }

    @Test
    void aChangedLineIsReportedWithItsLineAndSequenceAndExitCode1() throws Exception {
        List<String> lines = Files.readAllLines(trail, StandardCharsets.UTF_8);
        lines.set(1, lines.get(1).replace("\"crlNumber\":\"1\"", "\"crlNumber\":\"9\""));
        Files.write(trail, lines, StandardCharsets.UTF_8);

        assertThat(verify()).isEqualTo(1);
        assertThat(out.toString()).contains("TAMPERED: audit trail server")
                .contains("line 3, sequence 3: BROKEN_CHAIN - does not carry the hash of line 2");
    }

    @Test
    void aWrongTrailNameIsRefusedWithAClearMessage() {
        assertThat(verify("--file", trail.toString(), "--trail", "other")).isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("--trail other is not a trail; use server or cli");
    }

    @Test
    void aDataDirectoryWithoutASealKeyIsRefusedWithAClearMessage(@TempDir Path empty) {
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "audit", "verify", "--data",
                empty.toString());
        assertThat(exit).isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("has no audit seal key");
    }
}
