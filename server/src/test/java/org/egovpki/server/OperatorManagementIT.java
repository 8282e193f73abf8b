package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real server jar, a security admin — created with the local bootstrap {@code operator add}
 * — walks an operator through operator management: create with a one-time password, the forced
 * change (every other call 403 until then), a reset, a change with {@code egov-pki operator passwd},
 * the password history, disable (no REST login, no LDAP bind) and enable; the separation of duties
 * refused on the REST API and on {@code operator add} with nothing created; the self rules; and the
 * audit trail naming who did what to whom.
 */
class OperatorManagementIT {

    private static final String BASE = ServerProcess.BASE;
    private static final String SECURITY_PASSWORD = "Security2026pw";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static Path config;
    private static Path data;

    @BeforeAll
    static void start() throws Exception {
        config = ServerProcess.config(tmp);
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        server.addOperator(config, "sec1", "SECURITY_ADMIN", write("sec1.pw", SECURITY_PASSWORD));
        server.addOperator(config, "sec2", "SECURITY_ADMIN", write("sec2.pw", SECURITY_PASSWORD));
        server.addOperator(config, "clerk0", "ENTRY_CLERK", write("clerk0.pw", "Filing0pass26"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSecurityAdminCreatesResetsDisablesAndEnablesAnOperator() throws Exception {
        // Create: proposed by one security admin (nothing created), carried out by a second one with the
        // same call; a one-time password, shown once to the second, which must be changed before anything else.
        Map<String, Object> newClerk = Map.of("uid", "clerk1", "name", "Wang Fang", "roles",
                List.of("ENTRY_CLERK", "REVIEWER"));
        HttpResponse<byte[]> proposed = call("POST", "sec1", SECURITY_PASSWORD, "/api/v1/operators", newClerk);
        assertThat(proposed.statusCode()).as(ApiClient.text(proposed)).isEqualTo(202);
        assertThat(ApiClient.JSON.readTree(proposed.body()).path("state").asText()).isEqualTo("PROPOSED");
        assertThat(ApiClient.text(proposed)).doesNotContain("oneTimePassword").contains("second security admin");
        assertThat(call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators/clerk1", null).statusCode())
                .isEqualTo(404);
        HttpResponse<byte[]> again = call("POST", "sec1", SECURITY_PASSWORD, "/api/v1/operators", newClerk);
        assertThat(again.statusCode()).as("the proposer again").isEqualTo(409);
        HttpResponse<byte[]> created = call("POST", "sec2", SECURITY_PASSWORD, "/api/v1/operators", newClerk);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
        JsonNode account = ApiClient.JSON.readTree(created.body());
        String oneTime = account.path("oneTimePassword").asText();
        assertThat(account.path("passwordMustChange").asBoolean()).isTrue();
        assertThat(account.path("roles")).hasSize(2);

        HttpResponse<byte[]> list = call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators", null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(list)).contains("\"clerk1\"", "\"sec1\"").doesNotContain(oneTime)
                .doesNotContain("SSHA").doesNotContain("userPassword").doesNotContain("oneTimePassword");

        HttpResponse<byte[]> blocked = call("GET", "clerk1", oneTime, "/api/v1/requests", null);
        assertThat(blocked.statusCode()).isEqualTo(403);
        assertThat(message(blocked)).startsWith("password change required");
        assertThat(call("POST", "clerk1", oneTime, "/api/v1/operators/me/password",
                Map.of("oldPassword", "Wrong2026x", "newPassword", "Garden2026x")).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> weak = call("POST", "clerk1", oneTime, "/api/v1/operators/me/password",
                Map.of("oldPassword", oneTime, "newPassword", "clerk1abc2026"));
        assertThat(message(weak)).isEqualTo("a password must not contain the login name");
        assertThat(call("POST", "clerk1", oneTime, "/api/v1/operators/me/password",
                Map.of("oldPassword", oneTime, "newPassword", "Garden2026x")).statusCode()).isEqualTo(200);
        assertThat(call("GET", "clerk1", "Garden2026x", "/api/v1/requests", null).statusCode()).isEqualTo(200);

        // Reset (two security admins again, the first with the CLI): the chosen password stops working only
        // then, and the new one-time password must be changed again.
        ServerProcess proposeReset = server.cli("operator", "reset-password", "--url", server.baseUrl(), "--user", "sec1",
                "--password-file", write("sec1-reset.pw", SECURITY_PASSWORD).toString(), "--uid", "clerk1");
        assertThat(proposeReset.exitValue()).as(proposeReset.output()).isZero();
        assertThat(proposeReset.output()).contains("PROPOSED").doesNotContain("oneTimePassword");
        assertThat(call("GET", "clerk1", "Garden2026x", "/api/v1/requests", null).statusCode()).isEqualTo(200);
        HttpResponse<byte[]> reset = call("POST", "sec2", SECURITY_PASSWORD, "/api/v1/operators/clerk1/password-reset",
                Map.of());
        assertThat(reset.statusCode()).as(ApiClient.text(reset)).isEqualTo(200);
        String second = ApiClient.JSON.readTree(reset.body()).path("oneTimePassword").asText();
        assertThat(call("GET", "clerk1", "Garden2026x", "/api/v1/requests", null).statusCode()).isEqualTo(401);
        assertThat(message(call("GET", "clerk1", second, "/api/v1/requests", null)))
                .startsWith("password change required");
        // The password history: the password before the reset may not come back.
        HttpResponse<byte[]> repeated = call("POST", "clerk1", second, "/api/v1/operators/me/password",
                Map.of("oldPassword", second, "newPassword", "Garden2026x"));
        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(message(repeated)).contains("one of the last 5 passwords");
        // The CLI's own password change.
        ServerProcess passwd = server.cli("operator", "passwd", "--url", server.baseUrl(), "--user", "clerk1",
                "--password-file", write("clerk1-otp.pw", second).toString(), "--new-password-file",
                write("clerk1-new.pw", "River2027x").toString());
        assertThat(passwd.exitValue()).as(passwd.output()).isZero();
        assertThat(call("GET", "clerk1", "River2027x", "/api/v1/requests", null).statusCode()).isEqualTo(200);

        // Disable with the CLI: no REST login, no LDAP bind; enable again.
        Path securityFile = write("sec1-cli.pw", SECURITY_PASSWORD);
        ServerProcess disable = server.cli("operator", "disable", "--url", server.baseUrl(), "--user", "sec1",
                "--password-file", securityFile.toString(), "--uid", "clerk1");
        assertThat(disable.exitValue()).as(disable.output()).isZero();
        assertThat(call("GET", "clerk1", "River2027x", "/api/v1/requests", null).statusCode()).isEqualTo(401);
        assertThat(bind("uid=clerk1,ou=operators," + BASE, "River2027x")).isEqualTo(ResultCode.INVALID_CREDENTIALS);
        ServerProcess enable = server.cli("operator", "enable", "--url", server.baseUrl(), "--user", "sec1",
                "--password-file", securityFile.toString(), "--uid", "clerk1");
        assertThat(enable.exitValue()).as(enable.output()).isZero();
        assertThat(call("GET", "clerk1", "River2027x", "/api/v1/requests", null).statusCode()).isEqualTo(200);
        assertThat(bind("uid=clerk1,ou=operators," + BASE, "River2027x")).isEqualTo(ResultCode.SUCCESS);

        String audit = Files.readString(data.resolve("audit").resolve("audit.jsonl"));
        String security = "uid=sec1,ou=operators," + BASE;
        String clerk = "uid=clerk1,ou=operators," + BASE;
        for (String type : List.of("OPERATOR_CREATED", "OPERATOR_PASSWORD_RESET", "OPERATOR_DISABLED",
                "OPERATOR_ENABLED")) {
            assertThat(audit.lines().filter(l -> l.contains(type) && l.contains(security) && l.contains(clerk)))
                    .as(type).isNotEmpty();
        }
        assertThat(audit.lines().filter(l -> l.contains("OPERATOR_PASSWORD_CHANGED") && l.contains(clerk))).hasSize(2);
        String security2 = "uid=sec2,ou=operators," + BASE;
        for (String type : List.of("OPERATOR_CREATED", "OPERATOR_PASSWORD_RESET")) {
            assertThat(audit.lines().filter(l -> l.contains(type) && l.contains(security2))).as(type + " by the second")
                    .isNotEmpty();
        }
        assertThat(audit.lines().filter(l -> l.contains("OPERATOR_CHANGE_PROPOSED") && l.contains(security)))
                .as("the two proposals and the refused repeat").hasSize(3);
        assertThat(audit).doesNotContain(oneTime).doesNotContain(second).doesNotContain("River2027x")
                .doesNotContain("Garden2026x");
    }

    @Test
    void forbiddenRoleCombinationsAreRefusedOnRestAndOnOperatorAddAndNothingIsCreated() throws Exception {
        HttpResponse<byte[]> rest = call("POST", "sec1", SECURITY_PASSWORD, "/api/v1/operators",
                Map.of("uid", "audit1", "name", "Auditor", "roles", List.of("AUDITOR", "RA_ADMIN")));
        assertThat(rest.statusCode()).isEqualTo(400);
        assertThat(message(rest)).contains("AUDITOR and RA_ADMIN").contains("CPS 001 §6.6.1.2");
        assertThat(call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators/audit1", null).statusCode())
                .isEqualTo(404);

        ServerProcess add = server.cli("operator", "add", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0", "--uid", "keys1", "--name", "Custodian", "--role", "KEY_CUSTODIAN", "--role",
                "CA_ADMIN");
        assertThat(add.exitValue()).as(add.output()).isEqualTo(3);
        assertThat(add.output()).contains("KEY_CUSTODIAN and CA_ADMIN").contains("CPS 001 §6.6.2.2");
        assertThat(call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators/keys1", null).statusCode())
                .isEqualTo(404);

        HttpResponse<byte[]> patch = call("PATCH", "sec1", SECURITY_PASSWORD, "/api/v1/operators/clerk0",
                Map.of("roles", List.of("CA_ADMIN", "AUDITOR")));
        assertThat(patch.statusCode()).isEqualTo(400);
        assertThat(message(patch)).contains("CA_ADMIN and AUDITOR");
        assertThat(ApiClient.JSON.readTree(call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators/clerk0", null)
                .body()).path("roles").toString()).isEqualTo("[\"ENTRY_CLERK\"]");
    }

    @Test
    void nobodyElseManagesOperatorsAndASecurityAdminCannotLockItselfOut() throws Exception {
        HttpResponse<byte[]> clerk = call("GET", "clerk0", "Filing0pass26", "/api/v1/operators", null);
        assertThat(clerk.statusCode()).isEqualTo(403);
        assertThat(message(clerk)).startsWith("only a security admin");

        HttpResponse<byte[]> self = call("PATCH", "sec1", SECURITY_PASSWORD, "/api/v1/operators/sec1",
                Map.of("enabled", false));
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(message(self)).contains("may not disable itself");
        HttpResponse<byte[]> escalate = call("PATCH", "sec1", SECURITY_PASSWORD, "/api/v1/operators/sec1",
                Map.of("roles", List.of("SECURITY_ADMIN", "CA_ADMIN")));
        assertThat(escalate.statusCode()).isEqualTo(403);
        assertThat(message(escalate)).contains("may not change its own roles");
        assertThat(call("GET", "sec1", SECURITY_PASSWORD, "/api/v1/operators", null).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<byte[]> call(String method, String uid, String password, String path, Object json)
            throws Exception {
        return new ApiClient(server.httpPort, password).exchange(method, uid, path, json);
    }

    private static String message(HttpResponse<byte[]> response) throws Exception {
        return ApiClient.JSON.readTree(response.body()).path("message").asText();
    }

    private static Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content);
    }

    private static ResultCode bind(String dn, String password) {
        try (LDAPConnection connection = new LDAPConnection("127.0.0.1", server.ldapPort)) {
            return connection.bind(dn, password).getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }
}
