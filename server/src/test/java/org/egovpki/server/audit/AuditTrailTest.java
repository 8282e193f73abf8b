package org.egovpki.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.server.audit.AuditVerification.Kind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit trail's tamper evidence: each kind of tampering is found by the verifier (what
 * {@code audit verify} runs) and by the start-up check (what the server and the CLI run before
 * appending), which records it once and goes on; crashes are not tampering.
 */
class AuditTrailTest {

    private static final String TRAIL = FileAuditLog.SERVER_TRAIL;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path file;
    private final AuditSeal seal = AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray());
    private final MemoryAuditAnchors anchors = new MemoryAuditAnchors();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T08:00:00.123456Z"), ZoneOffset.UTC);

    @BeforeEach
    void writeTrail() {
        file = dir.resolve("audit").resolve("audit.jsonl");
        runServer(250);
    }

    /** What a server run does to the trail: open with the check, record events, stop with a checkpoint. */
    private AuditVerification runServer(int events) {
        AuditTrails.Opened opened = AuditTrails.open(file, TRAIL, seal, anchors, clock, "start");
        try (FileAuditLog log = opened.log()) {
            for (int i = 0; i < events; i++) {
                log.record(event(i));
            }
            log.checkpoint("stop");
        }
        return opened.check();
    }

    private AuditEvent event(int i) {
        return AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM,
                List.of("sm2-issuing"), Map.of("crlNumber", Integer.toString(i)));
    }

    private AuditVerification verify() throws IOException {
        return new AuditTrailVerifier(seal).verify(file, TRAIL, anchors.latest(TRAIL).orElse(null));
    }

    @Test
    void anIntactTrailVerifiesWithItsCountAndLastSequence() throws IOException {
        AuditVerification result = verify();

        assertThat(result.problems()).isEmpty();
        // 250 events, checkpoints after 100 and 200 events (counting the checkpoints), and the stop checkpoint
        assertThat(result.lastSequence()).isEqualTo(253);
        assertThat(result.events()).isEqualTo(253);
        assertThat(result.anchor().sequence()).isEqualTo(253);
        assertThat(result.verdict()).startsWith("OK: audit trail server").contains("253 events, last sequence 253");
        assertThat(lines()).filteredOn(l -> l.contains("\"AUDIT_CHECKPOINT\"")).hasSize(3);
    }

    @Test
    void theServerGoesOnAfterAnIntactTrailWithoutAFinding() throws IOException {
        AuditVerification atStart = runServer(5);

        assertThat(atStart.unrecorded()).isEmpty();
        assertThat(verify().problems()).isEmpty();
        assertThat(verify().recordedFindings()).isEmpty();
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of(Named.of("the last 3 lines deleted", (Tamper) t -> t.keep(t.lines().size() - 3)),
                        Kind.TRUNCATED),
                Arguments.of(Named.of("the last line deleted", (Tamper) t -> t.keep(t.lines().size() - 1)),
                        Kind.TRUNCATED),
                Arguments.of(Named.of("the file emptied", (Tamper) t -> t.keep(0)), Kind.TRUNCATED),
                Arguments.of(Named.of("the last 5 events rewritten, hashes recomputed",
                        (Tamper) t -> t.rewriteFrom(t.lines().size() - 5)), Kind.REWRITTEN),
                Arguments.of(Named.of("the last 100 events rewritten, hashes recomputed (a checkpoint among them)",
                        (Tamper) t -> t.rewriteFrom(t.lines().size() - 100)), Kind.BAD_CHECKPOINT),
                Arguments.of(Named.of("the tail cut and more new events chained on than were cut",
                        (Tamper) t -> { t.keep(t.lines().size() - 3); t.appendChained(10); }), Kind.REWRITTEN),
                Arguments.of(Named.of("a middle line deleted", (Tamper) t -> t.delete(120)), Kind.BROKEN_CHAIN),
                Arguments.of(Named.of("a field of a middle line modified", (Tamper) t -> t.modify(50)),
                        Kind.BROKEN_CHAIN),
                Arguments.of(Named.of("the last line's field modified", (Tamper) t -> t.modify(t.lines().size() - 1)),
                        Kind.REWRITTEN),
                Arguments.of(Named.of("a garbage line inserted", (Tamper) t -> t.insert(10, "{\"hello\": 1}")),
                        Kind.UNREADABLE_LINE),
                Arguments.of(Named.of("the directory anchor deleted", (Tamper) t -> t.anchors.remove(TRAIL)),
                        Kind.ANCHOR_MISSING),
                Arguments.of(Named.of("the directory anchor set back to an older sealed one",
                        (Tamper) t -> t.anchors.set(t.olderAnchor(150))), Kind.ANCHOR_STALE),
                Arguments.of(Named.of("the directory anchor written without the seal key",
                        (Tamper) t -> t.anchors.set(AuditSeal.of("another-key-0123456789abcdef".toCharArray())
                                .anchor(TRAIL, 253, t.hashOfLine(253), Instant.EPOCH))), Kind.ANCHOR_FORGED));
    }

    @ParameterizedTest
    @MethodSource("tamperings")
    void tamperingIsFoundByVerifyAndAtStartUpAndRecordedOnce(Tamper tamper, Kind expected) throws IOException {
        tamper.apply(new Tampering());

        AuditVerification verified = verify();
        assertThat(verified.intact()).isFalse();
        assertThat(verified.problems()).extracting(AuditVerification.Problem::kind).contains(expected);
        assertThat(verified.verdict()).startsWith("TAMPERED").contains(expected.name());

        AuditVerification atStart = runServer(2);
        assertThat(atStart.unrecorded()).extracting(AuditVerification.Problem::kind).contains(expected);
        List<String> findings = lines().stream().filter(l -> l.contains("\"AUDIT_TRAIL_FINDING\"")).toList();
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0)).contains(expected.name()).contains("\"outcome\":\"FAILURE\"");

        // The trail goes on from the finding: a second start records nothing new, and verify still tells.
        AuditVerification again = runServer(2);
        assertThat(again.unrecorded()).isEmpty();
        assertThat(lines()).filteredOn(l -> l.contains("\"AUDIT_TRAIL_FINDING\"")).hasSize(1);
        AuditVerification after = verify();
        assertThat(after.recordedFindings()).hasSize(1).first().asString().contains(expected.name());
        assertThat(after.verdict()).contains("recorded finding");
    }

    @Test
    void aCrashBetweenTheFileWriteAndTheAnchorIsNotTampering() throws IOException {
        // The line is forced to disk, then the process dies before the directory is written.
        anchors.failing = true;
        try (FileAuditLog log = new FileAuditLog(file, TRAIL, seal, clock)) {
            log.anchorTo(anchors, anchors.latest(TRAIL).orElseThrow(), false);
            log.record(event(1));
            log.record(event(2));
        }
        anchors.failing = false;

        AuditVerification verified = verify();
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.notes()).anyMatch(n -> n.contains("lags the file by 2 event(s)"));

        AuditVerification atStart = runServer(1);
        assertThat(atStart.unrecorded()).isEmpty();
        assertThat(lines()).noneMatch(l -> l.contains("\"AUDIT_TRAIL_FINDING\""));
        assertThat(verify().anchor().sequence()).isEqualTo(verify().lastSequence());
    }

    @Test
    void aRecordTornByACrashIsCutOffAndIsNotTampering() throws IOException {
        Files.writeString(file, "{\"seq\":254,\"time\":\"2026-", StandardOpenOption.APPEND);

        AuditVerification verified = verify();
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.notes()).anyMatch(n -> n.contains("incomplete record"));

        assertThat(runServer(1).unrecorded()).isEmpty();
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aDirectoryThatCannotBeWrittenDoesNotStopAuditingAndTheAnchorCatchesUp() throws IOException {
        AuditTrails.Opened opened = AuditTrails.open(file, TRAIL, seal, anchors, clock, "start");
        try (FileAuditLog log = opened.log()) {
            anchors.failing = true;
            log.record(event(1));
            anchors.failing = false;
            log.record(event(2));
        }
        assertThat(anchors.latest(TRAIL).orElseThrow().sequence()).isEqualTo(verify().lastSequence());
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void aCheckpointSealedWithAnotherKeyIsFound() throws IOException {
        AuditVerification result = new AuditTrailVerifier(AuditSeal.of("a-different-key-0123456789".toCharArray()))
                .verifyFile(file, TRAIL);

        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).containsOnly(Kind.BAD_CHECKPOINT);
        assertThat(result.problems().get(0).message()).contains("not with this data directory's audit seal key");
    }

    @Test
    void aSealOfOneTrailDoesNotFitAnother() throws IOException {
        AuditVerification result = new AuditTrailVerifier(seal).verifyFile(file, FileAuditLog.CLI_TRAIL);

        assertThat(result.problems()).extracting(AuditVerification.Problem::kind).containsOnly(Kind.BAD_CHECKPOINT);
    }

    private List<String> lines() throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface Tamper {
        void apply(Tampering t) throws IOException;
    }

    /** What an attacker with write access to the file (and perhaps the directory) does. */
    final class Tampering {
        final MemoryAuditAnchors anchors = AuditTrailTest.this.anchors;

        List<String> lines() throws IOException {
            return AuditTrailTest.this.lines();
        }

        void write(List<String> lines) throws IOException {
            Files.write(file, lines, StandardCharsets.UTF_8);
        }

        void keep(int count) throws IOException {
            write(lines().subList(0, count));
        }

        void delete(int index) throws IOException {
            List<String> lines = new ArrayList<>(lines());
            lines.remove(index);
            write(lines);
        }

        void insert(int index, String line) throws IOException {
            List<String> lines = new ArrayList<>(lines());
            lines.add(index, line);
            write(lines);
        }

        void modify(int index) throws IOException {
            List<String> lines = new ArrayList<>(lines());
            lines.set(index, lines.get(index).replace("\"actor\":\"system\"", "\"actor\":\"uid=mallory\""));
            write(lines);
        }

        /** Changes every line from {@code index} on and recomputes the chain, as a careful attacker would. */
        void rewriteFrom(int index) throws IOException {
            List<String> lines = new ArrayList<>(lines());
            String previous = index == 0 ? FileAuditLog.GENESIS : FileAuditLog.sha256(lines.get(index - 1));
            for (int i = index; i < lines.size(); i++) {
                ObjectNode node = (ObjectNode) JSON.readTree(lines.get(i));
                node.put("actor", "uid=mallory");
                node.put("prev", previous);
                String text = JSON.writeValueAsString(node);
                lines.set(i, text);
                previous = FileAuditLog.sha256(text);
            }
            write(lines);
        }

        /** Appends well-chained events the CA never wrote. */
        void appendChained(int count) throws IOException {
            List<String> lines = new ArrayList<>(lines());
            ObjectNode last = (ObjectNode) JSON.readTree(lines.get(lines.size() - 1));
            long sequence = last.get("seq").asLong();
            String previous = FileAuditLog.sha256(lines.get(lines.size() - 1));
            for (int i = 0; i < count; i++) {
                ObjectNode node = last.deepCopy();
                node.put("seq", ++sequence);
                node.put("type", "CRL_ISSUED");
                node.put("prev", previous);
                String text = JSON.writeValueAsString(node);
                lines.add(text);
                previous = FileAuditLog.sha256(text);
            }
            write(lines);
        }

        String hashOfLine(long sequence) throws IOException {
            return FileAuditLog.sha256(lines().get((int) sequence - 1));
        }

        /** A genuine anchor the CA once wrote (an attacker could have kept a copy). */
        AuditAnchor olderAnchor(long sequence) throws IOException {
            return seal.anchor(TRAIL, sequence, hashOfLine(sequence), clock.instant());
        }
    }
}
