package org.egovpki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;

/**
 * {@code kill -9} of the real server jar during issuance and revocation, round after round, on one
 * data directory: clients issue over REST with the auto-approving {@code device-bulk} profile and
 * revoke certificates they were given, the server is killed after a random delay and started
 * again, and after every restart the harness checks that
 *
 * <ul>
 *   <li>the restart came up ready (start-up recovery finished) and {@code /health} is UP, with no
 *       JDBM error ({@code ERR_5xx}) and no failed recovery in its log — otherwise the restart
 *       counts as corrupt and the run stops;</li>
 *   <li>every issuance acknowledged with a 201 has its certificate record ({@code PUBLISHED}), its
 *       request {@code ISSUED} and its certificate on the subscriber entry (unless revoked since);</li>
 *   <li>every revocation acknowledged with a 200 is {@code REVOKED} in the record;</li>
 *   <li>no serial is recorded twice and no subject DN is held by two valid certificates.</li>
 * </ul>
 *
 * <p>Usage: {@code CrashBenchmark <server jar> [kills=50] [syncOnWrite on|off]}; see {@code bench/crash}.
 * Prints one line per kill and a summary; exits 1 if anything acknowledged was lost or a restart was
 * corrupt.
 */
public final class CrashBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final String BASE = "o=egov-pki,c=CN";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(300);
    private static final int ISSUERS = 4;
    private static final int REVOKERS = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** JDBM's errors (ERR_55x, ERR_56x ...); not ERR_54, which a re-published certificate logs harmlessly. */
    private static final java.util.regex.Pattern JDBM_ERROR = java.util.regex.Pattern.compile("ERR_5[0-9][0-9]\\b");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
            .getBytes(StandardCharsets.UTF_8));

    /** Acknowledged issuances: request id to serial (hex, as the API gives it). */
    private final Map<String, String> issued = new ConcurrentHashMap<>();
    /** Serials whose revocation was acknowledged. */
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Serials whose revocation was sent but not answered (the kill): either state is right. */
    private final Set<String> revocationsInDoubt = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> revocable = new ConcurrentLinkedQueue<>();
    private final AtomicInteger hosts = new AtomicInteger();
    private final AtomicLong issuedWhileRunning = new AtomicLong();
    private final AtomicLong issuingNanos = new AtomicLong();
    private final List<String> unexpected = new ArrayList<>();

    private final Path jar;
    private final Path work;
    private final Path data;
    private int ldapPort;
    private int httpPort;
    private Process process;
    private Path output;
    private int starts;

    private CrashBenchmark(Path jar, Path work) {
        this.jar = jar;
        this.work = work;
        this.data = work.resolve("data");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: CrashBenchmark <server jar> [kills] [syncOnWrite on|off]");
            System.exit(64);
        }
        Path jar = Path.of(args[0]);
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean syncOnWrite = args.length <= 2 || switch (args[2]) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new IllegalArgumentException("syncOnWrite must be on or off, not " + args[2]);
        };
        Path work = Files.createTempDirectory("egov-pki-crash");
        System.out.printf("crash benchmark: %d kills, ldap.embedded.syncOnWrite %s, server %s, data in %s%n", kills,
                syncOnWrite, jar, work);
        System.out.printf("machine: %d cores, %s, Java %s, started %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
                Instant.now());
        CrashBenchmark benchmark = new CrashBenchmark(jar, work);
        boolean clean = benchmark.run(kills, syncOnWrite);
        System.exit(clean ? 0 : 1);
    }

    private boolean run(int kills, boolean syncOnWrite) throws Exception {
        Files.createDirectories(data);
        Path config = Files.writeString(work.resolve("egov-pki.yaml"), "enrollment:\n  initialAdminPassword: "
                + PASSWORD + "\nldap:\n  embedded:\n    syncOnWrite: " + syncOnWrite + "\n");
        List<String> serve = List.of("serve", "--config", config.toString(), "--data", data.toString());
        start(serve, 0, 0);
        if (!awaitReady()) {
            System.out.println("the first start failed:\n" + log());
            return false;
        }
        Map<String, Integer> ports = ports();
        ldapPort = ports.get("ldap");
        httpPort = ports.get("http");
        Random random = new Random(13);
        SecureRandom keys = new SecureRandom();
        int corrupt = 0;
        int lost = 0;
        int kill = 0;
        long acknowledgedRevocations = 0;
        while (kill < kills) {
            kill++;
            AtomicBoolean running = new AtomicBoolean(true);
            Set<String> issuancesInFlight = ConcurrentHashMap.newKeySet();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < ISSUERS; i++) {
                clients.add(client("issuer", () -> issue(running, keys)));
            }
            for (int i = 0; i < REVOKERS; i++) {
                clients.add(client("revoker", () -> revoke(running)));
            }
            // The kill comes a random while after the round's first acknowledged issuance, so every
            // round kills during issuance, however slowly the restarted server warms up.
            int before = issued.size();
            long firstAcknowledged = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (issued.size() == before && System.nanoTime() < firstAcknowledged) {
                Thread.sleep(20);
            }
            long delay = 200 + random.nextInt(3_000);
            Thread.sleep(delay);
            process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            process.waitFor(60, TimeUnit.SECONDS);
            running.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
            boolean errorsBeforeKill = JDBM_ERROR.matcher(log()).find();
            int issuedBefore = before;

            long restartStarted = System.nanoTime();
            start(serve, ldapPort, httpPort);
            boolean ready = awaitReady();
            double restartSeconds = (System.nanoTime() - restartStarted) / 1e9;
            String log = log();
            List<String> problems = new ArrayList<>();
            if (errorsBeforeKill) {
                problems.add("JDBM error logged before the kill");
            }
            if (!ready) {
                problems.add("no ready line (exit " + (process.isAlive() ? "none" : process.exitValue()) + ")");
            }
            if (JDBM_ERROR.matcher(log).find()) {
                problems.add("JDBM error (ERR_5xx) logged on the restart");
            }
            if (log.contains("Recovery of request")) {
                problems.add("start-up recovery failed for a request");
            }
            if (ready && !healthUp()) {
                problems.add("/health not UP");
            }
            List<String> missing = ready ? check() : List.of("not checked: the server did not start");
            acknowledgedRevocations = revoked.size();
            boolean corruptRestart = !problems.isEmpty();
            if (corruptRestart) {
                corrupt++;
            }
            lost += ready ? missing.size() : 0;
            System.out.printf("kill %d %d ms after the round's first issuance: %d issuances acknowledged (+%d), %d revocations acknowledged, "
                            + "restart %.1f s%s%s%n", kill, delay, issued.size(), issued.size() - issuedBefore,
                    acknowledgedRevocations, restartSeconds,
                    problems.isEmpty() ? "" : " CORRUPT: " + String.join("; ", problems),
                    missing.isEmpty() ? "" : " LOST: " + missing.subList(0, Math.min(5, missing.size())));
            // Running totals, so a run stopped early (Ctrl-C) still says what it found.
            System.out.printf("  so far: kills %d, lost %d, corrupt restarts %d, issuance rate while running %.1f/s%n",
                    kill, lost, corrupt, rate());
            if (corruptRestart || !missing.isEmpty()) {
                Path kept = work.resolve("restart-" + kill + ".log");
                Files.writeString(kept, log);
                System.out.println("  log of that start kept in " + kept);
                if (!ready) {
                    break;
                }
            }
        }
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
        double rate = rate();
        System.out.printf("SUMMARY syncOnWrite=%s: kills %d, acknowledged issuances %d, acknowledged revocations "
                        + "%d, lost %d, corrupt restarts %d, issuance rate while running %.1f/s (%d clients, "
                        + "indication only)%n", syncOnWrite, kill, issued.size(), revoked.size(), lost, corrupt, rate,
                ISSUERS);
        if (!unexpected.isEmpty()) {
            System.out.println("unexpected answers (first 5): " + unexpected.subList(0, Math.min(5, unexpected.size())));
        }
        return lost == 0 && corrupt == 0;
    }

    /** Acknowledged issuances per second of load (the kills' restarts not counted): an indication only. */
    private double rate() {
        return issuingNanos.get() == 0 ? 0 : issuedWhileRunning.get() / (issuingNanos.get() / 1e9);
    }

    // --- load ---

    private void issue(AtomicBoolean running, SecureRandom keys) {
        long started = System.nanoTime();
        int mine = 0;
        try {
            while (running.get()) {
                int n = hosts.incrementAndGet();
                String host = "host-" + n + ".crash.example.gov.cn";
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api("/requests"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", AUTH)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(request(host, keys))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 201) {
                    note("issue " + host + ": " + response.statusCode() + " " + response.body());
                    continue;
                }
                JsonNode body = JSON.readTree(response.body());
                String serial = body.path("serials").path(0).asText();
                if (!"ISSUED".equals(body.path("state").asText()) || serial.isEmpty()) {
                    note("issue " + host + ": 201 without an issued serial: " + response.body());
                    continue;
                }
                issued.put(body.path("id").asText(), serial);
                revocable.add(serial);
                mine++;
            }
        } catch (IOException e) {
            // The kill: the request in flight was not acknowledged.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            note("issue: " + e);
        } finally {
            issuedWhileRunning.addAndGet(mine);
            issuingNanos.addAndGet((System.nanoTime() - started) / ISSUERS);
        }
    }

    private void revoke(AtomicBoolean running) {
        try {
            while (running.get()) {
                String serial = revocable.poll();
                if (serial == null || ThreadLocalRandomHolder.skip()) {
                    if (serial != null) {
                        revocable.add(serial);
                    }
                    Thread.sleep(50);
                    continue;
                }
                revocationsInDoubt.add(serial);
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api("/certificates/" + serial
                                + "/revoke")).timeout(Duration.ofSeconds(60)).header("Authorization", AUTH)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"reason\": \"KEY_COMPROMISE\", \"requester\": \"CA_RA\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    revoked.add(serial);
                    revocationsInDoubt.remove(serial);
                } else {
                    note("revoke " + serial + ": " + response.statusCode() + " " + response.body());
                }
            }
        } catch (IOException e) {
            // The kill: the revocation in flight stays in doubt.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Revokes about one certificate in three. */
    private static final class ThreadLocalRandomHolder {
        static boolean skip() {
            return java.util.concurrent.ThreadLocalRandom.current().nextInt(3) != 0;
        }
    }

    private synchronized void note(String problem) {
        if (unexpected.size() < 100) {
            unexpected.add(problem);
        }
    }

    private static String request(String host, SecureRandom random) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(random);
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Crash,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
        return "{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Crash\"},"
                + "\"agreementAccepted\":true}";
    }

    private static Thread client(String name, Runnable body) {
        Thread thread = new Thread(body, "crash-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    // --- checks ---

    /** What the directory lost of what was acknowledged; empty when nothing. */
    private List<String> check() throws Exception {
        List<String> missing = new ArrayList<>();
        String password = Files.readString(data.resolve("secrets/directory-admin.password")).trim();
        try (LDAPConnection admin = new LDAPConnection("127.0.0.1", ldapPort, "uid=admin,ou=system", password)) {
            Map<String, SearchResultEntry> records = new HashMap<>();
            Set<String> serials = new HashSet<>();
            Map<String, Set<String>> holders = new HashMap<>();
            for (SearchResultEntry record : admin.search("ou=certificates," + BASE, SearchScope.SUB,
                    "(objectClass=egovCertificateRecord)", "egovSerialNumber", "egovIssuerName", "egovIssuanceState",
                    "egovCertificateStatus", "egovSubjectDn", "egovSubscriberDn", "egovRequestDn")
                    .getSearchEntries()) {
                String serial = record.getAttributeValue("egovSerialNumber");
                if (!serials.add(record.getAttributeValue("egovIssuerName") + "/" + serial)) {
                    missing.add("serial " + serial + " recorded twice");
                }
                records.put(serial, record);
                String state = record.getAttributeValue("egovIssuanceState");
                if ("VALID".equals(record.getAttributeValue("egovCertificateStatus"))
                        && ("RECORDED".equals(state) || "PUBLISHED".equals(state))) {
                    holders.computeIfAbsent(record.getAttributeValue("egovSubjectDn"), k -> new HashSet<>())
                            .add(record.getAttributeValue("egovSubscriberDn"));
                }
            }
            holders.forEach((dn, subscribers) -> {
                if (subscribers.size() > 1) {
                    missing.add(dn + " held by " + subscribers.size() + " subscribers");
                }
            });
            Map<String, String> requestStates = new HashMap<>();
            for (SearchResultEntry request : admin.search("ou=requests," + BASE, SearchScope.ONE,
                    "(objectClass=egovEnrollmentRequest)", "egovRequestId", "egovRequestState").getSearchEntries()) {
                requestStates.put(request.getAttributeValue("egovRequestId"),
                        request.getAttributeValue("egovRequestState"));
            }
            for (Map.Entry<String, String> issuance : issued.entrySet()) {
                String serial = issuance.getValue();
                SearchResultEntry record = records.get(normalise(serial, records));
                if (record == null) {
                    missing.add("record of " + serial);
                    continue;
                }
                if (!"ISSUED".equals(requestStates.get(issuance.getKey()))) {
                    missing.add("request " + issuance.getKey() + " is " + requestStates.get(issuance.getKey()));
                }
                String status = record.getAttributeValue("egovCertificateStatus");
                if (revoked.contains(serial)) {
                    if (!"REVOKED".equals(status)) {
                        missing.add("revocation of " + serial + " (status " + status + ")");
                    }
                } else if (!revocationsInDoubt.contains(serial)) {
                    if (!"PUBLISHED".equals(record.getAttributeValue("egovIssuanceState"))
                            || !"VALID".equals(status)) {
                        missing.add(serial + " is " + record.getAttributeValue("egovIssuanceState") + "/" + status);
                    } else {
                        SearchResultEntry subscriber = admin.getEntry(record.getAttributeValue("egovSubscriberDn"),
                                "userCertificate;binary");
                        if (subscriber == null || !subscriber.hasAttribute("userCertificate;binary")) {
                            missing.add("publication of " + serial);
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** The records' spelling of a serial from the API (both are hex; case and leading zeros may differ). */
    private static String normalise(String serial, Map<String, SearchResultEntry> records) {
        if (records.containsKey(serial)) {
            return serial;
        }
        String stripped = serial.toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+", "");
        for (String known : records.keySet()) {
            if (known.toLowerCase(java.util.Locale.ROOT).replaceFirst("^0+", "").equals(stripped)) {
                return known;
            }
        }
        return serial;
    }

    private boolean healthUp() {
        try {
            HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/health")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200
                    && "UP".equals(JSON.readTree(health.body()).path("directory").path("status").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // --- the server process ---

    private URI api(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + "/api/v1" + path);
    }

    private void start(List<String> serve, int ldap, int http) throws IOException {
        Files.deleteIfExists(data.resolve("run/ports"));
        starts++;
        output = work.resolve("server-" + starts + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(serve);
        command.addAll(List.of("--ldap-port", Integer.toString(ldap), "--http-port", Integer.toString(http)));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // Keep the work directory small: only the last few server logs.
        Path old = work.resolve("server-" + (starts - 3) + ".log");
        Files.deleteIfExists(old);
    }

    private boolean awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (log().contains("egov-pki ready")) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        process.destroyForcibly();
        return false;
    }

    private String log() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private Map<String, Integer> ports() throws IOException {
        Map<String, Integer> ports = new HashMap<>();
        for (String line : Files.readAllLines(data.resolve("run/ports"))) {
            String[] parts = line.split("=", 2);
            if (parts.length == 2) {
                ports.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
            }
        }
        return ports;
    }
}
