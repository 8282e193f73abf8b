package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP on the real server jar changes a profile and the OCSP timing live: after {@code kill -HUP}
 * and the audit record, a new certificate has the profile's new validity and an OCSP answer the
 * new nextUpdate, with no restart; then a profile on a CA the server does not run is refused and
 * the server keeps the settings it had.
 */
class ConfigReloadIT {

    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aReloadedProfileValidityAndOcspNextUpdateApplyToTheNextCertificateAndAnswer() throws Exception {
        Path config = ServerProcess.config(work.resolve("conf"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD));
        Path data = work.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        Path trail = data.resolve("audit").resolve("audit.jsonl");
        X509Certificate issuing = Pem.parseCertificate(get("/ca/sm2-issuing.crt"));

        X509Certificate before = issueDevice("before.example.gov.cn", issuing);
        assertThat(months(before)).as("device-bulk as started: 12 months").isEqualTo(12);
        assertThat(ocspFreshFor(issuing, before.getSerialNumber())).isEqualTo(Duration.ofMinutes(60));

        String shipped = Files.readString(config);
        String device = "  - name: device-bulk\n    type: DEVICE\n";
        String reloaded = shipped.replace("nextUpdateMinutes: 60", "nextUpdateMinutes: 90")
                .replace(device + "    description: \"Device certificate for bulk enrollment: approved automatically when"
                        + " an RA admin submits\"\n    validityMonths: 12\n",
                        device + "    description: \"Device certificate for bulk enrollment: approved automatically when"
                        + " an RA admin submits\"\n    validityMonths: 3\n");
        assertThat(reloaded).as("the edit applies to the shipped file").contains("validityMonths: 3")
                .contains("nextUpdateMinutes: 90");
        Files.writeString(config, reloaded);
        server.hangUp();

        await().atMost(Duration.ofSeconds(60)).until(() -> reloads(trail).size() == 1);
        JsonNode record = reloads(trail).get(0);
        assertThat(record.path("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(record.path("details").path("applied").asText()).isEqualTo("profiles,ocsp.nextUpdateMinutes");
        assertThat(record.path("details").path("restartNeeded").asText()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> server.output()
                .contains("applied profiles, ocsp.nextUpdateMinutes"));

        X509Certificate after = issueDevice("after.example.gov.cn", issuing);
        assertThat(months(after)).as("device-bulk as reloaded: 3 months").isEqualTo(3);
        assertThat(ocspFreshFor(issuing, after.getSerialNumber())).isEqualTo(Duration.ofMinutes(90));
        assertThat(ocspFreshFor(issuing, before.getSerialNumber())).as("every answer, not only new certificates'")
                .isEqualTo(Duration.ofMinutes(90));

        // A profile on a CA this server does not run (configured, not enabled at start): refused, nothing changes.
        Files.writeString(config, reloaded.replace("nextUpdateMinutes: 90", "nextUpdateMinutes: 120")
                .replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true")
                .replace(device, device + "    issuer: ec-issuing\n"));
        server.hangUp();
        await().atMost(Duration.ofSeconds(60)).until(() -> reloads(trail).size() == 2);
        JsonNode refused = reloads(trail).get(1);
        assertThat(refused.path("outcome").asText()).isEqualTo("FAILURE");
        assertThat(refused.path("details").path("refused").asText()).contains("profile 'device-bulk'")
                .contains("ec-issuing").contains("not an issuing CA in service");
        assertThat(ocspFreshFor(issuing, after.getSerialNumber())).isEqualTo(Duration.ofMinutes(90));
        assertThat(months(issueDevice("refused.example.gov.cn", issuing))).isEqualTo(3);
        assertThat(server.isAlive()).isTrue();
    }

    /** Whole calendar months between notBefore and notAfter (the CA clamps nothing here: it lives 20 years). */
    private static long months(X509Certificate certificate) {
        return java.time.temporal.ChronoUnit.MONTHS.between(
                certificate.getNotBefore().toInstant().atOffset(ZoneOffset.UTC),
                certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC));
    }

    /** An RA admin's device-bulk application: approved automatically, so issued at once. */
    private X509Certificate issueDevice(String host, X509Certificate issuing) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Tax Bureau,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(csr));
        body.put("profile", "device-bulk");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Tax Bureau IT");
        body.put("agreementAccepted", true);
        ApiClient api = new ApiClient(server.url("/").getPort(), ADMIN_PASSWORD);
        JsonNode issued = api.postJson("admin", "/api/v1/requests", body, 201);
        assertThat(issued.path("state").asText()).as(issued.toString()).isEqualTo("ISSUED");
        String serial = issued.path("serials").get(0).asText();
        X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCertificate(new java.io.ByteArrayInputStream(api.bytes("admin",
                        "/api/v1/certificates/" + serial + ".pem")));
        certificate.verify(issuing.getPublicKey(), BouncyCastle.PROVIDER);
        return certificate;
    }

    /** nextUpdate minus thisUpdate of the server's OCSP answer for {@code serial} (a request without nonce). */
    private Duration ocspFreshFor(X509Certificate issuing, BigInteger serial) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1)), new JcaX509CertificateHolder(issuing),
                serial);
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(server.url("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new OCSPReqBuilder().addRequest(id).build().getEncoded()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        SingleResp answer = ((BasicOCSPResp) new OCSPResp(response.body()).getResponseObject()).getResponses()[0];
        return Duration.between(answer.getThisUpdate().toInstant(), answer.getNextUpdate().toInstant());
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(server.url(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static List<JsonNode> reloads(Path trail) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String line : Files.readAllLines(trail, StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            if (record.path("type").asText().equals("CONFIG_RELOADED")) {
                found.add(record);
            }
        }
        return found;
    }
}
