package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync targets' administration on the real server jar: REST ({@code /api/v1/sync/targets}) and
 * the CLI ({@code egov-pki sync target ...}) over the directory's sync store, with the secrets in
 * {@code <data>/secrets/sync/}. Targets here are disabled, so nothing is enqueued for them and the
 * cursor answers do not depend on when the server publishes CRLs.
 */
class SyncTargetsIT {

    private static final String PASSWORD = "Root2026pass";
    private static final String TARGET_PASSWORD = "Target-pw-2026";
    private static final String TARGETS = "/api/v1/sync/targets";

    @TempDir
    static Path tmp;

    private static Path data;
    private static Path passwordFile;
    private static ServerProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        api = server.api(PASSWORD);
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "auditor1", "AUDITOR", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aCaAdminCreatesReadsUpdatesMovesAndDeletesATargetWhoseSecretIsNeverAnswered() throws Exception {
        HttpResponse<byte[]> created = api.exchange("POST", "admin", TARGETS, target("henan-tax"));
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains(TARGETS + "/henan-tax");
        assertThat(ApiClient.text(created)).doesNotContain(TARGET_PASSWORD);

        JsonNode read = api.json("auditor1", TARGETS + "/henan-tax");
        assertThat(read.path("authentication").toString())
                .isEqualTo("{\"type\":\"basic\",\"username\":\"ca\",\"passwordSet\":true}");
        assertThat(read.path("enabled").asBoolean()).isFalse();
        assertThat(read.path("state").path("pending").asLong()).isZero();
        Path secret = data.resolve("secrets").resolve("sync").resolve("henan-tax.secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(api.json("admin", TARGETS).path("targets").findValuesAsText("id")).contains("henan-tax");

        ObjectNode changed = target("henan-tax").put("binding", "SOAP").put("schedule", "0 0 2 * * ?");
        ((ObjectNode) changed.get("authentication")).remove("password");
        HttpResponse<byte[]> replaced = api.exchange("PUT", "admin", TARGETS + "/henan-tax", changed);
        assertThat(replaced.statusCode()).as(ApiClient.text(replaced)).isEqualTo(200);
        JsonNode after = ApiClient.JSON.readTree(replaced.body());
        assertThat(after.path("binding").asText()).isEqualTo("SOAP");
        assertThat(after.path("schedule").asText()).isEqualTo("0 0 2 * * ?");
        assertThat(after.path("authentication").path("passwordSet").asBoolean()).isTrue();

        assertThat(api.exchange("POST", "admin", TARGETS + "/henan-tax/redrive", null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> replay = api.exchange("POST", "admin", TARGETS + "/henan-tax/replay",
                ApiClient.JSON.createObjectNode().put("from", 1));
        assertThat(replay.statusCode()).as(ApiClient.text(replay)).isEqualTo(200);
        assertThat(ApiClient.JSON.readTree(replay.body()).path("state").path("lastDeliveredSequence").asLong()).isZero();
        assertRefused(api.exchange("POST", "admin", TARGETS + "/henan-tax/replay",
                ApiClient.JSON.createObjectNode().put("from", 5)), 400, "from");
        assertRefused(api.exchange("POST", "admin", TARGETS + "/henan-tax/skip", null), 409, null);

        HttpResponse<byte[]> deleted = api.exchange("DELETE", "admin", TARGETS + "/henan-tax", null);
        assertThat(deleted.statusCode()).as(ApiClient.text(deleted)).isEqualTo(200);
        assertThat(api.get("admin", TARGETS + "/henan-tax").statusCode()).isEqualTo(404);
        assertThat(secret).doesNotExist();
        assertThat(auditTrail()).contains("SYNC_TARGET_ADDED", "SYNC_TARGET_CHANGED", "SYNC_TARGET_REDRIVEN",
                "SYNC_TARGET_REPLAYED", "SYNC_TARGET_DELETED").doesNotContain(TARGET_PASSWORD);
    }

    @Test
    void aCaAdminCommandsATargetFromAnLdapBrowserAndAClerkIsRefused() throws Exception {
        HttpResponse<byte[]> created = api.exchange("POST", "admin", TARGETS, target("shaanxi-hr"));
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        String targetDn = "cn=shaanxi-hr,ou=sync,o=egov-pki,c=CN";

        try (LDAPConnection admin = server.bind("uid=admin,ou=operators,o=egov-pki,c=CN", PASSWORD);
             LDAPConnection clerk = server.bind("uid=clerk1,ou=operators,o=egov-pki,c=CN", PASSWORD)) {
            assertThat(admin.getEntry(targetDn, "labeledURI").getAttributeValue("labeledURI"))
                    .isEqualTo("https://tax.henan.example/sync");
            admin.add(new Entry("egovSyncCommandId=move-1," + targetDn, List.of(
                    new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                    new Attribute("egovSyncCommandId", "move-1"), new Attribute("egovSyncAction", "UPDATE"),
                    new Attribute("labeledURI", "https://hr.shaanxi.example/in"),
                    new Attribute("egovSyncSchedule", "0 30 1 * * ?"))));

            await().atMost(Duration.ofSeconds(30)).until(() -> api.json("admin", TARGETS + "/shaanxi-hr")
                    .path("url").asText().equals("https://hr.shaanxi.example/in"));
            JsonNode after = api.json("admin", TARGETS + "/shaanxi-hr");
            assertThat(after.path("schedule").asText()).isEqualTo("0 30 1 * * ?");
            assertThat(after.path("authentication").path("passwordSet").asBoolean()).isTrue();
            assertThat(after.path("enabled").asBoolean()).isFalse();
            assertThat(note(admin, targetDn)).contains("UPDATE by uid=admin").contains("accepted");

            clerk.add(new Entry("egovSyncCommandId=clerk-1," + targetDn, List.of(
                    new Attribute("objectClass", "top", "egovSyncTargetCommand"),
                    new Attribute("egovSyncCommandId", "clerk-1"), new Attribute("egovSyncAction", "UPDATE"),
                    new Attribute("egovSyncEnabled", "TRUE"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> note(clerk, targetDn).contains("clerk1"));
            assertThat(note(clerk, targetDn)).contains("was refused").contains("CA_ADMIN");
            assertThat(api.json("admin", TARGETS + "/shaanxi-hr").path("enabled").asBoolean()).isFalse();
            assertThat(admin.getEntry("egovSyncCommandId=clerk-1," + targetDn)).isNull();
        }
        String trail = auditTrail();
        assertThat(trail).contains("\"channel\":\"ldap\"");
        assertThat(api.exchange("DELETE", "admin", TARGETS + "/shaanxi-hr", null).statusCode()).isEqualTo(200);
    }

    private static String note(LDAPConnection connection, String targetDn) throws Exception {
        String note = connection.getEntry(targetDn, "egovSyncCommandNote").getAttributeValue("egovSyncCommandNote");
        return note == null ? "" : note;
    }

    @Test
    void othersAreForbiddenAndBadSettingsAreRefusedNamingTheField() throws Exception {
        assertRefused(api.exchange("POST", "clerk1", TARGETS, target("refused")), 403, null);
        assertRefused(api.exchange("POST", "auditor1", TARGETS, target("refused")), 403, null);
        assertRefused(api.exchange("GET", "clerk1", TARGETS, null), 403, null);

        assertRefused(api.exchange("POST", "admin", TARGETS, target("refused").put("url", "ftp://x.example/")), 400,
                "url");
        assertRefused(api.exchange("POST", "admin", TARGETS, target("Refused")), 400, "id");
        assertRefused(api.exchange("POST", "admin", TARGETS, target("refused").put("schedule", "at night")), 400,
                "schedule");
        ObjectNode noPassword = target("refused");
        ((ObjectNode) noPassword.get("authentication")).remove("password");
        assertRefused(api.exchange("POST", "admin", TARGETS, noPassword), 400, "authentication.password");
        assertThat(api.get("admin", TARGETS + "/refused").statusCode()).isEqualTo(404);
    }

    @Test
    void theCliRoundTrip() throws Exception {
        Path targetPassword = tmp.resolve("target-password");
        Files.writeString(targetPassword, TARGET_PASSWORD + "\n");

        ServerProcess add = cli("add", "--id", "cli-target", "--target-url", "https://gov.example/sync",
                "--ca-identifier", "HN-CA", "--business-type", "tax", "--auth", "basic", "--auth-user", "ca",
                "--auth-password-file", targetPassword.toString(), "--enabled", "false");
        assertThat(add.exitValue()).as(add.output()).isZero();
        assertThat(add.output()).contains("\"passwordSet\" : true").doesNotContain(TARGET_PASSWORD);

        ServerProcess update = cli("update", "--id", "cli-target", "--binding", "SOAP");
        assertThat(update.exitValue()).as(update.output()).isZero();
        ServerProcess show = cli("show", "--id", "cli-target");
        assertThat(show.output()).contains("\"binding\" : \"SOAP\"").contains("\"tax\"");
        assertThat(cli("list").output()).contains("cli-target");
        assertThat(cli("redrive", "--id", "cli-target").exitValue()).isZero();
        assertThat(cli("replay", "--id", "cli-target", "--from", "1").exitValue()).isZero();
        assertThat(cli("skip", "--id", "cli-target").exitValue()).isEqualTo(3);

        assertThat(cli("delete", "--id", "cli-target").exitValue()).isZero();
        assertThat(api.get("admin", TARGETS + "/cli-target").statusCode()).isEqualTo(404);
    }

    private static ServerProcess cli(String... args) throws InterruptedException {
        String[] all = new String[args.length + 9];
        all[0] = "sync";
        all[1] = "target";
        System.arraycopy(args, 0, all, 2, args.length);
        System.arraycopy(new String[] {"--url", server.baseUrl(), "--user", "admin", "--password-file",
                passwordFile.toString()}, 0, all, args.length + 2, 6);
        all[all.length - 1] = "--timeout=60";
        return server.cli(all);
    }

    /** A disabled target with HTTP Basic: nothing is enqueued for it. */
    private static ObjectNode target(String id) {
        ObjectNode target = ApiClient.JSON.createObjectNode().put("id", id).put("url", "https://tax.henan.example/sync")
                .put("caIdentifier", "HN-CA").put("enabled", false);
        target.putArray("businessTypes").add("tax");
        target.putObject("authentication").put("type", "basic").put("username", "ca").put("password", TARGET_PASSWORD);
        return target;
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String field) throws Exception {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(status);
        JsonNode error = ApiClient.JSON.readTree(response.body());
        if (field != null) {
            assertThat(error.path("field").asText()).isEqualTo(field);
        }
        assertThat(error.path("message").asText()).isNotBlank();
    }

    private static String auditTrail() throws Exception {
        return Files.readString(data.resolve("audit").resolve("audit.jsonl"));
    }
}
