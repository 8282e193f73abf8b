package org.egovpki.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.io.IOException;
import java.math.BigInteger;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.egovpki.directory.DirectoryNames;
import org.egovpki.directory.LdapCertificateStatusSource;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;

/**
 * OCSP responses per second and p99 latency under wrk, egov-pki's /ocsp against {@code openssl
 * ocsp} as a responder, on the same data: the ECDSA P-256 issuing CA of a fresh egov-pki data
 * directory (its key exported from the data directory's key store for OpenSSL, its one issued
 * certificate written to OpenSSL's index.txt), and one fixed nonce-free DER request for that good
 * certificate made by {@code openssl ocsp -no_nonce -reqout}. egov-pki runs in this JVM (the real
 * server on the embedded directory) with its response cache on, then restarted with it off;
 * OpenSSL runs as one process, then with {@code -multi 2}. Each configuration gets a warm-up run
 * and three measured {@code wrk -t2 -c16 -d<seconds>s -s post.lua --latency} runs, whose medians
 * are reported. Every responder's answer is checked before it is loaded: successful, good,
 * signed by the CA key.
 *
 * <p>Two OpenSSL 3.0 responder defects shape the set-up, both the same bug
 * (openssl/openssl#23934, #31129): a connection closed before its request line makes it spin on
 * that connection for ever. wrk opens exactly such a connection to probe the address before
 * every run, so post.lua resolves without the probe (for both responders); and the end of a run
 * leaves such connections too, so OpenSSL is started afresh for every run.
 *
 * <p>Arguments: {@code [seconds per run (20)] [work directory (a new temporary one)]}. Needs
 * {@code wrk} and {@code openssl} on the PATH; run it with {@code bench/ocsp}.
 */
