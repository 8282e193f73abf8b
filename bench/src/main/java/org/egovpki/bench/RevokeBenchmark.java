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
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.server.EgovPkiServer;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.sync.receiver.SyncReceiverServer;

/**
 * How long a revocation takes to reach relying parties, on the real server in this JVM with the
 * default configuration (embedded directory, {@code ca.crl.afterRevocationSeconds} at its default):
 * after {@code POST /api/v1/certificates/{serial}/revoke} returns, the time until (a) {@code /ocsp}
 * answers revoked for the certificate, (b) the HTTP CRL {@code /crl/<ca>.crl} lists it, (c) the
 * reference sync receiver ({@code egov-pki sync-receiver}, a realtime JSON target) holds its
 * {@code cert.revoked} event. The revocations are made a few seconds apart while all pending ones
 * are polled together (every 20 ms), so the CRL's timer is seen from several points of its cycle.
 *
 * <p>Arguments: revocations (default 6), seconds between them (default 7).
 */
public final class RevokeBenchmark {

    private static final String PASSWORD = "Bench2026pass";
    private static final String CA = "sm2-issuing";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RevokeBenchmark() {
    }

    private static final class Pending {
        final BigInteger serial;
        final long revokedAt;
        double ocsp = -1;
        double crl = -1;
        double sync = -1;

        Pending(BigInteger serial, long revokedAt) {
            this.serial = serial;
            this.revokedAt = revokedAt;
        }

        boolean done() {
            return ocsp >= 0 && crl >= 0 && sync >= 0;
        }
    }

    public static void main(String[] args) throws Exception {
        int revocations = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int spacingSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = Files.createTempDirectory("egov-pki-revoke-bench");
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, "enrollment:\n  initialAdminPassword: " + PASSWORD + "\n");
        EgovPkiConfig settings = ConfigLoader.load(config, ConfigLoader.overrides(dir.resolve("data").toString(), 0, 0));
        System.out.printf("machine: %d cores, %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("config: defaults (embedded directory), ca.crl.afterRevocationSeconds %d (the default), "
                + "sync target realtime JSON; %d revocations %d s apart%n",
                settings.ca().crl().afterRevocation().toSeconds(), revocations, spacingSeconds);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (EgovPkiServer server = EgovPkiServer.start(settings, Clock.systemUTC(), true)) {
            URI base = URI.create("http://127.0.0.1:" + server.httpPort());
            SyncReceiverServer receiver = SyncReceiverServer.start(new SyncReceiverServer.Options(0, base, 0,
                    dir.resolve("receiver"), null), Clock.systemUTC());
            try {
                ObjectNode target = JSON.createObjectNode();
                target.put("id", "bench-revoke");
                target.put("url", "http://127.0.0.1:" + receiver.port() + "/sync");
                target.put("binding", "JSON");
                target.putArray("businessTypes");
                target.put("caIdentifier", "egov-pki-bench");
                target.putObject("authentication").put("type", "none");
                target.put("enabled", true);
                target.put("schedule", "realtime");
                target.put("personalData", false);
                send(http, HttpRequest.newBuilder(base.resolve("/api/v1/sync/targets")).header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(target))), 201);

