package org.egovpki.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.CaSigner;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapDecisionInbox;
import org.egovpki.directory.embedded.EmbeddedDirectory;
import org.egovpki.directory.openldap.Slapd;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.cli.Main;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * SM2 certificates issued per second end to end, against {@code cfssl serve} in the same run. An RA
 * admin POSTs to /api/v1/requests with the auto-approving {@code device-bulk} profile, so each call is
 * validated, stored, approved, signed, recorded and published before the 201 comes back. The real
 * server runs in this JVM, over loopback HTTP, with 1, 8 and 32 concurrent clients, first on the
 * embedded directory, then on an external OpenLDAP slapd started here on loopback and prepared with
 * the server's own {@code directory prepare-openldap} LDIF. The peer is {@code cfssl serve} (Debian
 * golang-cfssl) with a P-256 CA made by openssl, signing P-256 CSRs over {@code POST
 * /api/v1/cfssl/sign} with the same clients and the same HTTP client code. CSRs are made before the
 * clock starts. Per client count: issued/s per round (median, min-max) and the latency of every
 * call (p50, p99). Also reports the directory operations one issuance costs on the embedded
 * directory, the raw SM2 signing rate (the ceiling) and the embedded directory's raw add rate.
 *
 * <p>Arguments: rounds, calls per round and client count, then the targets (any of embedded,
 * embedded-nosync, openldap, cfssl; default embedded, openldap, cfssl).
 */
