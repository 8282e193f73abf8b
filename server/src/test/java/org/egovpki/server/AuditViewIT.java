package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's view on the real server jar: operators made with {@code operator add}, an auditor
 * reading the trail over REST and finding its own read audited, a clerk refused, and the signed
 * export through the CLI ({@code audit export}, a REST client) checked offline with
 * {@code audit verify-export} against the root the server publishes — and refused once changed.
 */
class AuditViewIT {

    private static final String PASSWORD = "Root2026pass";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "auditor1", "AUDITOR", passwordFile);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anAuditorReadsTheTrailAndSeesItsOwnReadAudited() throws Exception {
        JsonNode first = api.json("auditor1", "/api/v1/audit?limit=3&subject=sm2-issuing");
        assertThat(first.path("entries")).isNotEmpty();
        assertThat(first.path("entries").get(0).path("subjects").toString()).contains("sm2-issuing");

        JsonNode reads = api.json("auditor1", "/api/v1/audit?type=AUDIT_TRAIL_READ&limit=2");

        JsonNode own = reads.path("entries").get(0);
        JsonNode earlier = reads.path("entries").get(1);
        assertThat(own.path("actor").asText()).startsWith("uid=auditor1,");
        assertThat(own.path("details").path("type").asText()).isEqualTo("AUDIT_TRAIL_READ");
        assertThat(own.path("details").path("limit").asText()).isEqualTo("2");
        assertThat(earlier.path("actor").asText()).startsWith("uid=auditor1,");
        assertThat(earlier.path("details").path("subject").asText()).isEqualTo("sm2-issuing");
        assertThat(earlier.path("details").path("limit").asText()).isEqualTo("3");
        assertThat(earlier.path("sequence").asLong()).isLessThan(own.path("sequence").asLong());
    }

    @Test
    void aClerkIsRefusedWithAClearMessageAndTheRefusalIsAudited() throws Exception {
        HttpResponse<byte[]> refused = api.get("clerk1", "/api/v1/audit");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).isEqualTo("operator clerk1 may not read "
                + "the audit trail: only an auditor or a business admin (CA_ADMIN, RA_ADMIN, KM_BUSINESS_ADMIN) may");
        JsonNode failures = api.json("auditor1", "/api/v1/audit?type=AUDIT_TRAIL_READ&limit=1000");
        boolean found = false;
        for (JsonNode e : failures.path("entries")) {
            found |= e.path("actor").asText().startsWith("uid=clerk1,") && e.path("outcome").asText().equals("FAILURE");
        }
        assertThat(found).as(failures.toString()).isTrue();
    }

    @Test
    void anExportThroughTheCliVerifiesOfflineAgainstThePublishedRootAndAChangedLineIsRefused() throws Exception {
        Path bundle = tmp.resolve("audit-export.zip");
        String from = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String to = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();

        ServerProcess export = server.cli("audit", "export", "--url", server.baseUrl(), "--user", "auditor1",
                "--password-file", passwordFile.toString(), "--from", from, "--to", to, "--zone", "UTC",
                "--out", bundle.toString());
        assertThat(export.exitValue()).as(export.output()).isZero();
        assertThat(export.output()).contains("wrote " + bundle).contains("signed by CA sm2-issuing");

        Path root = tmp.resolve("root.pem");
        Files.write(root, api.bytes(null, "/ca/sm2-root.pem"));
        ServerProcess verify = server.cli("audit", "verify-export", bundle.toString(), "--trust", root.toString());
        assertThat(verify.exitValue()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("intact: the signature, the certificate chain, the hashes and the audit "
                + "hash chain verify").contains("exported by uid=auditor1,");

        JsonNode exports = api.json("auditor1", "/api/v1/audit?type=AUDIT_TRAIL_EXPORTED&limit=1");
        assertThat(exports.path("entries").get(0).path("actor").asText()).startsWith("uid=auditor1,");

        Path changed = tmp.resolve("changed.zip");
        Files.write(changed, withChangedLine(Files.readAllBytes(bundle)));
        ServerProcess refused = server.cli("audit", "verify-export", changed.toString(), "--trust", root.toString());
        assertThat(refused.exitValue()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("PROBLEM: audit.jsonl is not the file the manifest names")
                .contains("NOT INTACT");

        ServerProcess clerk = server.cli("audit", "export", "--url", server.baseUrl(), "--user", "clerk1",
                "--password-file", passwordFile.toString(), "--from", from, "--to", to, "--out",
                tmp.resolve("clerk.zip").toString());
        assertThat(clerk.exitValue()).as(clerk.output()).isEqualTo(3);
        assertThat(clerk.output()).contains("HTTP 403");
        assertThat(tmp.resolve("clerk.zip")).doesNotExist();
    }

    @Test
    void theTrailAnswersNoIdNumberOrChallengePhraseWholeNotEvenOneAnAuditorSearchedFor() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(new SecureRandom());
        HttpResponse<byte[]> accepted = api.postJson("clerk1", "/api/v1/requests",
                personal("11010519491231002X", key));
        assertThat(accepted.statusCode()).as(ApiClient.text(accepted)).isEqualTo(201);
        HttpResponse<byte[]> refused = api.postJson("clerk1", "/api/v1/requests", personal("11010519491231002Y", key));
        assertThat(refused.statusCode()).as(ApiClient.text(refused)).isEqualTo(400);
        api.json("auditor1", "/api/v1/audit?subject=11010519491231002X");

        StringBuilder everything = new StringBuilder();
        String cursor = null;
        do {
            JsonNode page = api.json("auditor1", "/api/v1/audit?order=oldest&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            everything.append(page.path("entries"));
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);

        assertThat(everything).contains("REQUEST_SUBMITTED").contains("110***********002X")
                .doesNotContain("11010519491231002X").doesNotContain("11010519491231002Y")
                .doesNotContain("my secret phrase");
    }

    private static ObjectNode personal(String idNumber, KeyPair key) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=Zhang San,O=egov-pki test,C=CN"), key.getPublic())
                .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate()));
        body.put("csr", Base64.getEncoder().encodeToString(csr.getEncoded()));
        body.put("profile", "personal");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", "Zhang San");
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        registration.put("phone", "+86 371 6000 0000");
        body.put("businessType", "tax");
        body.put("region", "410000");
        body.put("publishOptOut", false);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }

    /** The bundle with one character of its first line changed, everything else as it was. */
    private static byte[] withChangedLine(byte[] bundle) throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                members.put(entry.getName(), zip.readAllBytes());
            }
        }
        String lines = new String(members.get("audit.jsonl"), StandardCharsets.UTF_8);
        members.put("audit.jsonl", lines.replaceFirst("\"outcome\":\"SUCCESS\"", "\"outcome\":\"FAILURE\"")
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                zip.putNextEntry(new ZipEntry(m.getKey()));
                zip.write(m.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
