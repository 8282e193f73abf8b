package org.egovpki.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.ca.MovableClock;
import org.egovpki.server.audit.AuditVerification.Kind;
import org.egovpki.server.audit.FileAuditLog.RotationStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rotation of the audit trail: the hash chain runs on across files, {@code audit verify}'s check
 * covers the set end to end and finds a missing or altered file, and a crash at any step of a
 * rotation loses and repeats nothing.
 */
class AuditRotationTest {

    private static final String TRAIL = FileAuditLog.SERVER_TRAIL;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** About ten events a file. */
    private static final AuditRotation SMALL_FILES = new AuditRotation(3_000, false, ZoneId.of("UTC"));

    @TempDir
    Path dir;

    private Path file;
    private final AuditSeal seal = AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray());
    private final MemoryAuditAnchors anchors = new MemoryAuditAnchors();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T08:00:00Z"));

    @BeforeEach
    void paths() {
        file = dir.resolve("audit").resolve("audit.jsonl");
    }

    private void run(AuditRotation rotation, int events) {
        try (FileAuditLog log = AuditTrails.open(file, TRAIL, seal, anchors, clock, rotation, "start").log()) {
            for (int i = 0; i < events; i++) {
                log.record(event(i));
            }
            log.checkpoint("stop");
        }
    }

    private AuditEvent event(int i) {
        return AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM,
                List.of("sm2-issuing"), Map.of("crlNumber", Integer.toString(i)));
    }

    private AuditVerification verify() throws IOException {
        return new AuditTrailVerifier(seal).verify(file, TRAIL, anchors.latest(TRAIL).orElse(null));
    }

    /** Every line of every file, in order. */
    private List<JsonNode> records() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (Path f : AuditFiles.all(file)) {
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    records.add(JSON.readTree(line));
                }
            }
        }
        return records;
    }

    private List<String> crlNumbers() throws IOException {
        return records().stream().filter(r -> r.path("type").asText().equals("CRL_ISSUED"))
                .map(r -> r.path("details").path("crlNumber").asText()).toList();
    }

    @Test
    void bySizeTheChainRunsOnAcrossFilesAndVerifiesEndToEnd() throws IOException {
        run(SMALL_FILES, 60);

        List<AuditFiles.Closed> closed = AuditFiles.closed(file);
        assertThat(closed).hasSizeGreaterThan(3);
        long expectedFirst = 1;
        for (AuditFiles.Closed c : closed) {
            List<String> lines = Files.readAllLines(c.file(), StandardCharsets.UTF_8);
            assertThat(JSON.readTree(lines.get(0)).path("seq").asLong()).as(c.file().toString()).isEqualTo(expectedFirst);
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(last.path("seq").asLong()).isEqualTo(c.last());
            assertThat(last.path("type").asText()).as("a closed file ends sealed").isEqualTo("AUDIT_CHECKPOINT");
            assertThat(last.path("details").path("reason").asText()).isEqualTo("rotate");
            Path next = closed.indexOf(c) + 1 < closed.size() ? closed.get(closed.indexOf(c) + 1).file() : file;
            JsonNode first = JSON.readTree(Files.readAllLines(next, StandardCharsets.UTF_8).get(0));
            assertThat(first.path("prev").asText()).as("the next file chains to this one's last line")
                    .isEqualTo(FileAuditLog.sha256(lines.get(lines.size() - 1)));
            expectedFirst = c.last() + 1;
        }
        List<JsonNode> all = records();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).path("seq").asLong()).isEqualTo(i + 1);
        }
        assertThat(crlNumbers()).hasSize(60).doesNotHaveDuplicates();

        AuditVerification result = verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.events()).isEqualTo(all.size());
        assertThat(result.lastSequence()).isEqualTo(all.size());
        assertThat(result.anchor().sequence()).as("the directory anchor at the last line").isEqualTo(all.size());
    }

    @Test
    void dailyTheFirstEventOfANewDayStartsANewFile() throws IOException {
        AuditRotation daily = new AuditRotation(0, true, ZoneId.of("Asia/Shanghai"));
        run(daily, 3);
        clock.advance(Duration.ofHours(15)); // 2026-12-01T23:00Z is 07:00 on the 2nd in Shanghai
        run(daily, 3);

        List<AuditFiles.Closed> closed = AuditFiles.closed(file);
        assertThat(closed).hasSize(1);
        List<String> firstDay = Files.readAllLines(closed.get(0).file(), StandardCharsets.UTF_8);
        for (String line : firstDay.subList(0, firstDay.size() - 1)) {
            assertThat(JSON.readTree(line).path("time").asText()).startsWith("2026-12-01T08");
        }
        JsonNode sealing = JSON.readTree(firstDay.get(firstDay.size() - 1));
        assertThat(sealing.path("details").path("reason").asText()).as("sealed when the new day's first event came")
                .isEqualTo("rotate");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            assertThat(JSON.readTree(line).path("time").asText()).startsWith("2026-12-01T23");
        }
        assertThat(closed.get(0).file().getFileName().toString())
                .isEqualTo("audit.000000000001-" + String.format("%012d", closed.get(0).last()) + ".jsonl");
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aMissingMiddleFileIsFound() throws IOException {
        run(SMALL_FILES, 60);
        AuditFiles.Closed middle = AuditFiles.closed(file).get(1);
        Files.delete(middle.file());

        AuditVerification result = verify();
        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).contains(Kind.BROKEN_CHAIN);
        assertThat(result.summary()).contains("expected sequence " + middle.first())
                .contains((middle.last() - middle.first() + 1) + " event(s) before this line were removed")
                .contains("a missing file of the trail");
    }

    @Test
    void anAlteredMiddleFileIsFound() throws IOException {
        run(SMALL_FILES, 60);
        AuditFiles.Closed middle = AuditFiles.closed(file).get(1);
        String text = Files.readString(middle.file());
        Files.writeString(middle.file(), text.replaceFirst("\"crlNumber\":\"(\\d+)\"", "\"crlNumber\":\"9$1\""));

        AuditVerification result = verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).contains(Kind.BROKEN_CHAIN);
        assertThat(result.summary()).contains(middle.file().getFileName().toString());
    }

    @Test
    void aReplacedTailOfTheTrailIsFoundByTheAnchor() throws IOException {
        run(SMALL_FILES, 60);
        Files.delete(file);

        AuditVerification result = verify();
        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).contains(Kind.TRUNCATED);
    }

    /** A crash after each step of a rotation: the next start goes on from where it stopped, nothing lost or doubled. */
    @ParameterizedTest
    @EnumSource(RotationStep.class)
    void aCrashMidRotationLosesAndRepeatsNothing(RotationStep crashAfter) throws IOException {
        run(SMALL_FILES, 5);
        FileAuditLog crashing = new FileAuditLog(file, TRAIL, seal, clock, SMALL_FILES, step -> {
            if (step == crashAfter) {
                throw new IllegalStateException("crash after " + step);
            }
        });
        List<String> written = new ArrayList<>();
        assertThatThrownBy(() -> {
            for (int i = 100; i < 200; i++) {
                crashing.record(event(i));
                written.add(Integer.toString(i));
            }
        }).hasMessage("crash after " + crashAfter);
        crashing.close(); // the process died: nothing more is written

        if (crashAfter == RotationStep.RENAMED) {
            assertThat(file).as("the crash came between the rename and the new file").doesNotExist();
        }
        run(SMALL_FILES, 30);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expected.add(Integer.toString(i));
        }
        expected.addAll(written);
        for (int i = 0; i < 30; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(crlNumbers()).as("every recorded event once, in order").isEqualTo(expected);
        List<JsonNode> all = records();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).path("seq").asLong()).isEqualTo(i + 1);
        }
        AuditVerification result = verify();
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void neverRotatingKeepsOneFile() throws IOException {
        run(AuditRotation.NEVER, 60);
        assertThat(AuditFiles.closed(file)).isEmpty();
        assertThat(verify().problems()).isEmpty();
    }
}
