package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle commands against a stand-in for the server: what they send (path, operator
 * credentials, JSON body), what they print, and the exit code for each kind of answer.
 */
class CertificateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEM = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int status = 201;
    private volatile String answer = "{\"id\":\"r-01\",\"state\":\"ISSUED\",\"serials\":[\"abc\"]}";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path passwordFile;

    record Seen(String method, String path, String query, String authorization, String contentType, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestBody().readAllBytes()));
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "Operator2026pw\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void renewPostsTheCsrAsTheOperatorAndPrintsTheNewRequest() throws Exception {
        Path csr = Files.writeString(dir.resolve("renew.pem"), PEM);

        int exit = run("certificate", "renew", "--serial", "7F3A", "--issuer", "sm2-issuing", "--csr", csr.toString());

        assertThat(exit).as(err.toString()).isZero();
        Seen request = seen.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/certificates/7F3A/renew");
        assertThat(request.query()).isEqualTo("issuer=sm2-issuing");
        assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "clerk1:Operator2026pw".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(request.json().path("csr").asText()).isEqualTo(PEM);
        assertThat(JSON.readTree(out.toString()).path("serials").get(0).asText()).isEqualTo("abc");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void rekeySendsDerFilesAsBase64() throws Exception {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x01};
        Path csr = Files.write(dir.resolve("new.der"), der);
        Path proof = Files.write(dir.resolve("proof.der"), new byte[] {0x30, 0x00});

        assertThat(run("certificate", "rekey", "--serial", "7f3a", "--csr", csr.toString(), "--proof",
                proof.toString())).isZero();

        JsonNode body = seen.get(0).json();
        assertThat(seen.get(0).path()).isEqualTo("/api/v1/certificates/7f3a/rekey");
        assertThat(seen.get(0).query()).isNull();
        assertThat(Base64.getDecoder().decode(body.path("csr").asText())).isEqualTo(der);
        assertThat(body.path("proof").asText()).isEqualTo("MAA=");
    }

    @Test
    void modifySendsTheApplicationFileWithTheCsrFromItsOwnFile() throws Exception {
        Path application = Files.writeString(dir.resolve("modification.json"),
                "{\"registration\":{\"realName\":\"Zhang Sanfeng\"},\"agreementAccepted\":true}");
        Path csr = Files.writeString(dir.resolve("modify.pem"), PEM);

        assertThat(run("certificate", "modify", "--serial", "7f3a", "--application", application.toString(), "--csr",
                csr.toString())).isZero();

        JsonNode body = seen.get(0).json();
        assertThat(body.path("registration").path("realName").asText()).isEqualTo("Zhang Sanfeng");
        assertThat(body.path("csr").asText()).isEqualTo(PEM);
    }

    @Test
    void aRefusalExits3AndSaysWhyOnStandardError() throws Exception {
        status = 409;
        answer = "{\"code\":\"CONFLICT\",\"message\":\"certificate 7f3a was revoked; a new application is needed\","
                + "\"field\":\"serial\"}";
        Path csr = Files.writeString(dir.resolve("replace.pem"), PEM);

        int exit = run("certificate", "replace", "--serial", "7f3a", "--csr", csr.toString(), "--reason", "lost");

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(err.toString()).contains("HTTP 409 CONFLICT: certificate 7f3a was revoked; a new application is "
                + "needed (field serial)");
        assertThat(JSON.readTree(out.toString()).path("code").asText()).isEqualTo("CONFLICT");
        assertThat(seen.get(0).json().path("reason").asText()).isEqualTo("lost");
    }

    @Test
    void aServerErrorExits4AndNoAnswerExits5() throws Exception {
        Path csr = Files.writeString(dir.resolve("renew.pem"), PEM);
        status = 500;
        answer = "{\"code\":\"INTERNAL\",\"message\":\"internal error\",\"field\":null}";
        assertThat(run("certificate", "renew", "--serial", "7f3a", "--csr", csr.toString()))
                .isEqualTo(ApiClient.EXIT_SERVER_ERROR);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "certificate", "renew",
                "--serial", "7f3a", "--csr", csr.toString(), "--user", "clerk1", "--password-file",
                passwordFile.toString(), "--url", "http://127.0.0.1:" + closedPort);
        assertThat(exit).isEqualTo(ApiClient.EXIT_UNREACHABLE);
        assertThat(err.toString()).contains("cannot connect to http://127.0.0.1:" + closedPort);
    }

    @Test
    void aMissingPasswordFileIsNamedAndNothingIsSent() throws Exception {
        Path csr = Files.writeString(dir.resolve("renew.pem"), PEM);
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "certificate", "renew",
                "--serial", "7f3a", "--csr", csr.toString(), "--user", "clerk1", "--password-file",
                dir.resolve("nope").toString(), "--url", "http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(exit).isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("password file").contains("does not exist");
        assertThat(seen).isEmpty();
    }

    @Test
    void aSessionTokenFromLoginIsSentAsBearerInsteadOfThePassword() throws Exception {
        answer = "{\"serial\":\"7f3a\",\"status\":\"REVOKED\"}";
        status = 200;
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");

        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "certificate", "revoke",
                "--serial", "7f3a", "--reason", "E", "--requester", "CA_RA", "--token-file", token.toString(),
                "--url", "http://127.0.0.1:" + server.getAddress().getPort());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(seen.get(0).authorization()).isEqualTo("Bearer tok-123");
    }

    @Test
    void withoutPasswordOrTokenNothingIsSentAndTheMessageSaysWhatToGive() {
        ApiClient.Options options = new ApiClient.Options();
        options.url = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        assertThatThrownBy(() -> options.client(null)).hasMessageContaining("no operator login")
                .hasMessageContaining("--token-file").hasMessageContaining("EGOVPKI_TOKEN");
        options.passwordFile = passwordFile;
        options.tokenFile = passwordFile;
        assertThatThrownBy(() -> options.client(null)).hasMessageContaining("not both");
        assertThat(seen).isEmpty();
    }

    private int run(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--user", "clerk1", "--password-file", passwordFile.toString(), "--url",
                "http://127.0.0.1:" + server.getAddress().getPort()}, 0, all, args.length, 6);
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
    }
}
