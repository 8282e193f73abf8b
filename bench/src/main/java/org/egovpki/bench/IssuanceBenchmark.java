package org.egovpki.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
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
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapDecisionInbox;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * SM2 certificates issued per second end to end: an RA admin POSTs to /api/v1/requests with the
 * auto-approving {@code device-bulk} profile, so each call is validated, stored, approved, signed,
 * recorded and published before the 201 comes back. Runs the real server in this JVM on the
 * embedded directory, over loopback HTTP, with 1 and 8 concurrent clients; CSRs are made before
 * the clock starts. Also reports the directory operations one issuance costs, the raw SM2
 * signing rate on this machine (the ceiling), and the cost of one poll for directory approvals.
 */
public final class IssuanceBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final int WARMUP = 100;

    private IssuanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int[] clientCounts = {1, 8};

        Path dir = Files.createTempDirectory("egov-pki-bench");
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(),
                0, 0));
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("SM2 signatures/s on one thread (Bouncy Castle, the issuance ceiling per core): %.0f%n",
                sm2SignaturesPerSecond());

        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
            URI endpoint = URI.create("http://127.0.0.1:" + server.httpPort() + "/api/v1/requests");
            int total = WARMUP + rounds * perRound * clientCounts.length;
            System.out.printf("preparing %d SM2 keys and CSRs...%n", total);
            List<String> bodies = prepare(total);
            AtomicInteger next = new AtomicInteger();
            HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

            run(http, endpoint, bodies, next, WARMUP, 4);
            EmbeddedDirectory.OperationCounts before = server.directoryOperations();
            int measured = 0;
            for (int clients : clientCounts) {
                List<Double> rates = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    long start = System.nanoTime();
                    run(http, endpoint, bodies, next, perRound, clients);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    rates.add(perRound / seconds);
                    measured += perRound;
                }
                Collections.sort(rates);
                System.out.printf("%d client(s): median %.1f issued/s (rounds: %s)%n", clients,
                        rates.get(rates.size() / 2), rates.stream().map(r -> String.format("%.1f", r)).toList());
            }
            EmbeddedDirectory.OperationCounts cost = server.directoryOperations().minus(before);
            System.out.printf("directory operations per issuance: %.2f writes (%.2f adds, %.2f modifies), "
                            + "%.2f searches/reads%n", cost.writes() / (double) measured, cost.adds() / (double) measured,
                    cost.modifies() / (double) measured, cost.searches() / (double) measured);
            pollCost(server.config(), dir.resolve("data"));
            rawWrites(server.config(), dir.resolve("data"), 1);
            rawWrites(server.config(), dir.resolve("data"), 8);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would otherwise keep exec:java waiting
    }

    /**
     * The directory's own write ceiling in the same run: small adds, nothing else, as the
     * directory administrator on 1 or 8 connections. Issuances/s cannot exceed this divided by the
     * writes one issuance needs.
     */
    private static void rawWrites(EgovPkiConfig settings, Path data, int connections) throws Exception {
        String password = Files.readString(data.resolve("secrets/directory-admin.password")).trim();
        int perConnection = 400 / connections + 50;
        AtomicInteger sequence = new AtomicInteger((connections == 1 ? 1 : 2) * 1_000_000);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            futures.add(pool.submit(() -> {
                try (LDAPConnection ldap = new LDAPConnection(settings.ldap().host(), settings.ldap().port(),
                        "uid=admin,ou=system", password)) {
                    for (int i = 0; i < perConnection; i++) {
                        int n = sequence.incrementAndGet();
                        ldap.add("egovAuditSequence=" + n + ",ou=audit," + settings.ldap().baseDn(),
                                new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "egovAuditEvent"),
                                new com.unboundid.ldap.sdk.Attribute("egovAuditSequence", Integer.toString(n)),
                                new com.unboundid.ldap.sdk.Attribute("egovAuditTime", "20261121000000Z"),
                                new com.unboundid.ldap.sdk.Attribute("egovAuditEventType", "BENCH"),
                                new com.unboundid.ldap.sdk.Attribute("egovAuditHash", "00"));
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("raw directory adds on %d connection(s): %.0f adds/s%n", connections,
                connections * perConnection / seconds);
    }

    private static void run(HttpClient http, URI endpoint, List<String> bodies, AtomicInteger next, int count,
                            int clients) throws Exception {
        AtomicInteger remaining = new AtomicInteger(count);
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (remaining.getAndDecrement() > 0) {
                    String body = bodies.get(next.getAndIncrement());
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                            .header("Authorization", auth).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 201 || !response.body().contains("\"ISSUED\"")) {
                        throw new IllegalStateException("issuance failed: " + response.statusCode() + " "
                                + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
    }

    private static List<String> prepare(int count) throws Exception {
        SecureRandom random = new SecureRandom();
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyAlgorithm.SM2.generate(random);
            String host = "host-" + i + ".bench.example.gov.cn";
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                    key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                    .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
            bodies.add("{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                    + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},"
                    + "\"agreementAccepted\":true}");
        }
        return bodies;
    }

    private static double sm2SignaturesPerSecond() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(new SecureRandom());
        Signature signer = Signature.getInstance("SM3WITHSM2", BouncyCastle.PROVIDER);
        byte[] data = new byte[600];
        for (int i = 0; i < 2000; i++) {
            signer.initSign(key.getPrivate());
            signer.update(data);
            signer.sign();
        }
        int n = 5000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            signer.initSign(key.getPrivate());
            signer.update(data);
            signer.sign();
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    /** The searches the directory-approval route runs every poll, timed against the requests just made. */
    private static void pollCost(EgovPkiConfig settings, Path data) throws Exception {
        String password = Files.readString(data.resolve("secrets/ca-service.password")).trim();
        try (LDAPConnection ldap = new LDAPConnection(settings.ldap().host(), settings.ldap().port(),
                "uid=egov-pki-ca,ou=services," + settings.ldap().baseDn(), password)) {
            // What DirectoryDecisions.processPending() reads: states the CA did not write, then decision entries.
            LdapDecisionInbox inbox = new LdapDecisionInbox(ldap, new DirectoryNames(settings.ldap().baseDn()));
            int requests = ldap.search("ou=requests," + settings.ldap().baseDn(), SearchScope.ONE,
                    "(objectClass=*)", "1.1").getEntryCount();
            for (int i = 0; i < 200; i++) {
                inbox.unconfirmedStates(100);
                inbox.decisions(100);
            }
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                long start = System.nanoTime();
                inbox.unconfirmedStates(100);
                inbox.decisions(100);
                micros.add((System.nanoTime() - start) / 1000);
            }
            Collections.sort(micros);
            System.out.printf("directory-approval poll with %d requests stored: median %d us, p99 %d us per poll "
                    + "(two searches)%n", requests, micros.get(500), micros.get(990));
        }
    }
}
