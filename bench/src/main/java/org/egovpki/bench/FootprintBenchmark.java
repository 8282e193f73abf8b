package org.egovpki.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.directory.LockoutPolicy;

/**
 * The real server jar as an operator runs it ({@code java $EGOVPKI_JAVA_OPTS -jar egov-pki.jar serve},
 * with the systemd unit's default {@code -Xmx1g -XX:+UseSerialGC} unless EGOVPKI_JAVA_OPTS says
 * otherwise), default configuration, embedded directory: the time from launching the JVM to {@code /health/ready}
 * answering 200, on a fresh data directory (CA keys and directory created) and on restarts after a
 * clean stop (SIGTERM); then the process's resident set size (VmRSS) idle and its peak while 8
 * clients issue SM2 certificates as {@code bench/issue} does.
 *
 * <p>Arguments: the server jar, restarts (default 3), seconds of issuance load (default 60), and
 * optionally {@code openldap}: the server on an external OpenLDAP slapd started here on loopback
 * (prepared as {@code directory prepare-openldap} says, {@link BenchSlapd}) instead of the embedded
 * directory.
 */
public final class FootprintBenchmark {

    private static final String PASSWORD = "Bench2026pass";

    private FootprintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int restarts = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int loadSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        String javaOpts = System.getenv().getOrDefault("EGOVPKI_JAVA_OPTS", "-Xmx1g -XX:+UseSerialGC");
        Path dir = Files.createTempDirectory("egov-pki-footprint-bench");
        boolean openldap = args.length > 3 && args[3].equals("openldap");
        BenchSlapd slapd = openldap ? BenchSlapd.start(dir.resolve("slapd"), LockoutPolicy.DEFAULT, null)
                : null;
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n"
                + (openldap ? slapd.externalBlock() : ""));
        Path data = dir.resolve("data");
        int httpPort = freePort();
        int ldapPort = freePort();
        System.out.printf("machine: %d cores, %s, Java %s; server: java %s -jar %s serve (default configuration, "
                        + "%s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"), javaOpts, jar.getFileName(),
                openldap ? "external OpenLDAP slapd on 127.0.0.1:" + slapd.port() : "embedded directory");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8)).build();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(javaOpts.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString(), "--data",
                data.toString(), "--http-port", Integer.toString(httpPort), "--ldap-port", Integer.toString(ldapPort)));
        URI base = URI.create("http://127.0.0.1:" + httpPort);
        Process server = null;
        try {
            long start = System.nanoTime();
            server = launch(command, dir.resolve("server-first.log"));
            awaitReady(http, base, server, dir.resolve("server-first.log"));
            System.out.printf("first start (fresh data directory: CA keys, directory, bootstrap) to ready: %.1f s%n",
                    (System.nanoTime() - start) / 1e9);
            List<Double> restartSeconds = new ArrayList<>();
            for (int i = 1; i <= restarts; i++) {
                stop(server);
                Path log = dir.resolve("server-restart-" + i + ".log");
                start = System.nanoTime();
                server = launch(command, log);
                awaitReady(http, base, server, log);
                restartSeconds.add((System.nanoTime() - start) / 1e9);
            }
            Collections.sort(restartSeconds);
            System.out.printf("restart (clean stop, same data) to ready: median %.1f s, min %.1f s, max %.1f s "
                            + "(%d restarts; goal <= 5 s: %s)%n", restartSeconds.get(restartSeconds.size() / 2),
                    restartSeconds.get(0), restartSeconds.get(restartSeconds.size() - 1), restarts,
                    restartSeconds.get(restartSeconds.size() / 2) <= 5 ? "met" : "NOT met");

            Thread.sleep(10_000);
            long idle = rssKib(server.pid());
            System.out.printf("RSS idle (10 s after ready): %d MiB%n", idle / 1024);

            // Enough for the whole load period: about 40/s on the embedded directory, 150/s on OpenLDAP.
            int count = Math.max(200, loadSeconds * (openldap ? 150 : 40));
            System.out.printf("preparing up to %d SM2 CSRs...%n", count);
            List<String> bodies = bodies(count);
            AtomicBoolean stopLoad = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger issued = new AtomicInteger();
            String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while (!stopLoad.get() && (i = next.getAndIncrement()) < bodies.size()) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/requests"))
                                .header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException("issuance failed: " + response.statusCode() + " "
                                    + response.body());
                        }
                        issued.incrementAndGet();
                    }
                    return null;
                }));
            }
            long peak = 0;
            long loadStart = System.nanoTime();
            while (System.nanoTime() - loadStart < loadSeconds * 1_000_000_000L) {
                peak = Math.max(peak, rssKib(server.pid()));
                Thread.sleep(200);
            }
            stopLoad.set(true);
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();
            peak = Math.max(peak, rssKib(server.pid()));
            System.out.printf("RSS under issuance load (8 clients, %d s, %d issued, %.1f/s): peak %d MiB, at the end "
                            + "%d MiB (goal <= 512 MB: %s)%n", loadSeconds, issued.get(),
                    issued.get() / ((System.nanoTime() - loadStart) / 1e9), peak / 1024, rssKib(server.pid()) / 1024,
                    peak * 1024 <= 512_000_000L ? "met" : "NOT met");
        } catch (Exception e) {
            e.printStackTrace();
            if (server != null) {
                server.destroyForcibly();
            }
            System.exit(1);
        }
        stop(server);
        if (slapd != null) {
            slapd.close();
        }
        System.exit(0);
    }

    private static Process launch(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(HttpClient http, URI base, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the server did not become ready: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    private static void stop(Process server) throws Exception {
        server.destroy(); // SIGTERM: a clean stop, as systemctl stop
        if (!server.waitFor(120, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
            throw new IllegalStateException("the server did not stop within 120 s of SIGTERM");
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> bodies(int count) throws Exception {
        SecureRandom random = new SecureRandom();
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyAlgorithm.SM2.generate(random);
            String host = "host-" + i + ".footprint.bench.example.gov.cn";
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                    key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                    .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
            bodies.add("{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                    + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},"
                    + "\"agreementAccepted\":true}");
        }
        return bodies;
    }
}
