package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.assertj.core.api.SoftAssertions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.km.CsrResponse;
import org.egovpki.core.km.EnvelopedKeys;
import org.egovpki.core.km.SkfEnvelopedKeyBlob;
import org.egovpki.core.km.Sm2EnvelopedKey;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key management centre on the real server jar: a dual profile's approval issues both
 * certificates, the key delivery opens with the token's signing key in all three formats (and
 * with OpenSSL), subscriber recovery runs through the CLI with two different KM approvers and a
 * one-time code, a judicial file opens only with the officer's key, and the directory keeps
 * ou=km from everyone but the KM.
 */
class KmIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String PASSWORD = "Operator2026pw";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static Path passwordFile;
    private static KeyPair token;
    private static JsonNode delivery;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: Root2026pass"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        server.addOperator(config, "kmadmin1", "KM_BUSINESS_ADMIN", passwordFile);
        server.addOperator(config, "kmop1", "KM_OPERATOR", passwordFile);
        server.addOperator(config, "kmop2", "KM_OPERATOR", passwordFile);
        server.addOperator(config, "auditor1", "AUDITOR", passwordFile);
        api = server.api(PASSWORD);

        token = KeyAlgorithm.SM2.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=Zhang San,O=egov-pki test,C=CN"), token.getPublic()).build(
                new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(token.getPrivate())).getEncoded()));
        body.put("profile", "personal-dual");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", "Zhang San");
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", "11010519491231002X");
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        String id = api.postJson("clerk1", "/api/v1/requests", body, 201).path("id").asText();
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + id + "/approve",
                ApiClient.JSON.createObjectNode(), 200);
        assertThat(issued.path("serials")).hasSize(2);
        delivery = api.json("clerk1", "/api/v1/requests/" + id + "/key-delivery");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] b64(String field) {
        return Base64.getDecoder().decode(delivery.path(field).asText());
    }

    private static X509Certificate encryptionCertificate() {
        return Pem.parseCertificate(b64("encryptCertificate"));
    }

    private static java.security.spec.ECPoint point(java.security.PublicKey key) {
        return ((ECPublicKey) key).getW();
    }

    @Test
    void theDeliveredKeyOpensWithTheSigningKeyInAllThreeFormats() {
        java.security.spec.ECPoint certified = point(encryptionCertificate().getPublicKey());

        assertThat(point(EnvelopedKeys.open(Sm2EnvelopedKey.parse(b64("sm2EnvelopedKey")), token.getPrivate())
                .getPublic())).isEqualTo(certified);
        CsrResponse response = CsrResponse.parse(b64("csrResponse"));
        assertThat(point(EnvelopedKeys.open(response.encryptedPrivateKey(), token.getPrivate()).getPublic()))
                .isEqualTo(certified);
        assertThat(point(EnvelopedKeys.open(SkfEnvelopedKeyBlob.decode(b64("envelopedKeyBlob")), token.getPrivate())
                .getPublic())).isEqualTo(certified);
        X509Certificate sign = Pem.parseCertificate(b64("signCertificate"));
        assertThat(encryptionCertificate().getSubjectX500Principal()).isEqualTo(sign.getSubjectX500Principal());
        assertThat(encryptionCertificate().getKeyUsage()[2]).as("keyEncipherment").isTrue();
    }

    @Test
    void openSslOpensTheEnvelopeWithTheSigningKeyAndAcceptsTheEncryptionCertificate() throws Exception {
        Assumptions.assumeTrue(Tools.openSsl(), "openssl not on PATH");
        Sm2EnvelopedKey envelope = Sm2EnvelopedKey.parse(b64("sm2EnvelopedKey"));
        Path dir = Files.createTempDirectory(tmp, "openssl");
        Files.write(dir.resolve("cipher.der"), envelope.symEncryptedKey().encoded());
        Files.writeString(dir.resolve("sign.pem"), pem("PRIVATE KEY", token.getPrivate().getEncoded()));
        Files.write(dir.resolve("encpriv.bin"), envelope.encryptedPrivateKey());

        Tools.run("openssl", "pkeyutl", "-decrypt", "-inkey", dir.resolve("sign.pem").toString(), "-in",
                dir.resolve("cipher.der").toString(), "-out", dir.resolve("sm4.key").toString());
        String sm4 = HexFormat.of().formatHex(Files.readAllBytes(dir.resolve("sm4.key")));
        assertThat(sm4).hasSize(32);
        Tools.run("openssl", "enc", "-d", "-sm4-ecb", "-nopad", "-K", sm4, "-in", dir.resolve("encpriv.bin").toString(),
                "-out", dir.resolve("scalar.bin").toString());
        BigInteger scalar = new BigInteger(1, Files.readAllBytes(dir.resolve("scalar.bin")));
        KeyPair opened = EnvelopedKeys.open(envelope, token.getPrivate());
        assertThat(scalar).isEqualTo(((java.security.interfaces.ECPrivateKey) opened.getPrivate()).getS());

        byte[] issuing = api.bytes("clerk1", "/api/v1/certificates/" + encryptionCertificate().getSerialNumber()
                .toString(16) + ".pem");
        Files.write(dir.resolve("enc.pem"), issuing);
        Files.write(dir.resolve("issuing.pem"), api.bytes(null, "/ca/sm2-issuing.pem"));
        assertThat(Tools.run("openssl", "verify", "-partial_chain", "-vfyopt", "distid:1234567812345678", "-CAfile",
                dir.resolve("issuing.pem").toString(), dir.resolve("enc.pem").toString())).contains("OK");
    }

    @Test
    void bothCertificatesArePublishedOnTheSubscriberEntry() throws Exception {
        try (LDAPConnection anonymous = server.anonymous()) {
            SearchResult result = anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                    "(userCertificate=*)", "userCertificate;binary");
            assertThat(result.getSearchEntries()).hasSize(1);
            assertThat(result.getSearchEntries().get(0).getAttribute("userCertificate;binary").getValues()).hasSize(2);
        }
    }

    @Test
    void onlyTheKmAccountSeesOuKm() throws Exception {
        try (LDAPConnection anonymous = server.anonymous();
             LDAPConnection ca = server.caService();
             LDAPConnection km = server.kmService()) {
            assertThat(escrowedKeys(km)).as("the KM sees its key").isGreaterThanOrEqualTo(1);
            assertThat(escrowedKeys(ca)).as("the CA account sees nothing under ou=km").isZero();
            assertThat(escrowedKeys(anonymous)).as("anonymous sees nothing under ou=km").isZero();
        }
    }

    private static int escrowedKeys(LDAPConnection connection) {
        try {
            return connection.search("ou=km," + BASE, SearchScope.SUB, "(objectClass=egovEscrowedKey)")
                    .getEntryCount();
        } catch (LDAPException e) {
            // Refused outright (insufficient access, or ou=km hidden as no such object): nothing seen.
            return 0;
        }
    }

    @Test
    void theSubscriberRecoversTheKeyToANewTokenThroughTheCliOnce() throws Exception {
        String serial = encryptionCertificate().getSerialNumber().toString(16);
        JsonNode requested = json(cli("km", "request", "--issuer", "sm2-issuing", "--serial", serial, "--reason",
                "USB key lost", "--user", "clerk1"), 0);
        String id = requested.path("id").asText();
        json(cli("km", "approve", "--id", id, "--user", "kmadmin1"), 0);
        ServerProcess twice = cli("km", "approve", "--id", id, "--user", "kmadmin1");
        assertThat(twice.awaitExit(Duration.ofSeconds(60))).as(twice.output()).isEqualTo(3);
        assertThat(twice.output()).contains("different person");
        String code = json(cli("km", "approve", "--id", id, "--user", "kmop1"), 0).path("challengeCode").asText();
        assertThat(code).isNotBlank();

        KeyPair newToken = KeyAlgorithm.SM2.generate(RANDOM);
        Path publicKey = tmp.resolve("new-token.pub");
        Files.writeString(publicKey, pem("PUBLIC KEY", newToken.getPublic().getEncoded()));
        Path envelope = tmp.resolve("recovered.der");
        ServerProcess download = ServerProcess.launch(server.data, "km", "download", "--id", id, "--code", code,
                "--public-key", publicKey.toString(), "--out", envelope.toString(), "--url",
                server.baseUrl());
        assertThat(download.awaitExit(Duration.ofSeconds(60))).as(download.output()).isZero();
        Path newKey = tmp.resolve("new-token.key");
        Files.writeString(newKey, pem("PRIVATE KEY", newToken.getPrivate().getEncoded()));
        Path opened = tmp.resolve("opened.pem");
        ServerProcess open = ServerProcess.launch(server.data, "km", "open", "--envelope", envelope.toString(),
                "--key", newKey.toString(), "--out", opened.toString());
        assertThat(open.awaitExit(Duration.ofSeconds(60))).as(open.output()).isZero();
        java.security.PrivateKey recovered = KeyFactory.getInstance("EC", BouncyCastle.PROVIDER).generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(Files.readString(opened)
                        .replaceAll("-----[A-Z ]+-----", "").strip())));
        assertThat(((java.security.interfaces.ECPrivateKey) recovered).getS()).isEqualTo(((java.security.interfaces
                .ECPrivateKey) EnvelopedKeys.open(Sm2EnvelopedKey.parse(b64("sm2EnvelopedKey")), token.getPrivate())
                .getPrivate()).getS());

        ServerProcess again = ServerProcess.launch(server.data, "km", "download", "--id", id, "--code", code,
                "--public-key", publicKey.toString(), "--out", tmp.resolve("again.der").toString(), "--url",
                server.baseUrl());
        assertThat(again.awaitExit(Duration.ofSeconds(60))).as("a used code").isEqualTo(3);
        assertThat(again.output()).contains("already used");
        assertThat(Files.exists(tmp.resolve("again.der"))).isFalse();
    }

    @Test
    void aJudicialFileOpensOnlyWithTheOfficersKey() throws Exception {
        KeyPair officer = KeyAlgorithm.SM2.generate(RANDOM);
        X500Name name = new X500Name("CN=Officer Chen,O=Zhengzhou Intermediate Court,C=CN");
        Instant now = Instant.now();
        X509Certificate officerCert = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                .getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), name,
                        officer.getPublic()).build(new JcaContentSignerBuilder("SM3WITHSM2")
                        .setProvider(BouncyCastle.PROVIDER).build(officer.getPrivate())));
        ObjectNode body = ApiClient.JSON.createObjectNode().put("kind", "JUDICIAL").put("issuer", "sm2-issuing")
                .put("serial", encryptionCertificate().getSerialNumber().toString(16))
                .put("reason", "evidence in a criminal case").put("legalDocumentRef", "(2026) Yu 01 Xing Chu 117")
                .put("officerCertificate", pem("CERTIFICATE", officerCert.getEncoded()));
        String id = api.postJson("kmop2", "/api/v1/km/recoveries", body, 201).path("id").asText();
        assertThat(api.get("kmadmin1", "/api/v1/km/recoveries/" + id + "/judicial-file").statusCode()).isEqualTo(403);
        api.postJson("kmadmin1", "/api/v1/km/recoveries/" + id + "/approve", ApiClient.JSON.createObjectNode(), 200);
        api.postJson("kmop1", "/api/v1/km/recoveries/" + id + "/approve", ApiClient.JSON.createObjectNode(), 200);

        byte[] file = api.bytes("kmadmin1", "/api/v1/km/recoveries/" + id + "/judicial-file");

        assertThat(point(EnvelopedKeys.open(Sm2EnvelopedKey.parse(file), officer.getPrivate()).getPublic()))
                .isEqualTo(point(encryptionCertificate().getPublicKey()));
        assertThatThrownBy(() -> EnvelopedKeys.open(Sm2EnvelopedKey.parse(file), token.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class);
        JsonNode record = api.json("kmadmin1", "/api/v1/km/recoveries/" + id);
        assertThat(record.path("state").asText()).isEqualTo("RECOVERED");
        assertThat(record.path("legalDocumentRef").asText()).isEqualTo("(2026) Yu 01 Xing Chu 117");
        assertThat(record.path("approvals")).hasSize(2);
    }

    @Test
    void theKeyDeliveryAndTheRecoveryRequestsAreReadOnlyByTheirRoles() throws Exception {
        String request = delivery.path("request").asText();
        ObjectNode body = ApiClient.JSON.createObjectNode().put("kind", "SUBSCRIBER").put("issuer", "sm2-issuing")
                .put("serial", encryptionCertificate().getSerialNumber().toString(16)).put("reason", "token broken");
        String id = api.postJson("clerk1", "/api/v1/km/recoveries", body, 201).path("id").asText();

        SoftAssertions refusals = new SoftAssertions();
        for (String other : java.util.List.of("kmadmin1", "kmop1", "auditor1", "reviewer1")) {
            java.net.http.HttpResponse<byte[]> refused = api.get(other, "/api/v1/requests/" + request
                    + "/key-delivery");
            refusals.assertThat(refused.statusCode()).as("key delivery to " + other).isEqualTo(403);
            refusals.assertThat(ApiClient.text(refused)).as("key delivery to " + other).contains("ENTRY_CLERK")
                    .doesNotContain("sm2EnvelopedKey").doesNotContain(delivery.path("sm2EnvelopedKey").asText());
        }
        for (String path : java.util.List.of("/api/v1/km/recoveries", "/api/v1/km/recoveries/" + id)) {
            java.net.http.HttpResponse<byte[]> refused = api.get("clerk1", path);
            refusals.assertThat(refused.statusCode()).as(path + " to clerk1").isEqualTo(403);
            refusals.assertThat(ApiClient.text(refused)).as(path + " to clerk1").contains("KM_BUSINESS_ADMIN")
                    .doesNotContain(id).doesNotContain("token broken");
        }
        refusals.assertAll();

        assertThat(api.json("clerk1", "/api/v1/requests/" + request + "/key-delivery").path("sm2EnvelopedKey")
                .asText()).isEqualTo(delivery.path("sm2EnvelopedKey").asText());
        for (String reader : java.util.List.of("kmadmin1", "kmop1", "auditor1")) {
            assertThat(api.json(reader, "/api/v1/km/recoveries/" + id).path("reason").asText())
                    .isEqualTo("token broken");
            assertThat(api.json(reader, "/api/v1/km/recoveries?state=SUBMITTED").path("recoveries")
                    .findValuesAsText("id")).contains(id);
        }
    }

    /** Here rather than in an enrollment IT: this server already has operators of the KM roles and an auditor. */
    @Test
    void enrollmentRequestsAreNotReadByKmRolesButByTheRaAndTheAuditor() throws Exception {
        String request = delivery.path("request").asText();
        SoftAssertions refusals = new SoftAssertions();
        for (String path : java.util.List.of("/api/v1/requests?state=ISSUED", "/api/v1/requests/" + request)) {
            java.net.http.HttpResponse<byte[]> refused = api.get("kmop1", path);
            refusals.assertThat(refused.statusCode()).as(path + " to kmop1").isEqualTo(403);
            refusals.assertThat(ApiClient.text(refused)).as(path + " to kmop1").contains("REVIEWER")
                    .doesNotContain("Zhang San");
        }
        refusals.assertAll();
        for (String reader : java.util.List.of("clerk1", "reviewer1", "auditor1")) {
            assertThat(api.json(reader, "/api/v1/requests/" + request).path("registration").path("realName").asText())
                    .isEqualTo("Zhang San");
        }
        assertThat(api.json("auditor1", "/api/v1/requests/" + request).path("registration").path("idNumber").asText())
                .as("masked for the auditor").isEqualTo("110***********002X");
    }

    private static ServerProcess cli(String... args) {
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--password-file", passwordFile.toString(), "--url", server.baseUrl()))
                .toArray(String[]::new);
        return ServerProcess.launch(server.data, all);
    }

    private static JsonNode json(ServerProcess cli, int exit) throws Exception {
        assertThat(cli.awaitExit(Duration.ofSeconds(60))).as(cli.output()).isEqualTo(exit);
        String output = cli.output();
        return ApiClient.JSON.readTree(output.substring(output.indexOf('{'), output.lastIndexOf('}') + 1));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

}
