package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.egovpki.directory.openldap.Slapd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar against a real OpenLDAP: a slapd as {@code apt-get install slapd} leaves it, prepared with
 * the jar's own {@code directory prepare-openldap} and {@code ldapmodify}, then {@code serve} with
 * {@code ldap.external}. The core flows run as on the embedded directory: operators made by
 * {@code operator add}, enrollment approved by a reviewer's decision entry added over LDAP and over
 * REST, issuance, the certificate found anonymously in the directory, revocation, OCSP revoked at once,
 * the CRL published into the directory, the sync outbox, dual-certificate issuance with the key escrowed
 * under ou=km, and {@code audit verify} against the anchors in slapd.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenLdapIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final String PASSWORD = "Operator2026pw";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path tmp;

    private static Slapd slapd;
    private static ServerProcess server;
    private static ApiClient api;
    private static Path config;
    private static String caPassword;
    private static String kmPassword;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("slapd"));
        slapd = Slapd.startFresh(work);
        caPassword = HexFormat.of().formatHex(bytes(24));
        kmPassword = HexFormat.of().formatHex(bytes(24));
        Path caFile = Files.writeString(tmp.resolve("ca-service.password"), caPassword + "\n");
        Path kmFile = Files.writeString(tmp.resolve("km-service.password"), kmPassword + "\n");
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    failureWindowSeconds: 900\n", "    failureWindowSeconds: 900\n"
                        + "  external:\n    urls: [ldap://127.0.0.1:" + slapd.port() + "]\n"
                        + "    caPasswordFile: " + caFile + "\n    kmPasswordFile: " + kmFile + "\n"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("  approvalPollMillis: 1000", "  approvalPollMillis: 200"),
                yaml -> yaml.replace("    afterRevocationSeconds: 60", "    afterRevocationSeconds: 1"));
        Path data = tmp.resolve("data");

        // What an administrator runs: the jar writes the LDIF, ldapmodify applies it as root over ldapi.
        Path ldif = tmp.resolve("prepare.ldif");
        ServerProcess prepare = ServerProcess.launch(data, "directory", "prepare-openldap", "--config",
                config.toString(), "--out", ldif.toString(), "--db-directory",
                Slapd.databaseDirectory(work).toString(), "--root-dn", Slapd.peercredDn());
        assertThat(prepare.awaitExit(Duration.ofSeconds(60))).as(prepare.output()).isZero();
        assertThat(Files.getPosixFilePermissions(ldif)).as("the LDIF holds password hashes")
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(ldif)).doesNotContain(caPassword).contains("userPassword: {SSHA256}");
        slapd.ldapmodify(work, ldif);

        server = ServerProcess.serveExternal(data, "--config", config.toString());
        assertThat(server.output()).contains("egov-pki ready: LDAP ldap://127.0.0.1:" + slapd.port() + " (external)");
        assertThat(data.resolve("secrets/ca-service.password")).as("the CA's password is the configured file's")
                .doesNotExist();
        api = server.api(PASSWORD);
        Path passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
        for (String[] operator : new String[][] {{"clerk1", "ENTRY_CLERK"}, {"reviewer1", "REVIEWER"}}) {
            ServerProcess add = server.cli("operator", "add", "--config", config.toString(), "--data", data.toString(),
                    "--uid", operator[0], "--name", operator[0], "--role", operator[1], "--password-file",
                    passwordFile.toString());
            assertThat(add.exitValue()).as(add.output()).isZero();
        }
    }

    private static byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (slapd != null) {
            slapd.close();
        }
    }

    @Test
    @Order(1)
    void theHealthProbeWritesAndReadsTheExternalDirectory() throws Exception {
        JsonNode health = ApiClient.JSON.readTree(api.get(null, "/health").body());
        assertThat(health.path("directory").path("status").asText()).as(health.toString()).isEqualTo("UP");
        assertThat(api.get(null, "/health/ready").statusCode()).isEqualTo(200);
        try (LDAPConnection ca = slapd.bind("uid=egov-pki-ca,ou=services," + BASE, caPassword)) {
            assertThat(ca.getEntry("cn=sm2-issuing,ou=CAs," + BASE)).as("the CA bootstrapped into slapd").isNotNull();
        }
    }

    @Test
    @Order(2)
    void aReviewersDecisionEntryInTheDirectoryIssuesAndTheCertificateIsFoundAnonymously() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String id = api.postJson("clerk1", "/api/v1/requests", personal("Li Si", "11010519491231002X", key,
                "personal"), 201).path("id").asText();

        // Approved in an LDAP browser: the reviewer adds a decision entry, bound to slapd as themselves.
        try (LDAPConnection reviewer = slapd.bind("uid=reviewer1,ou=operators," + BASE, PASSWORD)) {
            reviewer.add(new Entry("egovDecisionId=reviewer1-1,egovRequestId=" + id + ",ou=requests," + BASE,
                    new Attribute("objectClass", "top", "egovRequestDecision"),
                    new Attribute("egovDecisionId", "reviewer1-1"), new Attribute("egovDecision", "APPROVED")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "ISSUED".equals(
                api.json("reviewer1", "/api/v1/requests/" + id).path("state").asText()));
        JsonNode issued = api.json("reviewer1", "/api/v1/requests/" + id);
        assertThat(issued.path("reviewedBy").asText()).as("the author OpenLDAP recorded in creatorsName")
                .isEqualTo("uid=reviewer1,ou=operators," + BASE);

        try (LDAPConnection anonymous = slapd.anonymous()) {
            SearchResultEntry subscriber = anonymous.getEntry("egovSubscriberId=" + issued.path("subscriberId").asText()
                    + ",ou=subscribers," + BASE);
            assertThat(subscriber).as("the published subscriber entry").isNotNull();
            X509Certificate certificate = Pem.parseCertificate(binary(subscriber, "userCertificate"));
            assertThat(certificate.getSerialNumber().toString(16)).isEqualTo(issued.path("serials").get(0).asText());
            assertThat(certificate.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=Li Si,O=egov-pki test,C=CN"));
            assertThat(subscriber.getAttribute("egovIdNumber")).as("no registration data anonymously").isNull();
            assertThat(anonymous.search("ou=requests," + BASE, SearchScope.ONE, "(objectClass=*)").getEntryCount())
                    .as("requests are not public").isZero();
        }
    }

    @Test
    @Order(3)
    void aRestApprovalIssuesRevocationIsSeenByOcspAtOnceAndTheCrlInTheDirectoryListsIt() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String id = api.postJson("clerk1", "/api/v1/requests", personal("Wang Wu", "110105194912310046", key,
                "personal"), 201).path("id").asText();
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + id + "/approve",
                ApiClient.JSON.createObjectNode(), 200);
        String serial = issued.path("serials").get(0).asText();

        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "SUBSCRIBER");
        JsonNode revoked = ApiClient.JSON.readTree(server.api(ADMIN_PASSWORD).postJson("admin",
                "/api/v1/certificates/" + serial + "/revoke", revoke).body());
        assertThat(revoked.path("status").asText()).as(revoked.toString()).isEqualTo("REVOKED");

        X509Certificate issuing = issuingCa();
        OCSPResp response = new OCSPResp(api.post(null, "/ocsp", "application/ocsp-request", new OCSPReqBuilder()
                .addRequest(new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                        .build().get(CertificateID.HASH_SHA1), new X509CertificateHolder(issuing.getEncoded()),
                        new BigInteger(serial, 16))).build().getEncoded()).body());
        assertThat(((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus())
                .isInstanceOf(RevokedStatus.class);

        // The CRL after revocation is written into the CA entry; relying parties read it anonymously.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            X509CRL crl = directoryCrl("sm2-issuing");
            return crl != null && crl.getRevokedCertificate(new BigInteger(serial, 16)) != null;
        });
        X509CRL crl = directoryCrl("sm2-issuing");
        crl.verify(issuing.getPublicKey(), BouncyCastle.PROVIDER);
        X509CRL overHttp = Pem.parseCrl(api.bytes(null, "/crl/sm2-issuing.crl"));
        assertThat(overHttp.getRevokedCertificate(new BigInteger(serial, 16))).isNotNull();

        // The sync outbox (sync.enabled) captured the issuance and the revocation into slapd.
        try (LDAPConnection ca = slapd.bind("uid=egov-pki-ca,ou=services," + BASE, caPassword)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> ca.search("ou=outbox,ou=sync," + BASE, SearchScope.SUB,
                    "(objectClass=egovSyncOutboxEvent)", "1.1").getEntryCount() >= 2);
        }
    }

    @Test
    @Order(4)
    void aDualCertificateEscrowsTheEncryptionKeyWhereOnlyTheKmAccountReadsIt() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String id = api.postJson("clerk1", "/api/v1/requests", personal("Zhao Liu", "110105194912310054", key,
                "personal-dual"), 201).path("id").asText();
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + id + "/approve",
                ApiClient.JSON.createObjectNode(), 200);
        assertThat(issued.path("serials")).hasSize(2);

        try (LDAPConnection km = slapd.bind("uid=egov-pki-km,ou=services," + BASE, kmPassword);
             LDAPConnection ca = slapd.bind("uid=egov-pki-ca,ou=services," + BASE, caPassword)) {
            assertThat(km.search("ou=km," + BASE, SearchScope.ONE, "(objectClass=egovEscrowedKey)").getEntryCount())
                    .as("the escrowed encryption key").isEqualTo(1);
            assertThat(ca.search("ou=km," + BASE, SearchScope.SUB, "(objectClass=*)").getEntryCount())
                    .as("the CA's account sees ou=km's name only").isEqualTo(1);
        }
    }

    @Test
    @Order(5)
    void auditVerifyChecksTheTrailsAgainstTheirAnchorsInTheExternalDirectory() throws Exception {
        ServerProcess verify = server.cli("audit", "verify", "--config", config.toString(), "--data",
                tmp.resolve("data").toString());

        assertThat(verify.exitValue()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("OK: audit trail server").contains("OK: audit trail cli");
    }

    @Test
    @Order(6)
    void aDirectoryThatWasNotPreparedStopsStartUpNamingTheCommand() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("bare-slapd"));
        try (Slapd bare = Slapd.startFresh(work)) {
            Path bareConfig = ServerProcess.config(tmp.resolve("bare"), yaml -> yaml.replace("    failureWindowSeconds: 900\n",
                    "    failureWindowSeconds: 900\n  external:\n    urls: [ldap://127.0.0.1:" + bare.port() + "]\n"
                            + "    caPasswordFile: " + tmp.resolve("ca-service.password") + "\n"
                            + "    kmPasswordFile: " + tmp.resolve("km-service.password") + "\n"));
            ServerProcess refused = ServerProcess.launch(tmp.resolve("bare-data"), "serve", "--config",
                    bareConfig.toString(), "--data", tmp.resolve("bare-data").toString(), "--http-port", "0");

            assertThat(refused.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(refused.output()).contains("the CA service account uid=egov-pki-ca,ou=services," + BASE
                    + " cannot bind to the directory ldap://127.0.0.1:" + bare.port())
                    .contains("egov-pki directory prepare-openldap");
        }
    }

    @Test
    @Order(7)
    void aDirectoryThatRefusesWritesFailsTheHealthProbeAndStartUpSaysWhereToLook() throws Exception {
        Path readOnly = Files.writeString(tmp.resolve("read-only.ldif"), "dn: olcDatabase={2}mdb,cn=config\n"
                + "changetype: modify\nreplace: olcReadOnly\nolcReadOnly: TRUE\n");
        slapd.ldapmodify(tmp.resolve("slapd"), readOnly);
        Path data = tmp.resolve("second-data");

        ServerProcess refused = ServerProcess.launch(data, "serve", "--config", config.toString(), "--data",
                data.toString(), "--http-port", "0");

        assertThat(refused.awaitExit(Duration.ofSeconds(120))).isNotZero();
        assertThat(refused.output()).contains("the external directory failed its health probe at start-up")
                .contains("Check that the external directory ldap://127.0.0.1:" + slapd.port() + " answers")
                .doesNotContain("mv ");
    }

    private static X509Certificate issuingCa() throws Exception {
        try (LDAPConnection anonymous = slapd.anonymous()) {
            return Pem.parseCertificate(binary(anonymous.getEntry("cn=sm2-issuing,ou=CAs," + BASE), "cACertificate"));
        }
    }

    private static X509CRL directoryCrl(String ca) throws Exception {
        try (LDAPConnection anonymous = slapd.anonymous()) {
            byte[] der = binary(anonymous.getEntry("cn=" + ca + ",ou=CAs," + BASE), "certificateRevocationList");
            return der == null ? null : Pem.parseCrl(der);
        }
    }

    /** The value of {@code name} however the server names it ({@code name;binary} on OpenLDAP). */
    private static byte[] binary(SearchResultEntry entry, String name) {
        for (Attribute attribute : entry.getAttributes()) {
            if (attribute.getBaseName().equalsIgnoreCase(name)) {
                return attribute.getValueByteArray();
            }
        }
        return null;
    }

    private static ObjectNode personal(String name, String idNumber, KeyPair key, String profile) throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), key.getPublic()).build(
                new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", profile);
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }
}