public final class IssuanceBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final int WARMUP = 100;
    private static final int[] CLIENTS = {1, 8, 32};

    /** One system under test: where to POST, with which header, which bodies, and what a success is. */
    private record Target(String name, URI endpoint, String auth, List<String> bodies, String success) {
    }

    /** One client count's figures. */
    private record Result(int clients, List<Double> rates, long p50Micros, long p99Micros) {
        double median() {
            return rates.get(rates.size() / 2);
        }

        @Override
        public String toString() {
            return String.format("%2d client(s): median %.1f issued/s (rounds min-max %.1f-%.1f: %s), latency p50 %.1f ms,"
                            + " p99 %.1f ms", clients, median(), rates.get(0), rates.get(rates.size() - 1),
                    rates.stream().map(r -> String.format("%.1f", r)).toList(), p50Micros / 1000.0, p99Micros / 1000.0);
        }
    }

    private IssuanceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        List<String> targets = args.length > 2 ? List.of(args).subList(2, args.length)
                : List.of("embedded", "openldap", "cfssl");
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("SM2 signatures/s on one thread (Bouncy Castle): %.0f with the server's CaSigner (the "
                + "issuance ceiling per core), %.0f with a JCA Signature initialised per signature%n",
                sm2SignaturesPerSecond(true), sm2SignaturesPerSecond(false));
        System.out.printf("rounds: %d of %d calls per client count %s, %d warm-up calls not counted%n", rounds, perRound,
                java.util.Arrays.toString(CLIENTS), WARMUP);
        int total = WARMUP + rounds * perRound * CLIENTS.length;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(32)).build();
        Map<String, List<Result>> results = new LinkedHashMap<>();
        try {
            for (String target : targets) {
                Path dir = Files.createTempDirectory("egov-pki-bench-" + target);
                switch (target) {
                    case "embedded" -> results.put(target, embedded(http, dir, total, rounds, perRound, true));
                    case "embedded-nosync" -> results.put(target, embedded(http, dir, total, rounds, perRound, false));
                    case "openldap" -> results.put(target, openldap(http, dir, total, rounds, perRound));
                    case "cfssl" -> results.put(target, cfssl(http, dir, total, rounds, perRound));
                    default -> throw new IllegalArgumentException("unknown target " + target
                            + " (embedded, embedded-nosync, openldap or cfssl)");
                }
            }
            List<Result> peer = results.get("cfssl");
            if (peer != null) {
                for (Map.Entry<String, List<Result>> entry : results.entrySet()) {
                    if (!entry.getKey().equals("cfssl")) {
                        for (int i = 0; i < CLIENTS.length; i++) {
                            System.out.printf("ratio %s / cfssl at %d client(s): %.3f (issued/s), p50 latency x%.1f%n",
                                    entry.getKey(), CLIENTS[i], entry.getValue().get(i).median() / peer.get(i).median(),
                                    entry.getValue().get(i).p50Micros() / (double) peer.get(i).p50Micros());
                        }
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would otherwise keep the JVM up
    }

    private static String auth() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param syncOnWrite {@code ldap.embedded.syncOnWrite}: the default {@code true}, or {@code false} (target
     *                    {@code embedded-nosync}: the periodic sync instead, docs/directory.md)
     */
    private static List<Result> embedded(HttpClient http, Path dir, int total, int rounds, int perRound,
                                         boolean syncOnWrite) throws Exception {
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n"
                + (syncOnWrite ? "" : "ldap:\n  embedded:\n    syncOnWrite: false\n"));
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(),
                0, 0));
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
            System.out.printf("== egov-pki, embedded ApacheDS (%s), preparing %d SM2 CSRs...%n",
                    syncOnWrite ? "default configuration" : "ldap.embedded.syncOnWrite: false", total);
            Target target = new Target("embedded", URI.create("http://127.0.0.1:" + server.httpPort()
                    + "/api/v1/requests"), auth(), egovBodies(total, "embedded"), "\"ISSUED\"");
            AtomicInteger next = new AtomicInteger();
            run(http, target, next, WARMUP, 4, null);
            EmbeddedDirectory.OperationCounts before = server.directoryOperations();
            Map<String, Long> kindsBefore = server.directoryWritesByKind();
            Map<String, Long> readsBefore = server.directoryReadsByKind();
            List<Result> results = measure(http, target, next, rounds, perRound, IssuanceCpu.embedded());
            int measured = rounds * perRound * CLIENTS.length;
            EmbeddedDirectory.OperationCounts cost = server.directoryOperations().minus(before);
            System.out.printf("directory operations per issuance: %.2f writes (%.2f adds, %.2f modifies), "
                            + "%.2f searches/reads%n", cost.writes() / (double) measured, cost.adds() / (double) measured,
                    cost.modifies() / (double) measured, cost.searches() / (double) measured);
            server.directoryWritesByKind().forEach((kind, count) -> {
                long writes = count - kindsBefore.getOrDefault(kind, 0L);
                if (writes > 0) {
                    System.out.printf("  %.2f x %s%n", writes / (double) measured, kind);
                }
            });
            System.out.println("searches and binds per issuance, by kind (a search's filter without its values):");
            server.directoryReadsByKind().forEach((kind, count) -> {
                long reads = count - readsBefore.getOrDefault(kind, 0L);
                if (reads >= measured / 100) {
                    System.out.printf("  %.2f x %s%n", reads / (double) measured, kind);
                }
            });
            pollCost(server.config(), dir.resolve("data"));
            rawWrites(server.config(), dir.resolve("data"), 1);
            rawWrites(server.config(), dir.resolve("data"), 8);
            return results;
        }
    }

    /**
     * The server on a slapd as Debian's package leaves it (its own cn=config and mdb database in a temporary
     * directory, loopback, a free port), prepared as an administrator would: the server's {@code directory
     * prepare-openldap} writes the LDIF, ldapmodify applies it over ldapi.
     */
    private static List<Result> openldap(HttpClient http, Path dir, int total, int rounds, int perRound)
            throws Exception {
        Path work = Files.createDirectories(dir.resolve("slapd"));
        try (Slapd slapd = Slapd.startFresh(work)) {
            SecureRandom random = new SecureRandom();
            Path caFile = Files.writeString(dir.resolve("ca-service.password"), hex(random) + "\n");
            Path kmFile = Files.writeString(dir.resolve("km-service.password"), hex(random) + "\n");
            Path config = dir.resolve("bench.yaml");
            Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n"
                    + "ldap:\n  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                    + "    caPasswordFile: " + caFile + "\n    kmPasswordFile: " + kmFile + "\n");
            Path ldif = dir.resolve("prepare.ldif");
            int exit = Main.run("directory", "prepare-openldap", "--config", config.toString(), "--out",
                    ldif.toString(), "--db-directory", Slapd.databaseDirectory(work).toString(), "--root-dn",
                    Slapd.peercredDn());
            if (exit != 0) {
                throw new IllegalStateException("directory prepare-openldap exited " + exit);
            }
            slapd.ldapmodify(work, ldif);
            EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(),
                    0, 0));
            try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
                System.out.printf("== egov-pki, external OpenLDAP %s (slapd back-mdb on 127.0.0.1:%d, prepared with "
                        + "prepare-openldap), preparing %d SM2 CSRs...%n", slapdVersion(), slapd.port(), total);
                Target target = new Target("openldap", URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/api/v1/requests"), auth(), egovBodies(total, "openldap"), "\"ISSUED\"");
                AtomicInteger next = new AtomicInteger();
                run(http, target, next, WARMUP, 4, null);
                List<Result> results = measure(http, target, next, rounds, perRound,
                        IssuanceCpu.onSlapd(slapd.pid()));
                System.out.println("directory operations per issuance: not counted on an external directory (the "
                        + "embedded one's interceptor counts them; the code path is the same)");
                return results;
            }
        }
    }

    /** The peer: cfssl serve with a P-256 CA of its own, signing P-256 CSRs over its HTTP API. */
    private static List<Result> cfssl(HttpClient http, Path dir, int total, int rounds, int perRound)
            throws Exception {
        exec(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "30", "-subj", "/CN=cfssl bench CA/O=Bench/C=CN",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process cfssl = new ProcessBuilder("cfssl", "serve", "-address", "127.0.0.1", "-port", Integer.toString(port),
                "-ca", "ca.pem", "-ca-key", "ca-key.pem", "-loglevel", "4").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cfssl.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (true) {
                try (Socket probe = new Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (!cfssl.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("cfssl serve did not start: "
                                + Files.readString(dir.resolve("cfssl.log")));
                    }
                    Thread.sleep(50);
                }
            }
            System.out.printf("== peer: %s, P-256 CA (openssl), preparing %d P-256 CSRs...%n",
                    exec(dir, "cfssl", "version").lines().findFirst().orElse("cfssl"), total);
            Target target = new Target("cfssl", URI.create("http://127.0.0.1:" + port + "/api/v1/cfssl/sign"), null,
                    cfsslBodies(total), "\"success\":true");
            AtomicInteger next = new AtomicInteger();
            run(http, target, next, WARMUP, 4, null);
            return measure(http, target, next, rounds, perRound, IssuanceCpu.peer("cfssl", cfssl.pid()));
        } finally {
            cfssl.destroy();
            cfssl.waitFor();
        }
    }

    private static List<Result> measure(HttpClient http, Target target, AtomicInteger next, int rounds, int perRound,
                                        IssuanceCpu cpu) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int clients : CLIENTS) {
            List<Double> rates = new ArrayList<>();
            List<Long> micros = Collections.synchronizedList(new ArrayList<>());
            IssuanceCpu.Sample before = cpu.sample();
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                run(http, target, next, perRound, clients, micros);
                rates.add(perRound / ((System.nanoTime() - start) / 1e9));
            }
            Collections.sort(rates);
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            Result result = new Result(clients, rates, sorted.get(sorted.size() / 2),
                    sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)));
            System.out.println(target.name() + " " + result);
            System.out.println(target.name() + "    " + cpu.describe(before, cpu.sample(), rounds * perRound));
            results.add(result);
        }
        return results;
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

    private static void run(HttpClient http, Target target, AtomicInteger next, int count, int clients,
                            List<Long> micros) throws Exception {
        AtomicInteger remaining = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                while (remaining.getAndDecrement() > 0) {
                    String body = target.bodies().get(next.getAndIncrement());
                    HttpRequest.Builder request = HttpRequest.newBuilder(target.endpoint())
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                    if (target.auth() != null) {
                        request.header("Authorization", target.auth());
                    }
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                    long took = (System.nanoTime() - start) / 1000;
                    if (response.statusCode() / 100 != 2 || !response.body().contains(target.success())) {
                        throw new IllegalStateException(target.name() + ": issuance failed: " + response.statusCode()
                                + " " + response.body());
                    }
                    if (micros != null) {
                        micros.add(took);
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

    private static List<String> cfsslBodies(int count) throws Exception {
        SecureRandom random = new SecureRandom();
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyAlgorithm.EC.generate(random);
            String host = "host-" + i + ".cfssl.bench.example.gov.cn";
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=" + host + ",O=Bench,C=CN"), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(new Extension(
                            Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                            GeneralName.dNSName, host)).getEncoded())))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER)
                            .build(key.getPrivate()));
            String pem = "-----BEGIN CERTIFICATE REQUEST-----\\n"
                    + Base64.getEncoder().encodeToString(csr.getEncoded()) + "\\n-----END CERTIFICATE REQUEST-----\\n";
            bodies.add("{\"certificate_request\":\"" + pem + "\"}");
        }
        return bodies;
    }

    private static String hex(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static String slapdVersion() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/slapd", "-VV").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("slapd (\\S+)").matcher(out);
            return m.find() ? m.group(1) : "slapd";
        } catch (IOException | InterruptedException e) {
            return "slapd";
        }
    }

    private static String exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static List<String> egovBodies(int count, String tag) throws Exception {
        SecureRandom random = new SecureRandom();
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            KeyPair key = KeyAlgorithm.SM2.generate(random);
            String host = "host-" + i + "." + tag + ".bench.example.gov.cn";
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                    key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                    .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())).getEncoded();
            bodies.add("{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                    + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},"
                    + "\"agreementAccepted\":true}");
        }
        return bodies;
    }

    /**
     * @param caSigner {@code true}: the server's {@link CaSigner} (pooled SM2 signers); {@code false}: a JCA
     *                 {@link Signature} initialised for every signature, as the server signed before
     */
    private static double sm2SignaturesPerSecond(boolean caSigner) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(new SecureRandom());
        CaSigner ca = CaSigner.of(key, new SecureRandom());
        Signature signer = Signature.getInstance("SM3WITHSM2", BouncyCastle.PROVIDER);
        byte[] data = new byte[600];
        java.util.function.Supplier<byte[]> sign = () -> {
            if (caSigner) {
                return ca.sign(data);
            }
            try {
                signer.initSign(key.getPrivate());
                signer.update(data);
                return signer.sign();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        };
        for (int i = 0; i < 2000; i++) {
            sign.get();
        }
        int n = 5000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sign.get();
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
