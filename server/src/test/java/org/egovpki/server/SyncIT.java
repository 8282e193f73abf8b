package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web-service sync end to end, with the real server jar and the real reference receiver
 * ({@code egov-pki sync-receiver}) as separate processes: a receiver that was down while 200
 * certificates were issued, 20 revoked and 2 CRLs published gets everything in order once it is
 * up; a receiver failing 30 % of requests and a {@code kill -9} of the server in the middle of
 * delivery lose nothing; the SOAP binding delivers the same signed events; a tampered message is
 * refused. The parked target is {@link SyncParkingIT} (it needs a low {@code sync.retry.maxAttempts}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncIT {

    /** The most allowed: with retries at most 1 s apart, a receiver may be down for over 8 minutes before a message parks. */
    private static final int MAX_ATTEMPTS = 1000;

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
    @Order(1)
    void aReceiverThatWasDownGetsEveryEventInOrderSignedAndWithoutGap() throws Exception {
        ServerProcess receiver = sync.receiver(tmp.resolve("r1"), 0, null);
        int port = sync.port(receiver);
        receiver.terminate();
        sync.addTarget("it-json", "http://127.0.0.1:" + port + "/sync", "JSON");

        List<String> serials = sync.issue(200);
        for (String serial : serials.subList(0, 20)) {
            sync.api.postJson("admin", "/api/v1/certificates/" + serial + "/revoke",
                    Map.of("reason", "KEY_COMPROMISE", "requester", "SUBSCRIBER"), 200);
        }
        sync.api.postJson("admin", "/api/v1/crls/sm2-issuing", Map.of(), 201);
        sync.api.postJson("admin", "/api/v1/crls/sm2-issuing", Map.of(), 201);
        await().atMost(Duration.ofMinutes(2)).until(() -> sync.state("it-json").path("pending").asLong() >= 222);
        assertThat(sync.state("it-json").path("lastDeliveredSequence").asLong())
                .as("nothing delivered while the receiver is down").isZero();

        receiver = sync.receiver(tmp.resolve("r1"), port, null);
        JsonNode received = sync.awaitDelivered(receiver, "it-json", Map.of("cert.issued", 200, "cert.revoked", 20,
                "crl.published", 2));
        Map<String, Integer> byType = sync.countByType(received);
        assertThat(byType.get("cert.issued")).isEqualTo(200);
        assertThat(byType.get("cert.revoked")).isEqualTo(20);
        assertThat(byType.get("crl.published")).isGreaterThanOrEqualTo(2);
        assertThat(received.path("duplicates").asInt()).as("a receiver that was down sees each event once").isZero();
        sync.assertInOrderAndValid(received);
    }

    @Test
    @Order(2)
    void aFlakyReceiverAndAKillOfTheServerInTheMiddleOfDeliveryLoseNothing() throws Exception {
        ServerProcess receiver = sync.receiver(tmp.resolve("r2"), 0, "0.3");
        sync.addTarget("it-flaky", "http://127.0.0.1:" + sync.port(receiver) + "/sync", "JSON");
        sync.issue(40);
        await().atMost(Duration.ofMinutes(2)).until(() -> sync.received(receiver).path("events").size() > 5);
        sync.killAndRestart();
        JsonNode received = sync.awaitDelivered(receiver, "it-flaky", Map.of("cert.issued", 40));
        assertThat(sync.countByType(received).get("cert.issued")).isEqualTo(40);
        sync.assertInOrderAndValid(received);
    }

    @Test
    @Order(3)
    void theSoapBindingDeliversTheSameSignedEventsAndATamperedOneIsRefused() throws Exception {
        ServerProcess receiver = sync.receiver(tmp.resolve("r4"), 0, null);
        sync.addTarget("it-soap", "http://127.0.0.1:" + sync.port(receiver) + "/soap", "SOAP");
        sync.issue(5);
        JsonNode received = sync.awaitDelivered(receiver, "it-soap", Map.of("cert.issued", 5));
        assertThat(sync.countByType(received).get("cert.issued")).isEqualTo(5);
        sync.assertInOrderAndValid(received);

        // The pull endpoint serves the very bytes pushed; one byte changed and the receiver refuses it.
        JsonNode pulled = sync.api.json("admin", "/api/v1/sync/targets/it-soap/events?after=0&limit=1")
                .path("events").get(0);
        byte[] body = Base64.getDecoder().decode(pulled.path("body").asText());
        body[body.length / 2] ^= 1;
        HttpResponse<String> tampered = HttpClient.newHttpClient().send(HttpRequest
                        .newBuilder(URI.create("http://127.0.0.1:" + sync.port(receiver) + "/sync"))
                        .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                        .header("Egov-Sync-Signature", pulled.path("signature").asText())
                        .header("Egov-Sync-Target", "it-soap").header("Egov-Sync-Sequence", "1")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(400);
        assertThat(sync.received(receiver).path("badSignatures").asInt()).isEqualTo(1);
        assertThat(sync.received(receiver).path("events").size()).isEqualTo(received.path("events").size());

        HttpResponse<byte[]> wsdl = sync.api.get(null, "/sync/egov-sync.wsdl");
        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(wsdl)).contains("urn:egov-pki:sync:1").contains("deliver");
    }
}
