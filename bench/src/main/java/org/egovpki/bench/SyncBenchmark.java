package org.egovpki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.sync.receiver.SyncReceiverServer;

/**
 * The web-service sync to one local reference receiver ({@code egov-pki sync-receiver}, started
 * in this JVM through its own classes, port 0, its own data directory), against the real server
 * in this JVM on the embedded directory, over loopback, JSON binding, sync retry defaults.
 * <ul>
 * <li><b>Backlog</b>: the receiver is stopped (a disabled target would get nothing enqueued), N
 * certificates are issued with the auto-approving {@code device-bulk} profile, and once all N
 * {@code cert.issued} messages are enqueued the receiver is started on the same port and the
 * target re-driven (which cuts the back-off of the failed attempts short); the clock runs from
 * the re-drive until the receiver holds all N. Rounds, median.</li>
 * <li><b>Live</b>: the receiver is up while N certificates are issued by 4 clients; delivered per
 * second and the lag from the issuance's 201 (the event is stored before it) to the receiver
 * holding the event (seen by polling {@code GET /received}, so up to the poll interval late).</li>
 * <li><b>Revocation</b>: one revocation at a time; the time until the receiver holds its
 * {@code cert.revoked} event, and until it holds a {@code crl.published} event whose CRL lists
 * the serial ({@code ca.crl.afterRevocationSeconds} is 2 here, 60 by default).</li>
 * </ul>
 */
