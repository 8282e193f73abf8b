package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that fails {@code sync.retry.maxAttempts} times is parked and its target pauses —
 * nothing behind it is sent — until an administrator re-drives it; then everything arrives in
 * order. Real server jar, real reference receiver.
 */
class SyncParkingIT {

    private static final int MAX_ATTEMPTS = 3;

    @TempDir
    static Path tmp;

    private static SyncHarness sync;

    @BeforeAll
    static void start() throws Exception {
        sync = new SyncHarness(tmp, MAX_ATTEMPTS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (sync != null) {
            sync.close();
        }
    }

    @Test
    void aParkedEventPausesItsTargetUntilReDriven() throws Exception {
        ServerProcess probe = sync.receiver(tmp.resolve("r"), 0, null);
        int port = sync.port(probe);
        probe.terminate();
        sync.addTarget("it-parked", "http://127.0.0.1:" + port + "/sync", "JSON");
        sync.issue(3);
        await().atMost(Duration.ofMinutes(2)).until(() -> sync.state("it-parked").path("parked").asBoolean());
        JsonNode parked = sync.state("it-parked");
        assertThat(parked.path("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(parked.path("lastDeliveredSequence").asLong()).isZero();
        assertThat(parked.path("lastError").asText()).isNotBlank();
        await().atMost(Duration.ofMinutes(1)).until(() -> sync.state("it-parked").path("pending").asLong() >= 3);

        // Up again, the receiver gets nothing while the target is paused ...
        ServerProcess receiver = sync.receiver(tmp.resolve("r"), port, null);
        assertThat(sync.received(receiver).path("events").size()).isZero();
        assertThat(sync.state("it-parked").path("parked").asBoolean()).isTrue();
        // ... and everything, in order, once an administrator re-drives it.
        sync.api.postJson("admin", "/api/v1/sync/targets/it-parked/redrive", Map.of(), 200);
        JsonNode received = sync.awaitDelivered(receiver, "it-parked", Map.of("cert.issued", 3));
        sync.assertInOrderAndValid(received);
    }
}
