package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal, rekey and replacement on the real server jar: renewal over REST keeps key and subject
 * and leaves the original valid; a rekey proven with an SM2 CMS signature by the old key and a
 * replacement entered with the {@code egov-pki certificate replace} command supersede the original;
 * refusals leave no request behind; the directory shows each request's kind and original serial.
 */
class LifecycleIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final String PASSWORD = "Operator2026pw";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static Path config;
    private static Path passwordFile;

    @BeforeAll
    static void start() throws Exception {
        // A one-month profile and a 60-day window, so a certificate issued now is already renewable.
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("  renewalWindowBeforeDays: 30", "  renewalWindowBeforeDays: 60"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n  - name: personal-short\n    type: PERSONAL\n"
                        + "    validityMonths: 1\n    identityExtensions: BOTH\n"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        server.addOperator(config, "ra1", "RA_ADMIN", passwordFile);
        // One person holding both roles: it may review others' requests, never its own.
        ServerProcess both = server.cli("operator", "add", "--config", config.toString(), "--data",
                server.data.toString(), "--ldap-port", "0", "--uid", "rarev1", "--name", "rarev1", "--role", "RA_ADMIN",
                "--role", "REVIEWER", "--password-file", passwordFile.toString());
        assertThat(both.output()).contains("created operator uid=rarev1");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aRenewalOverRestKeepsKeyAndSubjectAndLeavesTheOriginalValid() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String subject = "CN=Zhang San,O=egov-pki test,C=CN";
        JsonNode original = issue("Zhang San", "11010519491231002X", key);
        String serial = original.path("serial").asText();

        HttpResponse<byte[]> response = post("clerk1", "/api/v1/certificates/" + serial + "/renew?issuer=sm2-issuing",
                JSON.createObjectNode().put("csr", csr(key, subject)));

        JsonNode renewal = json(response, 201);
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/requests/" + renewal.path("id").asText());
        assertThat(renewal.path("state").asText()).isEqualTo("ISSUED");
        assertThat(renewal.path("kind").asText()).isEqualTo("RENEWAL");
        assertThat(renewal.path("originalSerial").asText()).isEqualTo(serial);
        String newSerial = renewal.path("serials").get(0).asText();
        assertThat(newSerial).isNotEqualTo(serial);
        X509Certificate before = certificate(serial);
        X509Certificate after = certificate(newSerial);
        assertThat(after.getPublicKey().getEncoded()).isEqualTo(before.getPublicKey().getEncoded());
        assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        assertThat(after.getNotBefore()).isAfterOrEqualTo(before.getNotBefore());
        after.verify(certificate("/ca/sm2-issuing.crt", null).getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(get("clerk1", "/api/v1/certificates/" + serial).path("status").asText()).isEqualTo("VALID");

        SearchResultEntry entry = requestEntry(renewal.path("id").asText());
        assertThat(entry.getAttributeValue("egovRequestKind")).isEqualTo("RENEWAL");
        assertThat(entry.getAttributeValue("egovOriginalSerial")).isEqualTo(serial);
    }

    /**
     * A replacement certifies a key nothing of the subscriber's vouches for: it waits for a second
     * person (002 §3.7). Issued at once, it let one RA admin certify a key of its own under anyone's
     * subject and revoke theirs.
     */
    @Test
    void aReplacementEnteredWithTheCliWaitsForAReviewerThenKeepsTheNotAfterAndSupersedesTheOriginal()
            throws Exception {
        JsonNode original = issue("Li Si", "440524198001010013", KeyAlgorithm.SM2.generate(RANDOM));
        String serial = original.path("serial").asText();
        Path csr = tmp.resolve("replacement.pem");
        KeyPair newKey = KeyAlgorithm.SM2.generate(RANDOM);
        Files.writeString(csr, "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        Base64.getDecoder().decode(csr(newKey, "CN=Li Si,O=egov-pki test,C=CN")))
                + "\n-----END CERTIFICATE REQUEST-----\n");

        ServerProcess cli = ServerProcess.launch(server.data, "certificate", "replace", "--serial", serial,
                "--csr", csr.toString(), "--reason", "USB key lost", "--user", "rarev1", "--password-file",
                passwordFile.toString(), "--url", server.baseUrl());

        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as(cli.output()).isZero();
        JsonNode entered = JSON.readTree(cli.output().substring(cli.output().indexOf('{')));
        assertThat(entered.path("kind").asText()).isEqualTo("REPLACEMENT");
        assertThat(entered.path("state").asText()).isEqualTo("SUBMITTED");
        assertThat(entered.path("serials")).isEmpty();
        String id = entered.path("id").asText();
        assertThat(get("ra1", "/api/v1/certificates/" + serial).path("status").asText()).isEqualTo("VALID");

        // The admin who entered it holds REVIEWER too, and still cannot approve it: nothing changes.
        JsonNode own = json(post("rarev1", "/api/v1/requests/" + id + "/approve", JSON.createObjectNode()), 403);
        assertThat(own.path("message").asText()).contains("a second person must review it");
        assertThat(get("rarev1", "/api/v1/requests/" + id).path("state").asText()).isEqualTo("SUBMITTED");
        assertThat(get("ra1", "/api/v1/certificates/" + serial).path("status").asText()).isEqualTo("VALID");

        JsonNode replacement = json(post("reviewer1", "/api/v1/requests/" + id + "/approve",
                JSON.createObjectNode()), 200);
        assertThat(replacement.path("state").asText()).isEqualTo("ISSUED");
        String newSerial = replacement.path("serials").get(0).asText();
        JsonNode replaced = get("ra1", "/api/v1/certificates/" + newSerial);
        assertThat(replaced.path("notAfter").asText()).isEqualTo(original.path("notAfter").asText());
        assertThat(certificate(newSerial).getPublicKey().getEncoded()).isEqualTo(newKey.getPublic().getEncoded());
        JsonNode old = get("ra1", "/api/v1/certificates/" + serial);
        assertThat(old.path("status").asText()).isEqualTo("REVOKED");
        assertThat(old.path("revocation").path("reason").asText()).isEqualTo("superseded");
        assertThat(old.path("revocation").path("channel").asText()).isEqualTo("SUPERSEDED");

        // A clerk may not replace: the command exits 3 and says why.
        ServerProcess refused = ServerProcess.launch(server.data, "certificate", "replace", "--serial",
                newSerial, "--csr", csr.toString(), "--user", "clerk1", "--password-file", passwordFile.toString(),
                "--url", server.baseUrl());
        assertThat(refused.awaitExit(Duration.ofSeconds(60))).as(refused.output()).isEqualTo(3);
        assertThat(refused.output()).contains("HTTP 403 FORBIDDEN").contains("RA or CA admin");
    }

    @Test
    void aRekeyProvenByTheOldSm2KeySupersedesTheOriginal() throws Exception {
        KeyPair oldKey = KeyAlgorithm.SM2.generate(RANDOM);
        JsonNode original = issue("Wang Wu", "110105198503120020", oldKey);
        String serial = original.path("serial").asText();
        KeyPair newKey = KeyAlgorithm.SM2.generate(RANDOM);
        String csr = csr(newKey, "CN=Wang Wu,O=egov-pki test,C=CN");

        JsonNode rekey = json(post("clerk1", "/api/v1/certificates/" + serial + "/rekey", JSON.createObjectNode()
                .put("csr", csr).put("proof", proof(certificate(serial), oldKey, Base64.getDecoder().decode(csr)))), 201);

        assertThat(rekey.path("kind").asText()).isEqualTo("REKEY");
        assertThat(certificate(rekey.path("serials").get(0).asText()).getPublicKey().getEncoded())
                .isEqualTo(newKey.getPublic().getEncoded());
        assertThat(get("clerk1", "/api/v1/certificates/" + serial).path("revocation").path("reason").asText())
                .isEqualTo("superseded");
    }

    @Test
    void refusedRenewalsSayWhatToDoAndLeaveNoRequestBehind() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        JsonNode original = issue("Sun Qi", "410102199001011234", key);
        String serial = original.path("serial").asText();
        String subject = "CN=Sun Qi,O=egov-pki test,C=CN";
        int before = countRequests();

        JsonNode otherKey = json(post("clerk1", "/api/v1/certificates/" + serial + "/renew",
                JSON.createObjectNode().put("csr", csr(KeyAlgorithm.SM2.generate(RANDOM), subject))), 400);
        assertThat(otherKey.path("field").asText()).isEqualTo("csr");
        assertThat(otherKey.path("message").asText()).contains("a renewal keeps the key");

        // Once revoked (here by a replacement, reviewed), the certificate can no longer be renewed.
        JsonNode replacement = json(post("ra1", "/api/v1/certificates/" + serial + "/replace",
                JSON.createObjectNode().put("csr", csr(KeyAlgorithm.SM2.generate(RANDOM), subject))), 201);
        json(post("reviewer1", "/api/v1/requests/" + replacement.path("id").asText() + "/approve",
                JSON.createObjectNode()), 200);
        int afterReplacement = countRequests();
        JsonNode revoked = json(post("clerk1", "/api/v1/certificates/" + serial + "/renew",
                JSON.createObjectNode().put("csr", csr(key, subject))), 409);
        assertThat(revoked.path("message").asText()).contains("revoked").contains("a new application is needed");

        JsonNode unknownField = json(post("clerk1", "/api/v1/certificates/" + serial + "/renew",
                JSON.createObjectNode().put("csr", csr(key, subject)).put("notAfter", "2099-01-01T00:00:00Z")), 400);
        assertThat(unknownField.path("field").asText()).isEqualTo("notAfter");

        assertThat(afterReplacement).isEqualTo(before + 1);
        assertThat(countRequests()).as("refusals store nothing").isEqualTo(afterReplacement);
    }

    // --- helpers ---

    /** Submits as clerk1, approves as reviewer1 and returns the certificate's JSON record. */
    private static JsonNode issue(String name, String idNumber, KeyPair key) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", csr(key, "CN=" + name + ",O=egov-pki test,C=CN"));
        body.put("profile", "personal-short");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        JsonNode submitted = json(post("clerk1", "/api/v1/requests", body), 201);
        JsonNode issued = json(post("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                JSON.createObjectNode()), 200);
        return get("clerk1", "/api/v1/certificates/" + issued.path("serials").get(0).asText());
    }

    private static String csr(KeyPair key, String subject) throws Exception {
        return Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject),
                key.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded());
    }

    /** The old key's signature over the new request: CMS SignedData, SM3withSM2, content encapsulated. */
    private static String proof(X509Certificate old, KeyPair oldKey, byte[] csrDer) throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                .setProvider(BouncyCastle.PROVIDER).build()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                .setProvider(BouncyCastle.PROVIDER).build(oldKey.getPrivate()), old));
        generator.addCertificates(new JcaCertStore(List.of(old)));
        return Base64.getEncoder().encodeToString(generator.generate(new CMSProcessableByteArray(csrDer), true)
                .getEncoded());
    }

    private static X509Certificate certificate(String serial) throws Exception {
        return certificate("/api/v1/certificates/" + serial + ".der", "clerk1");
    }

    private static X509Certificate certificate(String path, String operator) throws Exception {
        HttpResponse<byte[]> response = api.get(operator, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return Pem.parseCertificate(response.body());
    }

    private static SearchResultEntry requestEntry(String id) throws Exception {
        try (LDAPConnection admin = admin()) {
            return admin.getEntry("egovRequestId=" + id + ",ou=requests," + BASE);
        }
    }

    private static int countRequests() throws Exception {
        try (LDAPConnection admin = admin()) {
            return admin.search("ou=requests," + BASE, SearchScope.ONE, "(objectClass=egovEnrollmentRequest)", "1.1")
                    .getEntryCount();
        }
    }

    private static LDAPConnection admin() throws Exception {
        return server.directoryAdmin();
    }

    private static HttpResponse<byte[]> post(String operator, String path, JsonNode body) throws Exception {
        return api.post(operator, path, "application/json", JSON.writeValueAsBytes(body));
    }

    private static JsonNode get(String operator, String path) throws Exception {
        return json(api.get(operator, path), 200);
    }

    private static JsonNode json(HttpResponse<byte[]> response, int status) throws Exception {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(response.statusCode()).as(response.request().uri() + ": " + text).isEqualTo(status);
        return JSON.readTree(text);
    }
}
