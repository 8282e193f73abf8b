package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
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
 * up; a {@code kill -9} of the server in the middle of delivery loses nothing; a receiver that
 * fails 30 % of requests still gets everything in order; a parked event pauses its target until
 * re-driven; the SOAP binding delivers the same events.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncIT {

    private static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");
    private static final Duration DELIVERY = Duration.ofMinutes(4);
    private static final int MAX_ATTEMPTS = 12;
    private static final java.util.concurrent.atomic.AtomicInteger PEOPLE = new java.util.concurrent.atomic.AtomicInteger();

    @TempDir
    static Path tmp;

    private static Path config;
    private static Path data;
    private static ServerProcess server;
    private static ApiClient api;
    private static final List<ServerProcess> receivers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                // Retries stay short so the test waits on delivery, not on backoff; 12 attempts park a
                // message a 30 % failing receiver refuses with odds of 0.3^12, about 5 in 10 million.
                yaml -> yaml.replace("    maxAttempts: 10", "    maxAttempts: " + MAX_ATTEMPTS),
                yaml -> yaml.replace("    maxDelaySeconds: 300", "    maxDelaySeconds: 1"));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServerProcess receiver : receivers) {
            receiver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aReceiverThatWasDownGetsEveryEventInOrderSignedAndWithoutGap() throws Exception {
        ServerProcess receiver = receiver(tmp.resolve("r1"), 0, null);
        int port = port(receiver);
        receiver.terminate();
        addTarget("it-json", "http://127.0.0.1:" + port + "/sync", "JSON");

        List<String> serials = issue(200);
        for (String serial : serials.subList(0, 20)) {
            api.postJson("admin", "/api/v1/certificates/" + serial + "/revoke",
                    Map.of("reason", "KEY_COMPROMISE", "requester", "SUBSCRIBER"), 200);
        }
        api.postJson("admin", "/api/v1/crls/sm2-issuing", Map.of(), 201);
        api.postJson("admin", "/api/v1/crls/sm2-issuing", Map.of(), 201);
        assertThat(state("it-json").path("pending").asLong()).as("nothing delivered while the receiver is down")
                .isGreaterThan(0);

        receiver = receiver(tmp.resolve("r1"), port, null);
        JsonNode received = awaitDelivered(receiver, "it-json", Map.of("cert.issued", 200, "cert.revoked", 20,
                "crl.published", 2));
        Map<String, Integer> byType = countByType(received);
        assertThat(byType.get("cert.issued")).isEqualTo(200);
        assertThat(byType.get("cert.revoked")).isEqualTo(20);
        assertThat(byType.get("crl.published")).isGreaterThanOrEqualTo(2);
        assertThat(received.path("duplicates").asInt()).as("a receiver that was down sees each event once").isZero();
        assertInOrderAndValid(received);
    }

    @Test
    @Order(2)
    void aFlakyReceiverAndAKillOfTheServerInTheMiddleOfDeliveryLoseNothing() throws Exception {
        ServerProcess receiver = receiver(tmp.resolve("r2"), 0, "0.3");
        addTarget("it-flaky", "http://127.0.0.1:" + port(receiver) + "/sync", "JSON");
        issue(40);
        await().atMost(DELIVERY).until(() -> received(receiver).path("events").size() > 5);
        server.kill();
        server = server.restart();
        api = server.api(PASSWORD);
        JsonNode received = awaitDelivered(receiver, "it-flaky", Map.of("cert.issued", 40));
        assertThat(countByType(received).get("cert.issued")).isGreaterThanOrEqualTo(40);
        assertInOrderAndValid(received);
    }

    @Test
    @Order(3)
    void aParkedEventPausesItsTargetUntilReDriven() throws Exception {
        ServerProcess probe = receiver(tmp.resolve("r3"), 0, null);
        int port = port(probe);
        probe.terminate();
        addTarget("it-parked", "http://127.0.0.1:" + port + "/sync", "JSON");
        issue(3);
        await().atMost(DELIVERY).until(() -> state("it-parked").path("parked").asBoolean());
        JsonNode parked = state("it-parked");
        assertThat(parked.path("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(parked.path("lastDeliveredSequence").asLong()).isZero();
        assertThat(parked.path("pending").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(parked.path("lastError").asText()).isNotBlank();

        // Up again, the receiver gets nothing while the target is paused ...
        ServerProcess receiver = receiver(tmp.resolve("r3"), port, null);
        assertThat(received(receiver).path("events").size()).isZero();
        assertThat(state("it-parked").path("parked").asBoolean()).isTrue();
        // ... and everything, in order, once an administrator re-drives it.
        api.postJson("admin", "/api/v1/sync/targets/it-parked/redrive", Map.of(), 200);
        JsonNode received = awaitDelivered(receiver, "it-parked", Map.of("cert.issued", 3));
        assertInOrderAndValid(received);
    }

    @Test
    @Order(4)
    void theSoapBindingDeliversTheSameSignedEvents() throws Exception {
        ServerProcess receiver = receiver(tmp.resolve("r4"), 0, null);
        addTarget("it-soap", "http://127.0.0.1:" + port(receiver) + "/soap", "SOAP");
        issue(5);
        JsonNode received = awaitDelivered(receiver, "it-soap", Map.of("cert.issued", 5));
        assertThat(countByType(received).get("cert.issued")).isGreaterThanOrEqualTo(5);
        assertInOrderAndValid(received);

        // The pull endpoint serves the very bytes pushed; one byte changed and the receiver refuses it.
        JsonNode pulled = api.json("admin", "/api/v1/sync/targets/it-soap/events?after=0&limit=1").path("events").get(0);
        byte[] body = java.util.Base64.getDecoder().decode(pulled.path("body").asText());
        body[body.length / 2] ^= 1;
        HttpResponse<String> tampered = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port(receiver) + "/sync"))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("Egov-Sync-Signature", pulled.path("signature").asText())
                .header("Egov-Sync-Target", "it-soap").header("Egov-Sync-Sequence", "1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).as(tampered.body()).isEqualTo(400);
        assertThat(received(receiver).path("badSignatures").asInt()).isEqualTo(1);
        assertThat(received(receiver).path("events").size()).isEqualTo(received.path("events").size());

        HttpResponse<byte[]> wsdl = api.get(null, "/sync/egov-sync.wsdl");
        assertThat(wsdl.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(wsdl)).contains("urn:egov-pki:sync:1").contains("deliver");
    }

    // ---------------------------------------------------------------------------------------------

    private static ServerProcess receiver(Path dir, int port, String failRate) throws Exception {
        Files.createDirectories(dir);
        List<String> args = new ArrayList<>(List.of("sync-receiver", "--port", Integer.toString(port), "--ca-url",
                server.baseUrl(), "--data", dir.resolve("store").toString()));
        if (failRate != null) {
            args.addAll(List.of("--fail-rate", failRate));
        }
        ServerProcess receiver = ServerProcess.launch(dir.resolve("cli"), args.toArray(String[]::new));
        receivers.add(receiver);
        receiver.awaitOutput("listening on ");
        return receiver;
    }

    private static int port(ServerProcess receiver) {
        Matcher m = LISTENING.matcher(receiver.output());
        assertThat(m.find()).as(receiver.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static JsonNode received(ServerProcess receiver) throws Exception {
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create("http://127.0.0.1:" + port(receiver) + "/received")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return ApiClient.JSON.readTree(answer.body());
    }

    private static void addTarget(String id, String url, String binding) throws Exception {
        ObjectNode target = ApiClient.JSON.createObjectNode();
        target.put("id", id);
        target.put("url", url);
        target.put("binding", binding);
        target.putArray("businessTypes");
        target.put("caIdentifier", "egov-pki-it");
        target.putObject("authentication").put("type", "none");
        target.put("enabled", true);
        target.put("schedule", "realtime");
        target.put("personalData", false);
        api.postJson("admin", "/api/v1/sync/targets", target, 201);
    }

    private static JsonNode state(String target) throws Exception {
        return api.json("admin", "/api/v1/sync/targets/" + target).path("state");
    }

    /**
     * Waits until the receiver holds at least {@code atLeast} events of each type (events are
     * captured after the calls that cause them return) and the target has nothing pending.
     */
    private static JsonNode awaitDelivered(ServerProcess receiver, String target, Map<String, Integer> atLeast)
            throws Exception {
        await().atMost(DELIVERY).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Integer> counts = countByType(received(receiver));
            return atLeast.entrySet().stream().allMatch(e -> counts.getOrDefault(e.getKey(), 0) >= e.getValue())
                    && state(target).path("pending").asLong() == 0;
        });
        JsonNode received = received(receiver);
        assertThat(received.path("events").size()).as("every message the target was sent")
                .isEqualTo(state(target).path("lastDeliveredSequence").asInt());
        return received;
    }

    private static void assertInOrderAndValid(JsonNode received) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        received.path("events").forEach(e -> assertThat(ids.add(e.path("id").asText())).as("once: %s", e).isTrue());
        assertThat(received.path("gaps").size()).as("gaps: %s", received.path("gaps")).isZero();
        assertThat(received.path("badSignatures").asInt()).isZero();
        long expected = 1;
        for (JsonNode event : received.path("events")) {
            assertThat(event.path("sequence").asLong()).as("event %s", event).isEqualTo(expected++);
            assertThat(event.path("signatureValid").asBoolean()).as("event %s", event).isTrue();
        }
    }

    private static Map<String, Integer> countByType(JsonNode received) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode event : received.path("events")) {
            counts.merge(event.path("type").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** Issues {@code count} personal SM2 certificates (submitted in batches, approved one by one); their serials. */
    private static List<String> issue(int count) throws Exception {
        List<String> serials = new ArrayList<>();
        int done = 0;
        while (done < count) {
            int n = Math.min(50, count - done);
            ObjectNode batch = ApiClient.JSON.createObjectNode();
            ArrayNode requests = batch.putArray("requests");
            for (int i = 0; i < n; i++) {
                requests.add(application("Sync Person " + PEOPLE.incrementAndGet()));
            }
            JsonNode results = api.postJson("clerk1", "/api/v1/requests/batch", batch, 200).path("results");
            for (JsonNode result : results) {
                String id = result.path("request").path("id").asText();
                assertThat(id).as("batch item %s", result).isNotBlank();
                JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + id + "/approve", Map.of(), 200);
                issued.path("serials").forEach(s -> serials.add(s.asText()));
            }
            done += n;
        }
        return serials;
    }

    private static ObjectNode application(String name) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), key.getPublic())
                .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", "personal");
        body.put("businessType", "tax");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", residentId());
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }

    /** A GB 11643 number with a random sequence and its check digit. */
    private static String residentId() {
        String body = "110102" + "19800101" + String.format("%03d", RANDOM.nextInt(1000));
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }
}
