package org.egovpki.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.egovpki.core.audit.AuditAnchor;
import org.egovpki.core.audit.AuditAnchors;
import org.egovpki.core.audit.AuditEvent;
import org.egovpki.core.audit.AuditEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory anchor moves behind the file without holding up the event path: recording never
 * waits for the directory, a burst costs a few anchor writes rather than one each, failures are
 * retried until the anchor catches up, and a stop writes the final anchor, which the stop
 * checkpoint records.
 */
class AnchorWriterTest {

    private static final String TRAIL = FileAuditLog.SERVER_TRAIL;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final AuditSeal seal = AuditSeal.of("test-seal-key-0123456789abcdef".toCharArray());
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T01:00:00Z"), ZoneOffset.UTC);
    private final GatedAnchors anchors = new GatedAnchors();

    @AfterEach
    void openTheGate() {
        anchors.gate.countDown();
    }

    private Path file() {
        return dir.resolve("audit").resolve("audit.jsonl");
    }

    private AuditEvent event(int i) {
        return AuditEvent.success(clock.instant(), AuditEventType.CRL_ISSUED, AuditEvent.SYSTEM, List.of("sm2-issuing"),
                Map.of("crlNumber", Integer.toString(i)));
    }

    private long anchoredSequence() {
        return anchors.latest(TRAIL).map(AuditAnchor::sequence).orElse(0L);
    }

    @Test
    void recordingDoesNotWaitForAStuckDirectoryAndABurstCostsAtMostTwoAnchorWrites() throws IOException {
        try (FileAuditLog log = new FileAuditLog(file(), TRAIL, seal, clock)) {
            log.anchorTo(anchors, null, false);
            log.record(event(0));
            // The writer is now inside the directory call, which does not return until the gate opens.
            await().atMost(Duration.ofSeconds(10)).until(() -> anchors.entered.get() == 1);

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 1; i < 50; i++) {
                    log.record(event(i));
                }
            });
            assertThat(anchors.gate.getCount()).as("all 50 recorded while the directory write was stuck").isOne();
            assertThat(anchoredSequence()).isZero();

            anchors.gate.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> anchoredSequence() == 50);
            // The stuck write (the first event), then one write for the 49 that arrived meanwhile.
            assertThat(anchors.advances.get()).isEqualTo(2);
            assertThat(new AuditTrailVerifier(seal).verify(file(), TRAIL, anchors.latest(TRAIL).orElseThrow())
                    .problems()).isEmpty();
        }
    }

    @Test
    void aFailingDirectoryIsRetriedWithoutNewEventsUntilTheAnchorCatchesUp() throws IOException {
        FileAuditLog log = new FileAuditLog(file(), TRAIL, seal, clock);
        for (int i = 0; i < 3; i++) {
            log.record(event(i));
        }
        log.close();
        anchors.gate.countDown();
        anchors.failing = true;
        try (AnchorWriter writer = new AnchorWriter(TRAIL, seal, anchors, clock, 0, Duration.ZERO,
                Duration.ofMillis(10), Duration.ofMillis(40))) {
            writer.offer(3, FileAuditLog.sha256(Files.readAllLines(file(), StandardCharsets.UTF_8).get(2)));

            await().atMost(Duration.ofSeconds(10)).until(() -> anchors.failures.get() >= 3);
            assertThat(writer.anchored()).isZero();

            anchors.failing = false;
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.anchored() == 3);
            assertThat(anchoredSequence()).isEqualTo(3);
        }
        assertThat(new AuditTrailVerifier(seal).verify(file(), TRAIL, anchors.latest(TRAIL).orElseThrow()).problems())
                .isEmpty();
    }

    @Test
    void aStopWritesTheFinalAnchorAndTheStopCheckpointRecordsIt() throws IOException {
        anchors.gate.countDown();
        AuditTrails.Opened opened = AuditTrails.open(file(), TRAIL, seal, anchors, clock, "start");
        try (FileAuditLog log = opened.log()) {
            // The background writer fails and pauses; the stop must not depend on it.
            anchors.failing = true;
            for (int i = 0; i < 20; i++) {
                log.record(event(i));
            }
            anchors.failing = false;
            log.checkpoint("stop");

            JsonNode stop = JSON.readTree(lastLine());
            assertThat(stop.path("type").asText()).isEqualTo("AUDIT_CHECKPOINT");
            assertThat(stop.path("details").path("reason").asText()).isEqualTo("stop");
            assertThat(stop.path("details").path("anchoredSequence").asLong())
                    .isEqualTo(stop.path("seq").asLong() - 1);
            assertThat(anchoredSequence()).isEqualTo(log.lastSequence());

            log.record(event(99));
        }
        // close() wrote the anchor for the event after the checkpoint too.
        AuditVerification verified = new AuditTrailVerifier(seal).verify(file(), TRAIL,
                anchors.latest(TRAIL).orElseThrow());
        assertThat(anchoredSequence()).isEqualTo(verified.lastSequence());
        assertThat(verified.problems()).isEmpty();
        assertThat(verified.notes()).noneMatch(n -> n.contains("lags"));
    }

    private String lastLine() throws IOException {
        List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
        return lines.get(lines.size() - 1);
    }

    /** Anchors in memory behind a gate (an advance waits until it opens), counting what reaches them. */
    private static final class GatedAnchors implements AuditAnchors {
        final MemoryAuditAnchors stored = new MemoryAuditAnchors();
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();
        final AtomicInteger advances = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean failing;

        @Override
        public Optional<AuditAnchor> latest(String trail) {
            return stored.latest(trail);
        }

        @Override
        public boolean advance(long from, AuditAnchor next) {
            entered.incrementAndGet();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never opened the gate");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failing) {
                failures.incrementAndGet();
                throw new IllegalStateException("directory unavailable (test)");
            }
            boolean moved = stored.advance(from, next);
            if (moved) {
                advances.incrementAndGet();
            }
            return moved;
        }

        @Override
        public void replace(AuditAnchor anchor) {
            stored.replace(anchor);
        }
    }
}
