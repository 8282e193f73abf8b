package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real server jar: failed logins over the REST API and failed LDAP binds share the
 * directory's one lockout (configured here to 3 failures and a 3-second lock, so the test can
 * wait for the unlock); a locked operator with the right password gets 401 saying until when,
 * anyone with a wrong password gets the usual answer; the lock is audited; the CA's service
 * account cannot be locked by guessing.
 */
class OperatorLockoutIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String PASSWORD = "Operator2026pw";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient right;
    private static ApiClient wrong;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp, yaml -> yaml.replace("    maxFailures: 5\n    durationSeconds: 900\n",
                "    maxFailures: 3\n    durationSeconds: 3\n"));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "clerk2", "ENTRY_CLERK", passwordFile);
        right = server.api(PASSWORD);
        wrong = server.api("Wrong2026pw");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void wrongRestLoginsLockTheOperatorOverRestAndLdapUntilTheLockRunsOut() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertUnauthorized(wrong.get("clerk1", "/api/v1/requests"), "wrong operator login or password");
        }

        HttpResponse<byte[]> locked = right.get("clerk1", "/api/v1/requests");
        assertUnauthorized(locked, "is locked after too many failed logins");
        assertThat(message(locked)).contains("clerk1", "unlocks at");
        assertThat(bind("uid=clerk1,ou=operators," + BASE, PASSWORD)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        // A wrong password on the locked account reads exactly like one for a login that does not exist.
        assertThat(message(wrong.get("clerk1", "/api/v1/requests")))
                .isEqualTo(message(wrong.get("nobody1", "/api/v1/requests")));
        // The lockout is audited off the bind's thread (BindGuard): wait for the line.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(data.resolve("audit").resolve("audit.jsonl")))
                        .contains("ACCOUNT_LOCKED_OUT").contains("uid=clerk1,ou=operators," + BASE));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> right.get("clerk1", "/api/v1/requests").statusCode() == 200);
    }

    @Test
    void wrongLdapBindsLockTheOperatorOutOfTheRestApi() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(bind("uid=clerk2,ou=operators," + BASE, "guess-" + i)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }
        assertUnauthorized(right.get("clerk2", "/api/v1/requests"), "is locked after too many failed logins");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> bind("uid=clerk2,ou=operators," + BASE, PASSWORD) == ResultCode.SUCCESS);
        assertThat(right.get("clerk2", "/api/v1/requests").statusCode()).isEqualTo(200);
    }

    @Test
    void theCaServiceAccountIsNotLockedByGuesses() throws Exception {
        String ca = "uid=egov-pki-ca,ou=services," + BASE;
        for (int i = 0; i < 10; i++) {
            assertThat(bind(ca, "guess-" + i)).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        }
        String secret = server.secret("ca-service.password");
        assertThat(bind(ca, secret)).isEqualTo(ResultCode.SUCCESS);
    }

    private static void assertUnauthorized(HttpResponse<byte[]> response, String message) throws Exception {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(401);
        assertThat(message(response)).contains(message);
    }

    private static String message(HttpResponse<byte[]> response) throws Exception {
        JsonNode body = ApiClient.JSON.readTree(response.body());
        return body.path("message").asText();
    }

    private static ResultCode bind(String dn, String password) {
        try (LDAPConnection connection = server.anonymous()) {
            return connection.bind(dn, password).getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }
}