public final class OcspBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final int RUNS = 3;
    private static final int WARMUP_SECONDS = 8;
    private static final String WRK_THREADS = "2";
    private static final String WRK_CONNECTIONS = "16";
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
    private static final Pattern ERRORS = Pattern.compile("(Non-2xx or 3xx responses: \\d+|Socket errors: [^\\n]+)");

    private final Path dir;
    private final int seconds;
    private final int certificates;
    private final List<String> report = new ArrayList<>();
    private EgovPkiConfig settings;
    private BigInteger leafSerial;

    private OcspBenchmark(Path dir, int seconds, int certificates) {
        this.dir = dir;
        this.seconds = seconds;
        this.certificates = certificates;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Path dir = args.length > 1 && !args[1].equals("-") ? Files.createDirectories(Path.of(args[1]))
                : Files.createTempDirectory("egov-pki-ocsp");
        int certificates = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        String parts = args.length > 3 ? args[3] : "repeated,mix";
        try {
            OcspBenchmark benchmark = new OcspBenchmark(dir, seconds, certificates);
            benchmark.machine();
            if (parts.contains("repeated")) {
                benchmark.run();
            }
            if (parts.contains("mix")) {
                benchmark.mix();
            }
            System.out.println();
            System.out.println("=== summary (median of " + RUNS + " runs of " + seconds + " s each) ===");
            benchmark.report.forEach(System.out::println);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the HTTP client's threads would otherwise keep the JVM alive
    }

    private void machine() throws Exception {
        System.out.printf("machine: %d cores, %s %s, Java %s; %s; %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
                firstLine(output("openssl", "version")), firstLine(output("wrk", "--version")));
        System.out.println("work directory: " + dir);
    }

    private void run() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(dir.resolve("post.lua"), """
                -- POSTs the fixed OCSP request req.der (read once) with the OCSP content type.
                -- wrk's own resolve() probes the address with a connect-and-close first; OpenSSL's
                -- `ocsp` responder then spins forever on that empty connection and answers nobody
                -- (openssl/openssl#23934, #31129). Resolving without the probe, same for both responders.
                function wrk.resolve(host, service)
                   wrk.addrs = wrk.lookup(host, service)
                end
                local file = assert(io.open("req.der", "rb"))
                wrk.method = "POST"
                wrk.body = file:read("*all")
                file:close()
                wrk.headers["Content-Type"] = "application/ocsp-request"
                """);

        X509Certificate ca;
        double[] cached;
        double[] uncached;
        List<double[]> openssl = new ArrayList<>();
        try (EgovPkiServer server = start(data, 60)) {
            ca = prepareSharedData(server, data);
            cached = measure("egov-pki /ocsp, cache on (ocsp.cacheSeconds: 60, ocsp.presigned: true)",
                    () -> running(server.httpPort()));
        }
        try (EgovPkiServer server = start(data, 0)) {
            check(server.httpPort(), ca);
            uncached = measure("egov-pki /ocsp, cache off (ocsp.cacheSeconds: 0, ocsp.presigned: false): every response signed",
                    () -> running(server.httpPort()));
            uncachedCeilings(data, ca, leafSerial);
        }
        for (String multi : new String[] {null, "2"}) {
            List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-index", "index.txt", "-port", "PORT",
                    "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem"));
            if (multi != null) {
                command.addAll(List.of("-multi", multi));
            }
            openssl.add(measure(String.join(" ", command), () -> new OpenSslResponder(command,
                    port -> check(port, ca))));
        }
        report.add(String.format("one repeated request: egov-pki cache on / openssl ocsp = %.1fx (-multi 2: %.1fx); "
                + "cache off / openssl ocsp = %.2fx (-multi 2: %.2fx)", cached[0] / openssl.get(0)[0],
                cached[0] / openssl.get(1)[0], uncached[0] / openssl.get(0)[0], uncached[0] / openssl.get(1)[0]));
    }

    private EgovPkiServer start(Path data, int cacheSeconds) throws IOException {
        return start(data, cacheSeconds, yaml -> yaml, "bench-cache-" + cacheSeconds + ".yaml");
    }

    private EgovPkiServer start(Path data, int cacheSeconds, java.util.function.UnaryOperator<String> more,
                                String file) throws IOException {
        String shipped = Files.readString(Path.of("conf", "egov-pki.yaml"));
        String yaml = shipped
                .replace("    - algorithm: SM2\n      enabled: true", "    - algorithm: SM2\n      enabled: false")
                .replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true")
                .replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD)
                .replace("  cacheSeconds: 60\n", "  cacheSeconds: " + cacheSeconds + "\n")
                // Cache off means every response signed: the pre-signed answers go off with it.
                .replace("  presigned: true\n", "  presigned: " + (cacheSeconds > 0) + "\n");
        if (!yaml.contains("cacheSeconds: " + cacheSeconds) || !yaml.contains("initialAdminPassword: " + PASSWORD)
                || !yaml.contains("  presigned: " + (cacheSeconds > 0) + "\n")) {
            throw new IllegalStateException("conf/egov-pki.yaml changed; the benchmark cannot configure the EC chain");
        }
        Path config = dir.resolve(file);
        Files.writeString(config, more.apply(yaml));
        // Ports 0: the server binds free ports and reports them (server.config(), server.httpPort()).
        EgovPkiServer server = EgovPkiServer.start(ConfigLoader.load(config, ConfigLoader.overrides(data.toString(), 0,
                0)), Clock.systemUTC(), true);
        settings = server.config();
        return server;
    }

    /**
     * Issues one ECDSA device certificate, writes ca.pem, ca.key (exported from the key store),
     * index.txt and req.der, and checks egov-pki's answer. Returns the CA certificate.
     */
    private X509Certificate prepareSharedData(EgovPkiServer server, Path data) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.httpPort();
        KeyPair key = KeyAlgorithm.EC.generate(new SecureRandom());
        String host = "ocsp-bench.example.gov.cn";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        String body = "{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},\"agreementAccepted\":true}";
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/requests"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(issued.body());
        if (issued.statusCode() != 201 || !"ISSUED".equals(json.path("state").asText())) {
            throw new IllegalStateException("issuance failed: " + issued.statusCode() + " " + issued.body());
        }
        String serialHex = json.path("serials").get(0).asText();
        byte[] leafDer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + serialHex + ".der"))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        X509Certificate leaf = Pem.parseCertificate(leafDer);
        leafSerial = leaf.getSerialNumber();
        X509Certificate ca = server.registry().find("ec-issuing").orElseThrow().certificate();

        Files.writeString(dir.resolve("ca.pem"), Pem.certificate(ca), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("leaf.pem"), Pem.certificate(leaf), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("ca.key"), exportKey(data, "ec-issuing"), StandardCharsets.US_ASCII);
        String serial = leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        if (serial.length() % 2 == 1) {
            serial = "0" + serial;
        }
        // OpenSSL's CA database: status, expiry (UTCTime), revocation date, serial, file, subject.
        Files.writeString(dir.resolve("index.txt"), "V\t" + INDEX_TIME.format(leaf.getNotAfter().toInstant()) + "\t\t"
                + serial + "\tunknown\t/C=CN/O=Bench/CN=" + host + "\n", StandardCharsets.US_ASCII);
        exec("openssl", "ocsp", "-issuer", "ca.pem", "-serial", "0x" + serial, "-no_nonce", "-reqout", "req.der");

        System.out.println("CA: " + ca.getSubjectX500Principal().getName() + " (ECDSA P-256); certificate serial 0x"
                + serial + "; request req.der: " + Files.size(dir.resolve("req.der")) + " bytes");
        check(server.httpPort(), ca);
        return ca;
    }

    /**
     * The mix: {@code certificates} records of {@code ec-issuing}, every tenth revoked, loaded with
     * {@code slapadd} into a slapd that egov-pki runs on ({@code ldap.external}); OpenSSL gets an
     * index.txt of the same serials and statuses. One nonce-free request per certificate (BC, SHA-1
     * CertID, as {@code openssl ocsp -no_nonce} makes them) in mix.bin; mix.lua rotates over them.
     * First a sample of answers from both responders is compared with each other and with the
     * records; then one pass over all certificates with the Java HTTP client (16 connections) while
     * egov-pki has no pre-signed answer yet (each answer signed, then kept), a second such pass, and
     * then wrk runs (steady state) against egov-pki and OpenSSL.
     */
    private void mix() throws Exception {
        Path work = Files.createDirectories(dir.resolve("mix"));
        Path data = work.resolve("data");
        System.out.println();
        System.out.println("=== " + certificates + " distinct certificates, every 10th revoked, nonce-free requests ===");
        BenchRecords records = new BenchRecords(new DirectoryNames(BenchSlapd.BASE), "ec-issuing", 10, 1,
                java.time.Instant.now());
        Path ldif = work.resolve("records.ldif");
        records.writeLdif(ldif, certificates);
        EgovPkiConfig plain = ConfigLoader.load(null, ConfigLoader.overrides(data.toString(), 0, 0));
        int maxEntries = Math.min(1_000_000, Math.max(100_000, certificates * 2));
        try (BenchSlapd slapd = BenchSlapd.start(work.resolve("slapd"), plain.ldap().lockout(), ldif)) {
            Files.delete(ldif);
            long startedNanos = System.nanoTime();
            try (EgovPkiServer server = start(data, 60, yaml -> {
                String more = slapd.external(yaml).replace("  presignedMaxEntries: 100000\n",
                        "  presignedMaxEntries: " + maxEntries + "\n");
                if (!more.contains("presignedMaxEntries: " + maxEntries + "\n")) {
                    throw new IllegalStateException("conf/egov-pki.yaml changed: no ocsp.presignedMaxEntries: 100000");
                }
                return more;
            }, "bench-mix.yaml")) {
                X509Certificate ca = server.registry().find("ec-issuing").orElseThrow().certificate();
                Files.writeString(dir.resolve("mix-ca.pem"), Pem.certificate(ca), StandardCharsets.US_ASCII);
                Files.writeString(dir.resolve("mix-ca.key"), exportKey(data, "ec-issuing"), StandardCharsets.US_ASCII);
                writeMixIndex(records);
                List<byte[]> requests = writeMixRequests(ca);
                writeMixScript();
                System.out.printf("egov-pki on slapd (port %d), presignedMaxEntries %d; mix.bin: %d requests%n",
                        slapd.port(), maxEntries, requests.size());
                List<String> command = List.of("openssl", "ocsp", "-index", "mix-index.txt", "-port", "PORT",
                        "-rsigner", "mix-ca.pem", "-rkey", "mix-ca.key", "-CA", "mix-ca.pem");
                try (OpenSslResponder openssl = new OpenSslResponder(command, port -> single(port, requests.get(1), ca))) {
                    agree(server.httpPort(), openssl.port(), ca, records, requests);
                }
                // ocsp.presignAhead (the default): the refresh route's first run, 15 s after the start,
                // walks the records and signs every unexpired certificate's answer before any request.
                String ahead = awaitSignedAhead(server, startedNanos);
                double[] first = pass("egov-pki /ocsp on slapd, first pass (answers signed ahead, none asked before)",
                        server.httpPort(), requests);
                double[] second = pass("egov-pki /ocsp on slapd, second pass (pre-signed answers)", server.httpPort(),
                        requests);
                String load = certificates + " distinct certificates, 10% revoked, nonce-free (mix.lua)";
                double[] egov = measure("egov-pki /ocsp on slapd, steady state (ocsp.presigned: true)",
                        () -> running(server.httpPort()), "mix.lua", load);
                List<double[]> peers = new ArrayList<>();
                for (String multi : new String[] {null, "2"}) {
                    List<String> peer = new ArrayList<>(command);
                    if (multi != null) {
                        peer.addAll(List.of("-multi", multi));
                    }
                    peers.add(measure(String.join(" ", peer), () -> new OpenSslResponder(peer,
                            port -> single(port, requests.get(1), ca)), "mix.lua", load));
                }
                report.add(String.format("mix of %d: egov-pki steady / openssl ocsp = %.1fx (-multi 2: %.1fx); first "
                        + "pass (Java client) %.0f/s p99 %.2f ms = %.2fx openssl ocsp; second pass %.0f/s p99 %.2f ms; %s",
                        certificates, egov[0] / peers.get(0)[0], egov[0] / peers.get(1)[0], first[0], first[1],
                        first[0] / peers.get(0)[0], second[0], second[1], ahead));
            }
        }
    }

    /**
     * Waits until the server signed an answer ahead for each of the mix's certificates (or, after 10
     * minutes, reports how many it had), and says how long after the start that took.
     */
    private String awaitSignedAhead(EgovPkiServer server, long startedNanos) throws InterruptedException {
        var responder = server.ocspResponder();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (responder.presignedSize() < certificates && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling a gauge in a benchmark, not a test
        }
        String line = String.format("signed ahead: %d answers held %.1f s after the start (the walk begins 15 s "
                + "after it)", responder.presignedSize(), (System.nanoTime() - startedNanos) / 1e9);
        System.out.println(line);
        return line;
    }

    /** OpenSSL's CA database of the mix: status, expiry, revocation date and reason, serial, file, subject. */
    private void writeMixIndex(BenchRecords records) throws IOException {
        String expiry = INDEX_TIME.format(java.time.Instant.now().plus(java.time.Duration.ofDays(365)));
        String revoked = INDEX_TIME.format(records.revokedAt());
        try (var out = Files.newBufferedWriter(dir.resolve("mix-index.txt"), StandardCharsets.US_ASCII)) {
            for (long i = 0; i < certificates; i++) {
                String serial = BenchRecords.serial(i).toString(16).toUpperCase(Locale.ROOT);
                if (serial.length() % 2 == 1) {
                    serial = "0" + serial;
                }
                out.write((records.revoked(i) ? "R\t" + expiry + "\t" + revoked + "," + records.reason(i)
                        : "V\t" + expiry + "\t") + "\t" + serial + "\tunknown\t/C=CN/O=Bench/CN=bench-" + i + "\n");
            }
        }
    }

    /** One nonce-free DER request per certificate, written to mix.bin each after its 2-byte length. */
    private List<byte[]> writeMixRequests(X509Certificate ca) throws Exception {
        var digests = new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build();
        var issuer = new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(ca);
        List<byte[]> requests = new ArrayList<>(certificates);
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(dir.resolve("mix.bin"))))) {
            for (long i = 0; i < certificates; i++) {
                var id = new org.bouncycastle.cert.ocsp.CertificateID(digests.get(
                        org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1), issuer, BenchRecords.serial(i));
                byte[] der = new org.bouncycastle.cert.ocsp.OCSPReqBuilder().addRequest(id).build().getEncoded();
                out.writeShort(der.length);
                out.write(der);
                requests.add(der);
            }
        }
        return requests;
    }

    private void writeMixScript() throws IOException {
        Files.writeString(dir.resolve("mix.lua"), """
                -- POSTs the nonce-free OCSP requests of mix.bin (each: a 2-byte big-endian length, then
                -- the DER) in turn, each wrk thread starting at its own place in the list; resolves
                -- without wrk's connect-and-close probe, as post.lua does (OpenSSL spins on it).
                function wrk.resolve(host, service)
                   wrk.addrs = wrk.lookup(host, service)
                end
                local threads = 0
                function setup(thread)
                   thread:set("first", threads)
                   threads = threads + 1
                end
                local requests = {}
                local next_index = 1
                function init(args)
                   local file = assert(io.open("mix.bin", "rb"))
                   local data = file:read("*all")
                   file:close()
                   local pos = 1
                   while pos < #data do
                      local len = data:byte(pos) * 256 + data:byte(pos + 1)
                      requests[#requests + 1] = wrk.format("POST", nil,
                         {["Content-Type"] = "application/ocsp-request"}, data:sub(pos + 2, pos + 1 + len))
                      pos = pos + 2 + len
                   end
                   next_index = (first or 0) * math.floor(#requests / %s) + 1
                end
                function request()
                   local r = requests[next_index]
                   next_index = next_index %% #requests + 1
                   return r
                end
                """.formatted(WRK_THREADS).replace("%%", "%"));
    }

    /**
     * Compares a sample of answers (400 certificates, the first 20 and 380 random ones) from both
     * responders with each other and with the records: good, or revoked with the same time and reason.
     */
    private void agree(int egovPort, int opensslPort, X509Certificate ca, BenchRecords records,
                       List<byte[]> requests) throws Exception {
        java.util.Random random = new java.util.Random(2026);
        int revoked = 0;
        int sample = Math.min(400, certificates);
        for (int k = 0; k < sample; k++) {
            int i = k < 20 ? k : random.nextInt(certificates);
            String expected = records.revoked(i) ? "revoked " + records.revokedAt() + " reason "
                    + reasonCode(records.reason(i)) : "good";
            String egov = describe(single(egovPort, requests.get(i), ca));
            String openssl = describe(single(opensslPort, requests.get(i), ca));
            if (!expected.equals(egov) || !expected.equals(openssl)) {
                throw new IllegalStateException("certificate " + i + " (serial " + BenchRecords.serial(i).toString(16)
                        + "): records say " + expected + ", egov-pki answers " + egov + ", openssl ocsp " + openssl);
            }
            if (records.revoked(i)) {
                revoked++;
            }
        }
        System.out.printf("statuses agree: %d sampled certificates (%d revoked), egov-pki = openssl ocsp = records%n",
                sample, revoked);
    }

    private static int reasonCode(String name) {
        return switch (name) {
            case "keyCompromise" -> 1;
            case "affiliationChanged" -> 3;
            case "superseded" -> 4;
            case "cessationOfOperation" -> 5;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String describe(org.bouncycastle.cert.ocsp.SingleResp single) {
        Object status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return "good";
        }
        if (status instanceof org.bouncycastle.cert.ocsp.RevokedStatus r) {
            return "revoked " + r.getRevocationTime().toInstant() + " reason "
                    + (r.hasRevocationReason() ? r.getRevocationReason() : -1);
        }
        return "unknown";
    }

    /** POSTs one request; checks the answer is successful, signed by the CA key, for one certificate. */
    private static org.bouncycastle.cert.ocsp.SingleResp single(int port, byte[] request, X509Certificate ca)
            throws Exception {
        HttpResponse<byte[]> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ocsp"))
                        .header("Content-Type", "application/ocsp-request")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        OCSPResp ocsp = new OCSPResp(response.body());
        BasicOCSPResp basic = (BasicOCSPResp) ocsp.getResponseObject();
        if (ocsp.getStatus() != OCSPResp.SUCCESSFUL || basic == null || basic.getResponses().length != 1
                || !basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                        .build(ca.getPublicKey()))) {
            throw new IllegalStateException("the responder on port " + port + " did not answer one status signed by "
                    + "the CA (OCSP status " + ocsp.getStatus() + ")");
        }
        return basic.getResponses()[0];
    }

    /**
     * One pass over every request, in order, spread over 16 threads of the JDK's HTTP client (HTTP/1.1,
     * a connection per thread); every answer must be a successful OCSP response. Returns
     * {requests/s, p99 ms}.
     */
    private double[] pass(String what, int port, List<byte[]> requests) throws Exception {
        int threads = 16;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/ocsp");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> futures = new ArrayList<>();
        AtomicLong retried = new AtomicLong();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                long[] latencies = new long[requests.size() / threads + 1];
                int n = 0;
                for (int i = first; i < requests.size(); i += threads) {
                    long t0 = System.nanoTime();
                    HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/ocsp-request")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(requests.get(i))).build();
                    HttpResponse<byte[]> response;
                    try {
                        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    } catch (java.io.IOException e) {
                        // The JDK client does not retry a POST on a pooled connection closed under it (as
                        // browsers do): once, counted and reported; the latency includes both tries.
                        retried.incrementAndGet();
                        response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    }
                    latencies[n++] = System.nanoTime() - t0;
                    if (response.statusCode() != 200 || new OCSPResp(response.body()).getStatus() != OCSPResp.SUCCESSFUL) {
                        throw new IllegalStateException("request " + i + ": HTTP " + response.statusCode());
                    }
                }
                return java.util.Arrays.copyOf(latencies, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] sorted = all.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        double p50 = sorted[sorted.length / 2] / 1e6;
        double p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6;
        String line = String.format("%s | %d requests in %.1f s, Java HTTP client, 16 connections | %.0f requests/s | "
                + "p50 %.2f ms | p99 %.2f ms%s", what, sorted.length, elapsed, sorted.length / elapsed, p50, p99,
                retried.get() == 0 ? "" : " | " + retried.get() + " sent again after an I/O error");
        System.out.println(line);
        report.add(line);
        return new double[] {sorted.length / elapsed, p99};
    }

    /**
     * What one uncached answer costs besides HTTP, measured in the same run: the status read
     * (one LDAP read of the certificate record through the same status source, on a pool of 8
     * connections like the server's, from 16 threads like wrk's connections) and one ECDSA P-256
     * signature with Bouncy Castle on one thread.
     */
    private void uncachedCeilings(Path data, X509Certificate ca, BigInteger serial) throws Exception {
        DirectoryNames names = new DirectoryNames(settings.ldap().baseDn());
        String password = Files.readString(data.resolve("secrets/ca-service.password")).trim();
        LDAPConnectionPool pool = new LDAPConnectionPool(new LDAPConnection(settings.ldap().host(),
                settings.ldap().port(), names.caServiceAccount().toString(), password), 8);
        try {
            LdapCertificateStatusSource statuses = new LdapCertificateStatusSource(pool, names);
            int threads = 16;
            long millis = 5_000;
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            AtomicLong reads = new AtomicLong();
            long end = System.currentTimeMillis() + millis;
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    while (System.currentTimeMillis() < end) {
                        statuses.status("ec-issuing", serial).orElseThrow();
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            executor.shutdown();
            String line = String.format("certificate status reads (LDAP, pool of 8, 16 threads): %.0f/s",
                    reads.get() * 1000.0 / millis);
            System.out.println(line);
            report.add(line);
        } finally {
            pool.close();
        }
        KeyPair key = KeyAlgorithm.EC.generate(new SecureRandom());
        Signature signer = Signature.getInstance("SHA256WITHECDSA", BouncyCastle.PROVIDER);
        byte[] tbs = new byte[200];
        int n = 0;
        long start = System.nanoTime();
        long stop = start + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < stop) {
            signer.initSign(key.getPrivate());
            signer.update(tbs);
            signer.sign();
            n++;
        }
        String line = String.format("ECDSA P-256 signatures (Bouncy Castle, one thread): %.0f/s",
                n / ((System.nanoTime() - start) / 1e9));
        System.out.println(line);
        report.add(line);
    }

    /** The issuing CA's private key as PKCS#8 PEM, read from the data directory's key store. */
    private static String exportKey(Path data, String alias) throws Exception {
        char[] password = Files.readString(data.resolve("secrets/ca-keystore.password")).trim().toCharArray();
        KeyStore keyStore = KeyStore.getInstance("PKCS12", BouncyCastle.PROVIDER);
        try (var in = Files.newInputStream(data.resolve("keys/ca.p12"))) {
            keyStore.load(in, password);
        }
        PrivateKey key = (PrivateKey) keyStore.getKey(alias, password);
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
        }
        return pem.toString();
    }

    /** POSTs req.der once and checks the answer: successful, one good status, signed by the CA key. */
    private void check(int port, X509Certificate ca) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofFile(dir.resolve("req.der"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        OCSPResp ocsp = new OCSPResp(response.body());
        BasicOCSPResp basic = (BasicOCSPResp) ocsp.getResponseObject();
        boolean signed = basic != null && basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build(ca.getPublicKey()));
        if (ocsp.getStatus() != OCSPResp.SUCCESSFUL || !signed || basic.getResponses().length != 1
                || basic.getResponses()[0].getCertStatus() != CertificateStatus.GOOD) {
            throw new IllegalStateException("the responder on port " + port + " did not answer 'good' signed by the CA");
        }
        System.out.printf("checked the responder on port %d: good, signed by the CA, %d-byte response%n", port,
                response.body().length);
    }

    /** A responder under test: its port, and how to let it go after one wrk run. */
    private interface Responder extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    /** A responder that outlives the runs (egov-pki in this JVM). */
    private static Responder running(int port) {
        return new Responder() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
            }
        };
    }

    @FunctionalInterface
    private interface ReadyCheck {
        void check(int port) throws Exception;
    }

    @FunctionalInterface
    private interface ResponderStarter {
        Responder start() throws Exception;
    }

    /**
     * A fresh {@code openssl ocsp} process for each run: the end of a wrk run leaves connections
     * closed before their request was sent, which wedge OpenSSL's responder like wrk's probe does.
     */
    private final class OpenSslResponder implements Responder {
        private int port;
        private Process process;

        OpenSslResponder(List<String> template, ReadyCheck ready) throws Exception {
            Path log = dir.resolve("openssl-responder.log");
            // openssl ocsp cannot report a port the system chose, so it gets one of ours and, if
            // another process holds that one, the next: below Linux's ephemeral range (32768 up),
            // where client connections take theirs.
            int first = 20_000 + new SecureRandom().nextInt(10_000);
            for (int attempt = 0; ; attempt++) {
                int candidate = first + attempt;
                List<String> command = template.stream().map(a -> a.equals("PORT") ? Integer.toString(candidate) : a)
                        .toList();
                Files.deleteIfExists(log);
                Process started = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                this.port = candidate;
                this.process = started;
                try {
                    awaitReady(log, ready);
                    return;
                } catch (Exception e) {
                    close();
                    boolean taken = Files.exists(log) && Files.readString(log).contains("in use");
                    if (!taken || attempt == 9) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public int port() {
            return port;
        }

        /**
         * Kills the responder we started and its -multi children: the parent first, so it
         * cannot replace a child, then the children it had (it does not stop them on SIGTERM).
         */
        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle child : children) {
                child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> child).join();
            }
        }

        /**
         * Waits until the responder answers our check. OpenSSL prints ACCEPT once listening (and,
         * without -multi, "waiting for OCSP client connections"); a bare connect probe would
         * wedge it, so readiness is the first successful check after that line.
         */
        private void awaitReady(Path log, ReadyCheck ready) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("openssl ocsp exited with " + process.exitValue() + ":\n"
                            + Files.readString(log));
                }
                if (Files.exists(log) && Files.readString(log).contains("ACCEPT")) {
                    try {
                        ready.check(port);
                        return;
                    } catch (IOException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                    }
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("openssl ocsp did not get ready:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    private double[] measure(String responder, ResponderStarter starter) throws Exception {
        return measure(responder, starter, "post.lua", "one repeated request");
    }

    /** Warm-up and {@link #RUNS} wrk runs; returns {median requests/s, median p99 ms}. */
    private double[] measure(String responder, ResponderStarter starter, String script, String load)
            throws Exception {
        System.out.println();
        System.out.println("--- " + responder + " (" + load + ")");
        try (Responder warm = starter.start()) {
            wrk(url(warm), WARMUP_SECONDS, script);
        }
        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            double[] run;
            try (Responder measured = starter.start()) {
                run = wrk(url(measured), seconds, script);
            }
            runs.add(run);
            System.out.printf("run %d: %.0f requests/s, p99 %.2f ms%n", i + 1, run[0], run[1]);
        }
        List<Double> rates = new ArrayList<>(runs.stream().map(r -> r[0]).toList());
        List<Double> p99s = new ArrayList<>(runs.stream().map(r -> r[1]).toList());
        Collections.sort(rates);
        Collections.sort(p99s);
        String line = String.format("%s | %s | median %.0f requests/s | median p99 %.2f ms | runs %s", responder,
                load, rates.get(RUNS / 2), p99s.get(RUNS / 2), runs.stream()
                        .map(r -> String.format("%.0f/s %.2f ms", r[0], r[1])).toList());
        report.add(line);
        return new double[] {rates.get(RUNS / 2), p99s.get(RUNS / 2)};
    }

    private static String url(Responder responder) {
        return "http://127.0.0.1:" + responder.port() + "/ocsp";
    }

    /** One wrk run; returns {requests per second, p99 latency in ms}. */
    private double[] wrk(String url, int duration, String script) throws Exception {
        String output = exec("wrk", "-t" + WRK_THREADS, "-c" + WRK_CONNECTIONS, "-d" + duration + "s", "-s", script,
                "--latency", url);
        Matcher rate = RATE.matcher(output);
        Matcher p99 = P99.matcher(output);
        if (!rate.find() || !p99.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + output);
        }
        Matcher errors = ERRORS.matcher(output);
        while (errors.find()) {
            System.out.println("  wrk: " + errors.group(1));
        }
        double millis = Double.parseDouble(p99.group(1)) * switch (p99.group(2)) {
            case "us" -> 0.001;
            case "s" -> 1000;
            default -> 1;
        };
        return new double[] {Double.parseDouble(rate.group(1)), millis};
    }

    /** A tool's output whatever its exit code ({@code wrk --version} exits with 1). */
    private String output(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(1, TimeUnit.MINUTES);
        return output;
    }

    private String exec(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}
