package org.egovpki.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.egovpki.core.audit.AuditEventType;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncMessage;
import org.egovpki.core.sync.TargetState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/sync/targets} over HTTP against the in-memory store ({@link SyncApiFixture}): what
 * goes in, what comes back (never a secret), the status codes and the field of every refusal.
 */
class SyncResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TARGET = """
            {"id": "henan-tax", "url": "https://tax.henan.example/sync", "businessTypes": ["tax"],
             "caIdentifier": "HN-CA", "authentication": {"type": "basic", "username": "ca", "password": " pw with blanks "}}
            """;

    private SyncApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new SyncApiFixture();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void createsReadsReplacesAndDeletesATargetWithoutEverAnsweringItsSecret() throws Exception {
        HttpResponse<String> created = call("POST", "/sync/targets", "caadmin", TARGET);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/sync/targets/henan-tax");
        JsonNode target = JSON.readTree(created.body());
        assertThat(target.path("binding").asText()).isEqualTo("JSON");
        assertThat(target.path("schedule").asText()).isEqualTo("realtime");
        assertThat(target.path("enabled").asBoolean()).isTrue();
        assertThat(target.path("authentication").toString())
                .isEqualTo("{\"type\":\"basic\",\"username\":\"ca\",\"passwordSet\":true}");
        assertThat(target.path("state").path("pending").asLong()).isZero();
        assertThat(created.body()).doesNotContain("pw with blanks");
        assertThat(api.credentials.load("henan-tax").orElseThrow().password()).isEqualTo(" pw with blanks ".toCharArray());

        HttpResponse<String> read = call("GET", "/sync/targets/henan-tax", "auditor", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body())).isEqualTo(target);
        assertThat(JSON.readTree(call("GET", "/sync/targets", "auditor", null).body()).path("targets"))
                .hasSize(1);

        HttpResponse<String> replaced = call("PUT", "/sync/targets/henan-tax", "caadmin", """
                {"url": "https://tax.henan.example/soap", "binding": "SOAP", "caIdentifier": "HN-CA",
                 "authentication": {"type": "basic", "username": "ca"}, "schedule": "0 0 2 * * ?", "enabled": false}
                """);
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode after = JSON.readTree(replaced.body());
        assertThat(after.path("binding").asText()).isEqualTo("SOAP");
        assertThat(after.path("schedule").asText()).isEqualTo("0 0 2 * * ?");
        assertThat(after.path("businessTypes")).isEmpty();
        assertThat(after.path("authentication").path("passwordSet").asBoolean()).isTrue();

        HttpResponse<String> deleted = call("DELETE", "/sync/targets/henan-tax", "caadmin", null);
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("{\"id\":\"henan-tax\",\"deleted\":true}");
        assertThat(call("GET", "/sync/targets/henan-tax", "caadmin", null).statusCode()).isEqualTo(404);
        assertThat(api.credentials.load("henan-tax")).isEmpty();
        assertThat(api.audit.events).extracting(e -> e.type()).containsExactly(AuditEventType.SYNC_TARGET_ADDED,
                AuditEventType.SYNC_TARGET_CHANGED, AuditEventType.SYNC_TARGET_DELETED);
        assertThat(api.audit.events.toString()).doesNotContain("pw with blanks");
    }

    @Test
    void redriveSkipAndReplayMoveTheCursorAndAnswerTheState() throws Exception {
        call("POST", "/sync/targets", "caadmin", TARGET);
        for (int i = 1; i <= 3; i++) {
            api.store.enqueue(new SyncMessage("henan-tax", i, "ca/" + i + "/issued", SyncEventType.CERT_ISSUED, "ca",
                    i, SyncApiFixture.NOW.plusSeconds(i), new byte[] {'{', '}'}, new byte[] {1}));
        }
        TargetState now = api.store.state("henan-tax");
        api.store.updateState("henan-tax", now, new TargetState(3, 0, true, 10, "HTTP 503", SyncApiFixture.NOW, null,
                SyncApiFixture.NOW.plusSeconds(300)));
        JsonNode parked = JSON.readTree(call("GET", "/sync/targets/henan-tax", "auditor", null).body()).path("state");
        assertThat(parked.path("parked").asBoolean()).isTrue();
        assertThat(parked.path("lastError").asText()).isEqualTo("HTTP 503");
        assertThat(parked.path("oldestPendingAt").asText()).isEqualTo("2026-12-02T04:00:01Z");
        assertThat(parked.path("nextAttemptAt").asText()).isEqualTo("2026-12-02T04:05:00Z");

        JsonNode redriven = JSON.readTree(call("POST", "/sync/targets/henan-tax/redrive", "caadmin", null).body());
        assertThat(redriven.path("state").path("parked").asBoolean()).isFalse();
        assertThat(redriven.path("state").path("attempts").asInt()).isZero();
        assertThat(redriven.path("state").path("nextAttemptAt").isNull()).isTrue();

        JsonNode skipped = JSON.readTree(call("POST", "/sync/targets/henan-tax/skip", "caadmin", "{}").body());
        assertThat(skipped.path("state").path("lastDeliveredSequence").asLong()).isEqualTo(1);
        assertThat(skipped.path("state").path("pending").asLong()).isEqualTo(2);

        JsonNode replayed = JSON.readTree(call("POST", "/sync/targets/henan-tax/replay", "caadmin", "{\"from\": 1}").body());
        assertThat(replayed.path("state").path("lastDeliveredSequence").asLong()).isZero();
        assertThat(replayed.path("state").path("lastEnqueuedSequence").asLong()).isEqualTo(3);

        assertRefused(call("POST", "/sync/targets/henan-tax/replay", "caadmin", "{\"from\": 9}"), 400, "from");
        assertRefused(call("POST", "/sync/targets/henan-tax/replay", "caadmin", "{\"from\": \"1\"}"), 400, "from");
        assertRefused(call("POST", "/sync/targets/henan-tax/replay", "caadmin", "{}"), 400, "from");
        assertRefused(call("POST", "/sync/targets/henan-tax/skip", "caadmin", "{\"sequence\": 1}"), 400, "sequence");
    }

    @Test
    void refusalsNameTheFieldAndNonAdminsAreForbidden() throws Exception {
        assertRefused(call("POST", "/sync/targets", "clerk", TARGET), 403, null);
        assertRefused(call("POST", "/sync/targets", "auditor", TARGET), 403, null);
        assertRefused(call("GET", "/sync/targets", "clerk", null), 403, null);
        assertThat(api.store.targets()).isEmpty();

        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET.replace("https://tax.henan.example/sync",
                "tax.henan.example")), 400, "url");
        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET.replace("\"basic\"", "\"digest\"")), 400,
                "authentication.type");
        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET.replace("\"password\"", "\"pkcs12Password\"")),
                400, "authentication.pkcs12Password");
        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET.replace("\"tax\"]", "\"tax\"], \"colour\": 1")),
                400, "colour");
        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET.replace("\"caIdentifier\": \"HN-CA\",",
                "\"schedule\": \"every night\", \"caIdentifier\": \"HN-CA\",")), 400, "schedule");
        String p12 = Base64.getEncoder().encodeToString("not a PKCS#12".getBytes(StandardCharsets.US_ASCII));
        assertRefused(call("POST", "/sync/targets", "caadmin", """
                {"id": "zz", "url": "https://zz.example/", "caIdentifier": "HN-CA",
                 "authentication": {"type": "clientCertificate", "pkcs12": "%s", "pkcs12Password": "x"}}
                """.formatted(p12)), 400, "authentication.pkcs12");
        assertThat(api.store.targets()).isEmpty();

        call("POST", "/sync/targets", "caadmin", TARGET);
        assertRefused(call("POST", "/sync/targets", "caadmin", TARGET), 409, null);
        assertRefused(call("PUT", "/sync/targets/henan-tax", "caadmin", TARGET.replace("henan-tax", "other")), 400, "id");
        assertRefused(call("PUT", "/sync/targets/nobody", "caadmin", TARGET.replace("henan-tax", "nobody")), 404, null);
        assertRefused(call("DELETE", "/sync/targets/henan-tax", "auditor", null), 403, null);
        assertRefused(call("POST", "/sync/targets/henan-tax/skip", "caadmin", null), 409, null);
        assertThat(call("GET", "/sync/targets/Not_An_Id", "caadmin", null).statusCode()).isEqualTo(404);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        if (field == null) {
            assertThat(error.path("field").isNull()).isTrue();
        } else {
            assertThat(error.path("field").asText()).isEqualTo(field);
        }
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private HttpResponse<String> call(String method, String path, String user, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.url().resolve("/api/v1" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":"
                        + SyncApiFixture.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