                X509Certificate issuer = (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCertificate(
                        new ByteArrayInputStream(send(http, HttpRequest.newBuilder(base.resolve("/ca/" + CA + ".crt")),
                                200)));
                List<BigInteger> serials = new ArrayList<>();
                SecureRandom random = new SecureRandom();
                for (int i = 0; i < revocations; i++) {
                    serials.add(issue(http, base, auth, random, i));
                }
                // Warm-up: the OCSP, CRL and receiver paths once before the clock starts.
                ocspRevoked(http, base, issuer, serials.get(0));
                crlLists(http, base, serials.get(0));
                receiverHolds(http, receiver.port(), serials.get(0));

                List<Pending> pending = new ArrayList<>();
                long nextRevocation = System.nanoTime();
                while (pending.size() < revocations || !pending.stream().allMatch(Pending::done)) {
                    long now = System.nanoTime();
                    if (pending.size() < revocations && now >= nextRevocation) {
                        BigInteger serial = serials.get(pending.size());
                        send(http, HttpRequest.newBuilder(base.resolve("/api/v1/certificates/" + serial.toString(16)
                                + "/revoke")).header("Authorization", auth).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"reason\":\"KEY_COMPROMISE\",\"requester\":\"AUTHORISED_REPRESENTATIVE\"}")), 200);
                        pending.add(new Pending(serial, System.nanoTime()));
                        nextRevocation = now + spacingSeconds * 1_000_000_000L;
                    }
                    for (Pending p : pending) {
                        if (p.ocsp < 0 && ocspRevoked(http, base, issuer, p.serial)) {
                            p.ocsp = (System.nanoTime() - p.revokedAt) / 1e6;
                        }
                        if (p.sync < 0 && receiverHolds(http, receiver.port(), p.serial)) {
                            p.sync = (System.nanoTime() - p.revokedAt) / 1e6;
                        }
                    }
                    if (pending.stream().anyMatch(p -> p.crl < 0)) {
                        X509CRL crl = crl(http, base);
                        for (Pending p : pending) {
                            if (p.crl < 0 && crl.getRevokedCertificate(p.serial) != null) {
                                p.crl = (System.nanoTime() - p.revokedAt) / 1e6;
                            }
                        }
                    }
                    if (System.nanoTime() - nextRevocation > 600_000_000_000L) {
                        throw new IllegalStateException("not all revocations seen within 10 minutes");
                    }
                    Thread.sleep(20);
                }
                report("revocation -> /ocsp answers revoked", pending.stream().map(p -> p.ocsp).toList(), 1_000);
                report("revocation -> /crl/" + CA + ".crl lists it", pending.stream().map(p -> p.crl).toList(), 60_000);
                report("revocation -> sync receiver holds cert.revoked", pending.stream().map(p -> p.sync).toList(),
                        65_000);
            } finally {
                receiver.close();
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void report(String what, List<Double> millis, double goal) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2);
        double max = sorted.get(sorted.size() - 1);
        System.out.printf("%s: median %.0f ms, min %.0f ms, max %.0f ms (%d revocations; goal <= %.0f ms: %s)%n", what,
                median, sorted.get(0), max, sorted.size(), goal, max <= goal ? "met" : "NOT met");
    }

    private static BigInteger issue(HttpClient http, URI base, String auth, SecureRandom random, int i)
            throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(random);
        String host = "host-" + i + ".revoke.bench.example.gov.cn";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Bench,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        String body = "{\"csr\":\"" + Base64.getEncoder().encodeToString(csr) + "\",\"profile\":\"device-bulk\","
                + "\"registration\":{\"hostNames\":[\"" + host + "\"],\"owner\":\"Bench\"},\"agreementAccepted\":true}";
        JsonNode issued = JSON.readTree(send(http, HttpRequest.newBuilder(base.resolve("/api/v1/requests"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), 201));
        return new BigInteger(issued.path("serials").get(0).asText(), 16);
    }

    private static boolean ocspRevoked(HttpClient http, URI base, X509Certificate issuer, BigInteger serial)
            throws Exception {
        DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        byte[] request = new OCSPReqBuilder().addRequest(new CertificateID(sha1,
                new X509CertificateHolder(issuer.getEncoded()), serial)).build().getEncoded();
        OCSPResp response = new OCSPResp(send(http, HttpRequest.newBuilder(base.resolve("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)), 200));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IllegalStateException("OCSP status " + response.getStatus());
        }
        return ((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus()
                instanceof RevokedStatus;
    }

    private static X509CRL crl(HttpClient http, URI base) throws Exception {
        return (X509CRL) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCRL(new ByteArrayInputStream(
                send(http, HttpRequest.newBuilder(base.resolve("/crl/" + CA + ".crl")), 200)));
    }

    private static boolean crlLists(HttpClient http, URI base, BigInteger serial) throws Exception {
        return crl(http, base).getRevokedCertificate(serial) != null;
    }

    private static boolean receiverHolds(HttpClient http, int port, BigInteger serial) throws Exception {
        JsonNode received = JSON.readTree(send(http, HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/received")), 200));
        for (JsonNode event : received.path("events")) {
            if (event.path("type").asText().equals("cert.revoked") && event.hasNonNull("serial")
                    && serial.equals(new BigInteger(event.path("serial").asText(), 16))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] send(HttpClient http, HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + ": "
                    + response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }
}
