package org.egovpki.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.sync.SubscriberInfo;
import org.egovpki.core.sync.SyncBinding;
import org.egovpki.core.sync.OutboxEvent;
import org.egovpki.core.sync.SyncEventFixtures;
import org.egovpki.core.sync.SyncEventType;
import org.egovpki.core.sync.SyncTarget;
import org.egovpki.core.sync.SyncTestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code egov-pki sync-receiver} on port 0 against a CA's public endpoints, end to end over HTTP. */
class SyncReceiverCommandTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private SyncTestPki pki;
    private HttpServer ca;

    /** The CA's public endpoints the receiver reads: GET /ca, /ca/{name}.crt, /crl/{name}.crl. */
    @BeforeEach
    void fakeCa() throws Exception {
        pki = SyncTestPki.create("sub-ca", KeyAlgorithm.SM2, Clock.systemUTC());
        byte[] crl = pki.crl(BigInteger.ONE, List.of()).der();
        ca = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ca.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            try {
                switch (path) {
                    case "/ca" -> answer(exchange, ("[{\"name\":\"root\"},{\"name\":\"sub-ca\"}]").getBytes(StandardCharsets.UTF_8));
                    case "/ca/root.crt" -> answer(exchange, pki.root().getEncoded());
                    case "/ca/sub-ca.crt" -> answer(exchange, pki.issuing().getEncoded());
                    case "/crl/sub-ca.crl" -> answer(exchange, crl);
                    default -> {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                    }
                }
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        });
        ca.start();
    }

    @AfterEach
    void stopCa() {
        ca.stop(0);
    }

    private static void answer(HttpExchange exchange, byte[] body) throws java.io.IOException {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void itListensOnAFreePortPrintsItAndAcceptsASignedEvent() throws Exception {
        SyncReceiverCommand command = new SyncReceiverCommand();
        StringWriter out = new StringWriter();
        CommandLine commandLine = new CommandLine(command).setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute("--port", "0",
                "--ca-url", "http://127.0.0.1:" + ca.getAddress().getPort(), "--data", data.toString()));
        Pattern listening = Pattern.compile("listening on (\\d+)");
        await().atMost(Duration.ofSeconds(30)).until(() -> listening.matcher(out.toString()).find() || exit.isDone());
        Matcher m = listening.matcher(out.toString());
        assertThat(m.find()).as("output: %s, exit: %s", out, exit.isDone() ? exit.join() : "running").isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(port).isPositive();

        CertificateRecord record = pki.record("张三", "tax");
        OutboxEvent event = SyncEventFixtures.certificate(SyncEventType.CERT_ISSUED, 1, Instant.now(), record);
        SyncTarget target = new SyncTarget("henan-tax", URI.create("http://127.0.0.1:" + port + "/sync"), SyncBinding.JSON,
                Set.of(), "EGOV-CA-01", SyncTarget.Authentication.NONE, true, SyncTarget.REALTIME, false);
        byte[] body = SyncEventFixtures.bodies(new SubscriberInfo("p-1", CertificateType.PERSONAL, "张三", null, null,
                null, "410000")).build(event, target, 1, Instant.now());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.url())
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("Egov-Sync-Signature", Base64.getEncoder().encodeToString(pki.sign(body)))
                .header("Egov-Sync-Target", "henan-tax")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode received = new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/received")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(received.get("events").get(0).get("serial").asText()).isEqualTo(record.serialHex());

        command.stop();
        assertThat(exit.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    @Test
    void anUnreachableCaIsAClearError() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "sync-receiver", "--port", "0",
                "--ca-url", "http://127.0.0.1:1", "--data", data.toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("cannot read the CA certificates from http://127.0.0.1:1/");
    }

    @Test
    void aFailRateOfOneIsRefused() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "sync-receiver", "--port", "0",
                "--ca-url", "http://127.0.0.1:" + ca.getAddress().getPort(), "--fail-rate", "1", "--data", data.toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--fail-rate 1.0 is not allowed");
    }
}
