package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision-support statistics and an application admin on the real jar: certificates of two
 * business types issued and one revoked show up in the API's figures (after the statistics route's
 * next refresh, at most a minute), and an application admin created with {@code operator add
 * --business-type} sees only its own business type's certificates and figures.
 */
class StatisticsIT {

    private static final String PASSWORD = "Root2026pass";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("  refreshSeconds: 60", "  refreshSeconds: 2"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: device-ec\n    type: DEVICE\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [serverAuth]\n"));
        Path data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        ServerProcess add = server.cli("operator", "add", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0", "--uid", "taxadmin", "--name", "Tax application admin", "--role",
                "APPLICATION_ADMIN", "--business-type", "tax", "--password-file", passwordFile.toString());
        assertThat(add.awaitExit(Duration.ofSeconds(60))).as(add.output()).isZero();
        assertThat(add.output()).contains("created operator uid=taxadmin").contains("for business types [tax]");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void issuedAndRevokedCertificatesAreCountedAndAnApplicationAdminSeesOnlyItsOwn() throws Exception {
        String tax1 = DeviceRequests.issueEc(api, "tax", "a.tax.example.gov.cn");
        String tax2 = DeviceRequests.issueEc(api, "tax", "b.tax.example.gov.cn");
        String health = DeviceRequests.issueEc(api, "health", "c.health.example.gov.cn");
        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        api.postJson("admin", "/api/v1/certificates/" + tax2 + "/revoke", revoke, 200);
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        String query = "/api/v1/statistics/certificates?from=" + today + "&to=" + today + "&groupBy=businessType";

        // The statistics route recomputes today every statistics.refreshSeconds (2 s here).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(rows(api.json("admin", query))).containsEntry("tax", "issued=2 revoked=1 valid=1")
                        .containsEntry("health", "issued=1 revoked=0 valid=1"));

        assertThat(rows(api.json("taxadmin", query))).containsOnlyKeys("tax");
        JsonNode causes = api.json("admin", "/api/v1/statistics/certificates?from=" + today + "&to=" + today
                + "&groupBy=cause");
        assertThat(causes.path("rows").get(0).path("group").asText()).isEqualTo("KEY_COMPROMISE");
        JsonNode efficiency = api.json("admin", "/api/v1/statistics/efficiency?from=" + today + "&to=" + today);
        assertThat(efficiency.path("rows").get(0).path("decided").asLong()).isEqualTo(3);
        assertThat(efficiency.path("rows").get(0).path("slaBreaches").asLong()).isZero();
        String csv = new String(api.bytes("admin", query + "&format=csv"), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(csv).startsWith("start,end,businessType,issued,renewed,revoked,expired,valid\r\n")
                .contains(today + "," + today + ",tax,2,0,1,0,1\r\n");

        // The application admin: its own certificate, the other business type's as absent as a serial never issued.
        assertThat(api.get("taxadmin", "/api/v1/certificates/" + tax1).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> other = api.get("taxadmin", "/api/v1/certificates/" + health);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(ApiClient.text(other)).contains("no certificate with serial " + health);
        assertThat(api.json("taxadmin", "/api/v1/certificates").path("certificates").findValuesAsText("serial"))
                .containsExactlyInAnyOrder(tax1, tax2);
        HttpResponse<byte[]> requests = api.get("taxadmin", "/api/v1/requests");
        assertThat(requests.statusCode()).isEqualTo(404);
        assertThat(ApiClient.text(requests)).contains("is not part of the API");
        assertThat(api.get("admin", "/api/v1/certificates/" + health).statusCode()).isEqualTo(200);
    }

    private static Map<String, String> rows(JsonNode table) {
        Map<String, String> rows = new java.util.TreeMap<>();
        for (JsonNode row : table.path("rows")) {
            rows.put(row.path("group").asText(), "issued=" + row.path("issued").asLong() + " revoked="
                    + row.path("revoked").asLong() + " valid=" + row.path("valid").asLong());
        }
        return rows;
    }

}
