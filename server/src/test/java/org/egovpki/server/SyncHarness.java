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

/**
 * The real server jar with a CA admin, an entry clerk and a reviewer, and real reference receivers
 * ({@code egov-pki sync-receiver}) as separate processes: what the sync ITs drive.
 */
final class SyncHarness implements AutoCloseable {

    static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");
    private static final Duration DELIVERY = Duration.ofMinutes(4);
    private static final java.util.concurrent.atomic.AtomicInteger PEOPLE = new java.util.concurrent.atomic.AtomicInteger();

    private final Path tmp;
    private final List<ServerProcess> receivers = new ArrayList<>();
    ServerProcess server;
    ApiClient api;

    /** Starts the server with sync.retry.maxAttempts {@code maxAttempts} and a 1 s longest retry delay. */
    SyncHarness(Path tmp, int maxAttempts) throws Exception {
        this.tmp = tmp;
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("    maxAttempts: 10", "    maxAttempts: " + maxAttempts),
                yaml -> yaml.replace("    maxDelaySeconds: 300", "    maxDelaySeconds: 1"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
    }

    /** {@code kill -9} of the server, then a start on the same data directory and ports. */
    void killAndRestart() throws Exception {
        server.kill();
        server = server.restart();
        api = server.api(PASSWORD);
    }

    @Override
    public void close() throws InterruptedException {
        for (ServerProcess receiver : receivers) {
            receiver.close();
        }
        if (server != null) {
            server.close();
        }
    }


    ServerProcess receiver(Path dir, int port, String failRate) throws Exception {
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

    int port(ServerProcess receiver) {
        Matcher m = LISTENING.matcher(receiver.output());
        assertThat(m.find()).as(receiver.output()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    JsonNode received(ServerProcess receiver) throws Exception {
        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create("http://127.0.0.1:" + port(receiver) + "/received")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return ApiClient.JSON.readTree(answer.body());
    }

    void addTarget(String id, String url, String binding) throws Exception {
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

    JsonNode state(String target) throws Exception {
        return api.json("admin", "/api/v1/sync/targets/" + target).path("state");
    }

    /**
     * Waits until the receiver holds at least {@code atLeast} events of each type (events are
     * captured after the calls that cause them return) and the target has nothing pending.
     */
    JsonNode awaitDelivered(ServerProcess receiver, String target, Map<String, Integer> atLeast)
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

    void assertInOrderAndValid(JsonNode received) {
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

    Map<String, Integer> countByType(JsonNode received) {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode event : received.path("events")) {
            counts.merge(event.path("type").asText(), 1, Integer::sum);
        }
        return counts;
    }

    /** Issues {@code count} personal SM2 certificates (submitted in batches, approved one by one); their serials. */
    List<String> issue(int count) throws Exception {
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

    ObjectNode application(String name) throws Exception {
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
        registration.put("idNumber", TestResidentIds.next());
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }
}