public final class SyncBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final int AFTER_REVOCATION_SECONDS = 2;
    private static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EgovPkiServer server;
    private final Path dir;
    private final URI base;
    private final String auth;
    private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger hosts = new AtomicInteger();

    private SyncBenchmark(EgovPkiServer server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.base = URI.create("http://127.0.0.1:" + server.httpPort());
        this.auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int revocations = args.length > 2 ? Integer.parseInt(args[2]) : 10;

        Path dir = Files.createTempDirectory("egov-pki-sync-bench");
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n"
                + "ca:\n  crl:\n    afterRevocationSeconds: " + AFTER_REVOCATION_SECONDS + "\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(), 0, 0));
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("config: defaults, ca.crl.afterRevocationSeconds %d, sync.retry defaults; JSON binding%n",
                AFTER_REVOCATION_SECONDS);
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
            SyncBenchmark bench = new SyncBenchmark(server, dir);
            // Warm-up: issuance, signing, directory, and the capture into the outbox with no target yet.
            EmbeddedDirectory.OperationCounts before = server.directoryOperations();
            bench.issue(50, CLIENTS, null);
            Thread.sleep(6000); // the capture sweeps every 5 s: let it finish with these 50
            EmbeddedDirectory.OperationCounts cost = server.directoryOperations().minus(before);
            System.out.printf("directory per issuance with sync on and no target (issuance + capture to the outbox): "
                    + "%.2f writes, %.2f searches/reads%n", cost.writes() / 50.0, cost.searches() / 50.0);
            List<Double> rates = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                rates.add(bench.backlog("bench-backlog-" + round, backlog));
            }
            Collections.sort(rates);
            System.out.printf("backlog of %d: median %.1f events/s delivered (rounds: %s)%n", backlog,
                    rates.get(rates.size() / 2), rates.stream().map(r -> String.format("%.1f", r)).toList());
            bench.liveAndRevocations(backlog, revocations);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would otherwise keep the JVM up
    }

    /** One backlog round; events delivered per second. */
    private double backlog(String target, int count) throws Exception {
        Path data = dir.resolve(target);
        SyncReceiverServer receiver = receiver(0, data);
        int port = receiver.port();
        receiver.close();
        addTarget(target, port);
        EmbeddedDirectory.OperationCounts beforeIssuing = server.directoryOperations();
        long issueStart = System.nanoTime();
        issue(count, CLIENTS, null);
        long waitStart = System.nanoTime();
        while (state(target).path("lastEnqueuedSequence").asLong() < count) {
            Thread.sleep(50);
            if (System.nanoTime() - waitStart > 120_000_000_000L) {
                throw new IllegalStateException(target + ": not all " + count + " events enqueued: " + state(target));
            }
        }
        long enqueued = System.nanoTime();
        EmbeddedDirectory.OperationCounts capture = server.directoryOperations().minus(beforeIssuing);
        System.out.printf("  %s: %d issued in %.2f s, all enqueued %.2f s later; directory per issuance with one "
                        + "target (issuance + capture + fan-out + failed attempts): %.2f writes, %.2f searches/reads%n",
                target, count, (waitStart - issueStart) / 1e9, (enqueued - waitStart) / 1e9,
                capture.writes() / (double) count, capture.searches() / (double) count);
        receiver = receiver(port, data);
        try {
            EmbeddedDirectory.OperationCounts before = server.directoryOperations();
            long start = System.nanoTime();
            call("POST", "/api/v1/sync/targets/" + target + "/redrive", null, 200);
            JsonNode received = awaitReceived(receiver, r -> r.path("events").size() >= count, 50);
            double seconds = (System.nanoTime() - start) / 1e9;
            EmbeddedDirectory.OperationCounts cost = server.directoryOperations().minus(before);
            check(received, count);
            System.out.printf("  %s: %d events in %.2f s = %.1f events/s; directory per message: %.2f writes "
                            + "(%.2f adds, %.2f modifies), %.2f searches/reads%n", target, count, seconds,
                    count / seconds, cost.writes() / (double) count, cost.adds() / (double) count,
                    cost.modifies() / (double) count, cost.searches() / (double) count);
            return count / seconds;
        } finally {
            receiver.close();
            call("DELETE", "/api/v1/sync/targets/" + target, null, 200);
        }
    }

    /** Live delivery while issuing, then the revocation latencies, on the same target and receiver. */
    private void liveAndRevocations(int count, int revocations) throws Exception {
        String target = "bench-live";
        SyncReceiverServer receiver = receiver(0, dir.resolve(target));
        try {
            addTarget(target, receiver.port());
            Map<String, Long> issuedAt = new ConcurrentHashMap<>();
            Map<String, Long> seenAt = new ConcurrentHashMap<>();
            AtomicBoolean polling = new AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    try {
                        long now = System.nanoTime();
                        for (JsonNode event : received(receiver).path("events")) {
                            if (event.hasNonNull("serial")) {
                                seenAt.putIfAbsent(serial(event.path("serial").asText()), now);
                            }
                        }
                        Thread.sleep(25);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            poller.start();
            long start = System.nanoTime();
            List<String> serials = issue(count, CLIENTS, issuedAt);
            double issuing = (System.nanoTime() - start) / 1e9;
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (!seenAt.keySet().containsAll(serials)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("live delivery incomplete: " + seenAt.size() + " of " + count);
                }
                Thread.sleep(25);
            }
            polling.set(false);
            poller.join();
            double total = (System.nanoTime() - start) / 1e9;
            List<Double> lags = new ArrayList<>();
            for (String serial : serials) {
                lags.add((seenAt.get(serial) - issuedAt.get(serial)) / 1e6);
            }
            Collections.sort(lags);
            check(received(receiver), count);
            System.out.printf("live, receiver up, %d clients issuing: %d issued in %.2f s (%.1f/s), all delivered "
                            + "after %.2f s (%.1f events/s); lag issued->held median %.0f ms, p95 %.0f ms, max %.0f ms "
                            + "(polled every 25 ms)%n", CLIENTS, count, issuing, count / issuing, total, count / total,
                    lags.get(lags.size() / 2), lags.get((int) (lags.size() * 0.95)), lags.get(lags.size() - 1));

            List<Double> toEvent = new ArrayList<>();
            List<Double> toCrl = new ArrayList<>();
            for (int i = 0; i < revocations; i++) {
                String serial = serials.get(i);
                long t0 = System.nanoTime();
                call("POST", "/api/v1/certificates/" + serial + "/revoke",
                        Map.of("reason", "KEY_COMPROMISE", "requester", "AUTHORISED_REPRESENTATIVE"), 200);
                JsonNode revoked = event(awaitReceived(receiver, r -> event(r, "cert.revoked", serial) != null, 10),
                        "cert.revoked", serial);
                long t1 = System.nanoTime();
                long after = revoked.path("sequence").asLong();
                awaitReceived(receiver, r -> crlListing(r, target, after, serial), 10);
                long t2 = System.nanoTime();
                toEvent.add((t1 - t0) / 1e6);
                toCrl.add((t2 - t0) / 1e6);
            }
            Collections.sort(toEvent);
            Collections.sort(toCrl);
            System.out.printf("revocation -> receiver holds cert.revoked: median %.0f ms, max %.0f ms (%d revocations, "
                            + "polled every 10 ms)%n", toEvent.get(toEvent.size() / 2), toEvent.get(toEvent.size() - 1),
                    revocations);
            System.out.printf("revocation -> receiver holds a crl.published listing it: median %.0f ms, max %.0f ms "
                    + "(ca.crl.afterRevocationSeconds %d)%n", toCrl.get(toCrl.size() / 2), toCrl.get(toCrl.size() - 1),
                    AFTER_REVOCATION_SECONDS);
            check(received(receiver), count + 2 * revocations);
        } finally {
            receiver.close();
        }
        receiverAlone(target, count);
    }

    /**
     * The reference receiver's own cost per message, without the CA's delivery: the first
     * {@code count} messages of the target, read from the pull endpoint (the very bytes pushed),
     * POSTed in order on one connection to a fresh receiver.
     */
    private void receiverAlone(String target, int count) throws Exception {
        JsonNode pulled = call("GET", "/api/v1/sync/targets/" + target + "/events?after=0&limit=" + count, null, 200)
                .path("events");
        SyncReceiverServer receiver = receiver(0, dir.resolve("receiver-alone"));
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + receiver.port() + "/sync");
            long start = System.nanoTime();
            for (JsonNode message : pulled) {
                long sequence = message.path("sequence").asLong();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint)
                                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                                .header("Egov-Sync-Signature", message.path("signature").asText())
                                .header("Egov-Sync-Target", target)
                                .header("Egov-Sync-Sequence", Long.toString(sequence))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        Base64.getDecoder().decode(message.path("body").asText()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 != 2) {
                    throw new IllegalStateException("receiver refused message " + sequence + ": " + answer.statusCode()
                            + " " + answer.body());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            check(received(receiver), pulled.size());
            System.out.printf("the reference receiver alone (verify, check, fsync), messages POSTed one at a time: "
                    + "%.1f messages/s (%d in %.2f s)%n", pulled.size() / seconds, pulled.size(), seconds);
        } finally {
            receiver.close();
        }
    }

    /**
     * Whether the receiver holds a crl.published after sequence {@code after} whose CRL lists the
     * serial; the CRL is read from the pull endpoint, which serves the very bytes pushed.
     */
    private boolean crlListing(JsonNode received, String target, long after, String serial) {
        for (JsonNode event : received.path("events")) {
            if (event.path("type").asText().equals("crl.published") && event.path("sequence").asLong() > after) {
                try {
                    long sequence = event.path("sequence").asLong();
                    JsonNode pulled = call("GET", "/api/v1/sync/targets/" + target + "/events?after=" + (sequence - 1)
                            + "&limit=1", null, 200).path("events").get(0);
                    JsonNode body = JSON.readTree(Base64.getDecoder().decode(pulled.path("body").asText()));
                    X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(
                            Base64.getDecoder().decode(body.path("data").path("crl").path("der").asText())));
                    if (crl.getRevokedCertificate(new BigInteger(serial, 16)) != null) {
                        return true;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("reading CRL event " + event + ": " + e.getMessage(), e);
                }
            }
        }
        return false;
    }

    private static JsonNode event(JsonNode received, String type, String serial) {
        for (JsonNode event : received.path("events")) {
            if (event.path("type").asText().equals(type) && event.hasNonNull("serial")
                    && serial.equals(serial(event.path("serial").asText()))) {
                return event;
            }
        }
        return null;
    }

    /** A serial in one spelling: lower-case hex without leading zeros. */
    private static String serial(String hex) {
        return new BigInteger(hex, 16).toString(16);
    }

    /** In order from 1, no gap, every signature valid, nothing refused. */
    private static void check(JsonNode received, int atLeast) {
        JsonNode events = received.path("events");
        if (events.size() < atLeast || received.path("gaps").size() > 0 || received.path("badSignatures").asInt() > 0
                || received.path("rejected").asInt() > 0) {
            throw new IllegalStateException("receiver holds " + events.size() + " events (expected " + atLeast
                    + "), gaps " + received.path("gaps") + ", bad signatures " + received.path("badSignatures")
                    + ", rejected " + received.path("rejected"));
        }
        long expected = 1;
        for (JsonNode event : events) {
            if (event.path("sequence").asLong() != expected++ || !event.path("signatureValid").asBoolean()) {
                throw new IllegalStateException("out of order or unsigned: " + event);
            }
        }
    }

    private JsonNode awaitReceived(SyncReceiverServer receiver, Predicate<JsonNode> done, long pollMillis)
            throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (true) {
            JsonNode received = received(receiver);
            if (done.test(received)) {
                return received;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the receiver did not get there in 5 minutes; it holds "
                        + received.path("events").size() + " events");
            }
            Thread.sleep(pollMillis);
        }
    }

    private JsonNode received(SyncReceiverServer receiver) throws Exception {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + receiver.port() + "/received")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET /received: " + answer.statusCode());
        }
        return JSON.readTree(answer.body());
    }

    private SyncReceiverServer receiver(int port, Path data) {
        return SyncReceiverServer.start(new SyncReceiverServer.Options(port, base, 0, data, null), Clock.systemUTC());
    }

    private void addTarget(String id, int port) throws Exception {
        ObjectNode target = JSON.createObjectNode();
        target.put("id", id);
        target.put("url", "http://127.0.0.1:" + port + "/sync");
        target.put("binding", "JSON");
        target.putArray("businessTypes");
        target.put("caIdentifier", "egov-pki-bench");
        target.putObject("authentication").put("type", "none");
        target.put("enabled", true);
        target.put("schedule", "realtime");
        target.put("personalData", false);
        call("POST", "/api/v1/sync/targets", target, 201);
    }

    private JsonNode state(String target) throws Exception {
        return call("GET", "/api/v1/sync/targets/" + target, null, 200).path("state");
    }

    private JsonNode call(String method, String path, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", auth);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            request.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
            if (method.equals("POST")) {
                request.header("Content-Type", "application/json");
            }
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /**
     * Issues {@code count} SM2 device certificates ({@code device-bulk}, approved automatically) on
     * {@code clients} connections; their serials. Each serial's 201 time goes to {@code issuedAt}.
     */
    private List<String> issue(int count, int clients, Map<String, Long> issuedAt) throws Exception {
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyAlgorithm.SM2.generate(random);
            String host = "host-" + hosts.incrementAndGet() + ".sync.bench.example.gov.cn";
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                    key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                    .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
            bodies.add("{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                    + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},"
                    + "\"agreementAccepted\":true}");
        }
        AtomicInteger next = new AtomicInteger();
        List<String> serials = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/requests"))
                                    .header("Authorization", auth).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long now = System.nanoTime();
                    JsonNode issued = response.statusCode() == 201 ? JSON.readTree(response.body()) : null;
                    if (issued == null || issued.path("serials").size() != 1) {
                        throw new IllegalStateException("issuance failed: " + response.statusCode() + " "
                                + response.body());
                    }
                    String serial = serial(issued.path("serials").get(0).asText());
                    serials.add(serial);
                    if (issuedAt != null) {
                        issuedAt.put(serial, now);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        return new ArrayList<>(serials);
    }
}
