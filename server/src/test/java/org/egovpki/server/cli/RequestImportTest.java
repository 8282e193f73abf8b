package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code request import} against a stand-in for the batch endpoint (port 0): batches, the results
 * file, a server error midway, and a resume that sends only the lines not sent.
 */
class RequestImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    /** Every application the stand-in received, by its csr field, in order. */
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    /** Batches answered so far; the one with this number (1-based) fails with a 500 after storing. */
    private final AtomicInteger batches = new AtomicInteger();
    private volatile int failingBatch = -1;
    private Path passwordFile;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/requests/batch", this::batch);
        server.start();
        passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "Operator2026pw\n");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Creates r-<csr> for each item, refuses csr "bad" per item, answers 400 for csr "malformed". */
    private void batch(HttpExchange exchange) throws IOException {
        JsonNode items = JSON.readTree(exchange.getRequestBody()).path("requests");
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path("csr").asText().equals("malformed")) {
                answer(exchange, 400, JSON.createObjectNode().put("code", "BAD_REQUEST")
                        .put("message", "application " + i + " of the batch: csr must be PEM or base64-encoded DER")
                        .put("field", "requests[" + i + "].csr"));
                return;
            }
        }
        int number = batches.incrementAndGet();
        ArrayNode results = JSON.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            String csr = items.get(i).path("csr").asText();
            received.add(csr);
            ObjectNode result = results.addObject().put("index", i);
            if (csr.equals("bad")) {
                result.putObject("error").put("code", "BAD_REQUEST").put("message", "CN is not a registered host name")
                        .put("field", "subject.CN");
            } else {
                result.putObject("request").put("id", "r-" + csr).put("state", "SUBMITTED");
            }
        }
        if (number == failingBatch) {
            answer(exchange, 500, JSON.createObjectNode().put("code", "INTERNAL").put("message", "incident 42"));
        } else {
            answer(exchange, 200, JSON.createObjectNode().set("results", results));
        }
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Path file(String... csrs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String csr : csrs) {
            text.append("{\"profile\":\"device\",\"csr\":\"").append(csr).append("\"}\n");
        }
        Path file = dir.resolve("devices.jsonl");
        Files.writeString(file, text);
        return file;
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("request", "import", "--no-progress", "--url",
                "http://127.0.0.1:" + server.getAddress().getPort(), "--user", "clerk1", "--password-file",
                passwordFile.toString()));
        all.addAll(List.of(args));
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    }

    private static List<JsonNode> entries(Path results) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
            entries.add(JSON.readTree(line));
        }
        return entries;
    }

    @Test
    void everyLineEndsUpInTheResultsFileAndARefusedLineMakesTheExitCodeNonZero() throws Exception {
        Path file = file("a", "bad", "c");

        int exit = run(file.toString(), "--batch-size", "2");

        assertThat(exit).as(err.toString()).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(received).containsExactly("a", "bad", "c");
        List<JsonNode> entries = entries(dir.resolve("devices.jsonl.results.jsonl"));
        assertThat(entries).extracting(e -> e.path("line").asInt() + " " + e.path("status").asText())
                .containsExactly("1 CREATED", "2 REFUSED", "3 CREATED");
        assertThat(entries.get(0).path("request").asText()).isEqualTo("r-a");
        assertThat(entries.get(1).path("field").asText()).isEqualTo("subject.CN");
        assertThat(err.toString()).contains("line 2 refused: BAD_REQUEST (field subject.CN)");
        assertThat(out.toString()).contains("3 line(s): 2 created, 1 refused, 0 not sent");
    }

    @Test
    void aServerErrorMidwayIsRecordedAndAResumeSendsOnlyWhatWasNotSent() throws Exception {
        Path file = file("a", "b", "c", "d", "e");
        failingBatch = 2;

        int exit = run(file.toString(), "--batch-size", "2");

        assertThat(exit).as(err.toString()).isEqualTo(ApiClient.EXIT_SERVER_ERROR);
        Path results = dir.resolve("devices.jsonl.results.jsonl");
        assertThat(entries(results)).extracting(e -> e.path("line").asInt() + " " + e.path("status").asText())
                .containsExactly("1 CREATED", "2 CREATED", "3 SENT", "4 SENT", "5 UNSENT");
        assertThat(err.toString()).contains("[3, 4] were sent and no answer came").contains("--resume");

        failingBatch = -1;
        received.clear();
        int resumed = run(file.toString(), "--batch-size", "2", "--resume", results.toString());

        assertThat(received).as("only the line never sent goes; the lines without an answer never go twice")
                .containsExactly("e");
        assertThat(entries(results)).extracting(e -> e.path("line").asInt() + " " + e.path("status").asText())
                .containsExactly("1 CREATED", "2 CREATED", "3 SENT", "4 SENT", "5 CREATED");
        assertThat(resumed).as("lines 3 and 4 are still not known to be stored").isEqualTo(ApiClient.EXIT_SERVER_ERROR);
    }

    @Test
    void aBatchRefusedWholeForOneItemRefusesThatLineAndSendsTheOthersAgain() throws Exception {
        Path file = file("a", "malformed", "c");

        int exit = run(file.toString());

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(received).containsExactly("a", "c");
        List<JsonNode> entries = entries(dir.resolve("devices.jsonl.results.jsonl"));
        assertThat(entries.get(1).path("status").asText()).isEqualTo("REFUSED");
        assertThat(entries.get(1).path("field").asText()).isEqualTo("csr");
        assertThat(entries.get(1).path("message").asText()).isEqualTo("csr must be PEM or base64-encoded DER");
        assertThat(entries.get(2).path("request").asText()).isEqualTo("r-c");
    }

    @Test
    void aMalformedFileSendsNothingAndWritesNoResults() throws Exception {
        Path file = dir.resolve("devices.jsonl");
        Files.writeString(file, "{\"profile\":\"device\",\"csr\":\"a\"}\n{\"profile\":\"device\",\"csr\":7}\n");

        int exit = run(file.toString());

        assertThat(exit).isEqualTo(ApiClient.EXIT_REFUSED);
        assertThat(received).isEmpty();
        assertThat(err.toString()).contains("line 2, field csr: csr must be a string").contains("nothing was sent");
        assertThat(dir.resolve("devices.jsonl.results.jsonl")).doesNotExist();
    }

    @Test
    void anExistingResultsFileIsNeverOverwrittenAndAChangedSentLineStopsAResume() throws Exception {
        Path file = file("a", "b");
        assertThat(run(file.toString())).isZero();
        received.clear();

        assertThat(run(file.toString())).as("a second plain run would submit everything twice")
                .isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("exists").contains("--resume");

        file("a", "x");
        assertThat(run(file.toString(), "--resume", dir.resolve("devices.jsonl.results.jsonl").toString()))
                .isEqualTo(Main.EXIT_STARTUP);
        assertThat(err.toString()).contains("line 2 is not what was sent from it before");
        assertThat(received).isEmpty();
    }
}
