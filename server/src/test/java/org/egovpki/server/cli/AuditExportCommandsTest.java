package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.ca.CmsAuditExportSigner;
import org.egovpki.core.ca.EnrollmentFixture;
import org.egovpki.core.x509.Pem;
import org.egovpki.server.StartupException;
import org.egovpki.server.audit.AuditSeal;
import org.egovpki.server.audit.FileAuditLog;
import org.egovpki.server.audit.FileAuditTrailReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify-export} without a server (its exit codes and verdicts; the export itself is
 * {@code AuditViewIT}'s), and how {@code audit export} reads its dates.
 */
class AuditExportCommandsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path bundle(CaRegistry cas) throws Exception {
        Path trail = dir.resolve("audit").resolve("audit.jsonl");
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        try (FileAuditLog log = new FileAuditLog(trail, FileAuditLog.SERVER_TRAIL,
                AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray()), clock)) {
            log.record(AuditEvent.success(NOW, AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM, List.of("sm2-issuing"),
                    Map.of("crlNumber", "1")));
        }
        Path bundle = dir.resolve("export.zip");
        Files.write(bundle, new FileAuditTrailReader(trail, FileAuditLog.SERVER_TRAIL,
                CmsAuditExportSigner.of(cas, null), clock).export(NOW, NOW.plusSeconds(1), "uid=audit1"));
        return bundle;
    }

    private Path root(CaRegistry cas, String name) throws Exception {
        Path root = dir.resolve(name + ".pem");
        Files.writeString(root, Pem.certificate(cas.find("sm2-root").orElseThrow().certificate()));
        return root;
    }

    @Test
    void anIntactBundleExits0AndAnotherRootExits1() throws Exception {
        CaRegistry cas = EnrollmentFixture.createCas();
        Path bundle = bundle(cas);

        assertThat(run("audit", "verify-export", bundle.toString(), "--trust", root(cas, "root").toString())).isZero();
        assertThat(out.toString()).contains("sequences 1 to 1 (1 events), exported by uid=audit1")
                .contains("intact: the signature, the certificate chain, the hashes and the audit hash chain verify");

        Path otherRoot = root(EnrollmentFixture.createCas(), "other");
        assertThat(run("audit", "verify-export", bundle.toString(), "--trust", otherRoot.toString()))
                .isEqualTo(AuditExportCommands.EXIT_TAMPERED);
        assertThat(out.toString()).contains("PROBLEM: the manifest is signed by CN=Test Issuing")
                .contains("NOT INTACT: 1 problem(s)");
    }

    @Test
    void aMissingBundleOrATrustFileWithoutACertificateIsRefusedWithAClearMessage() throws Exception {
        assertThat(run("audit", "verify-export", dir.resolve("none.zip").toString())).isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("the bundle " + dir.resolve("none.zip") + " does not exist");

        Path bundle = dir.resolve("some.zip");
        Files.writeString(bundle, "x");
        Path notPem = dir.resolve("root.pem");
        Files.writeString(notPem, "not a certificate");
        assertThat(run("audit", "verify-export", bundle.toString(), "--trust", notPem.toString()))
                .isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("--trust " + notPem);
    }

    @Test
    void aDateIsMidnightInTheZoneAndATimeKeepsItsOffset() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");

        assertThat(AuditExportCommands.time("--from", "2026-12-01", shanghai))
                .isEqualTo(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(AuditExportCommands.time("--from", "2026-12-01T08:00:00Z", shanghai))
                .isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(AuditExportCommands.time("--from", "2026-12-01T08:00:00", shanghai))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThatThrownBy(() -> AuditExportCommands.time("--to", "tomorrow", shanghai))
                .isInstanceOf(StartupException.class)
                .hasMessage("--to tomorrow is not a date (2026-12-01) or an ISO-8601 time (2026-12-01T08:00:00+08:00)");
    }
}
