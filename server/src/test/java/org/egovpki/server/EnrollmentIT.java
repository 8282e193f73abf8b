package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrollment end to end on the real server: a clerk submits over REST, a reviewer approves by
 * adding a decision entry in the directory bound as the reviewer, the certificate is issued,
 * published and verifiable; the clerk and non-reviewers cannot approve by either channel, and no
 * decision is ever credited to an entry's last modifier; bad applications are refused and leave
 * the directory unchanged.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnrollmentIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final String PASSWORD = "Operator2026pw";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("  approvalPollMillis: 1000", "  approvalPollMillis: 200"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n  - name: device-ec\n    type: DEVICE\n"
                        + "    issuer: ec-issuing\n    validityMonths: 12\n    identityExtensions: NONE\n"
                        + "    extendedKeyUsages: [serverAuth]\n"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "clerk2", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aClerkSubmitsAReviewerApprovesInTheDirectoryAndTheCertificateIsIssuedAndPublished() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        JsonNode submitted = submit("clerk1", personal("Zhang San", "11010519491231002X", key, false));
        String id = submitted.path("id").asText();
        assertThat(submitted.path("state").asText()).isEqualTo("SUBMITTED");

        // The clerk tries to approve their own request: over REST, and by adding a decision entry.
        assertThat(post("clerk1", "/api/v1/requests/" + id + "/approve", "{}").statusCode()).isEqualTo(403);
        // In an LDAP browser an entry clerk does not even see the request (only cn=request-readers do).
        LDAPException hidden = org.assertj.core.api.Assertions.catchThrowableOfType(LDAPException.class,
                () -> addDecision("clerk1", id, "clerk1-1", "APPROVED", null));
        assertThat(hidden).as("the directory refused the clerk's decision entry").isNotNull();
        assertThat(hidden.getResultCode()).isEqualTo(hiddenRequestAnswer());
        assertThat(requestEntry(id).getAttributeValue("egovRequestState")).isEqualTo("SUBMITTED");
        assertThat(decisionEntries(id)).isZero();
        // Another non-reviewer, over REST.
        HttpResponse<byte[]> nonReviewer = post("clerk2", "/api/v1/requests/" + id + "/approve", "{}");
        assertThat(nonReviewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(nonReviewer.body()).path("message").asText()).contains("not a reviewer");

        // The reviewer approves in the directory, bound as themselves (a browser may write any case).
        addDecision("reviewer1", id, "reviewer1-1", "approved", null);
        await().atMost(Duration.ofSeconds(15)).until(() -> "ISSUED".equals(get("reviewer1", "/api/v1/requests/" + id)
                .path("state").asText()));
        JsonNode issued = get("reviewer1", "/api/v1/requests/" + id);
        assertThat(issued.path("reviewedBy").asText()).isEqualTo("uid=reviewer1,ou=operators," + BASE);
        // Subscriber ids are keyed, never a hash anyone can recompute from the ID number.
        assertThat(issued.path("subscriberId").asText()).matches("p-[0-9a-f]{32}");
        assertThat(java.nio.file.Files.getPosixFilePermissions(tmp.resolve("data/secrets/subscriber-id.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        // The reviewer compares the ID number with the document; the clerk sees it masked.
        assertThat(issued.path("registration").path("idNumber").asText()).isEqualTo("11010519491231002X");
        JsonNode clerkView = get("clerk1", "/api/v1/requests/" + id);
        assertThat(clerkView.path("registration").path("idNumber").asText()).isEqualTo("110***********002X");
        assertThat(clerkView.path("registration").path("phone").asText()).doesNotContain("6000 0000");
        assertThat(get("clerk1", "/api/v1/requests?state=ISSUED").toString()).doesNotContain("11010519491231002X");
        String serial = issued.path("serials").get(0).asText();
        // The REST refusal and the directory decision are in the audit trail, each with its real author.
        List<JsonNode> approvals = auditEvents("REQUEST_APPROVED", id);
        assertThat(approvals).anySatisfy(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("uid=clerk1,ou=operators," + BASE);
            assertThat(e.path("outcome").asText()).isEqualTo("FAILURE");
        }).anySatisfy(e -> {
            assertThat(e.path("actor").asText()).isEqualTo("uid=reviewer1,ou=operators," + BASE);
            assertThat(e.path("outcome").asText()).isEqualTo("SUCCESS");
            assertThat(e.path("details").path("channel").asText()).isEqualTo("ldap");
        });

        X509Certificate certificate = Pem.parseCertificate(bytes("clerk1",
                "/api/v1/certificates/" + serial + ".der"));
        X509Certificate issuing = Pem.parseCertificate(bytes(null, "/ca/sm2-issuing.crt"));
        certificate.verify(issuing.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=Zhang San");
        assertThat(certificate.getCriticalExtensionOIDs()).contains(Extension.keyUsage.getId());
        assertThat(certificate.getKeyUsage()).startsWith(true, true); // digitalSignature, nonRepudiation
        assertThat(certificate.getNonCriticalExtensionOIDs()).contains(Extension.cRLDistributionPoints.getId(),
                Extension.authorityInfoAccess.getId(), Extension.certificatePolicies.getId(),
                Extension.authorityKeyIdentifier.getId(), Extension.subjectKeyIdentifier.getId(),
                "1.2.156.10260.4.1.1");
        assertThat(bytes("clerk1", "/api/v1/certificates/" + serial + ".p7b")).isNotEmpty();

        try (LDAPConnection anonymous = server.anonymous()) {
            List<SearchResultEntry> found = anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                    "(objectClass=pkiUser)", "userCertificate;binary").getSearchEntries();
            byte[] expected = certificate.getEncoded();
            assertThat(found).as("an anonymous search finds the certificate on the subscriber entry")
                    .anyMatch(entry -> entry.getAttributes().stream()
                            .filter(a -> a.getBaseName().equalsIgnoreCase("userCertificate"))
                            .flatMap(a -> java.util.Arrays.stream(a.getValueByteArrays()))
                            .anyMatch(der -> java.util.Arrays.equals(der, expected)));
        }

        assumeThat(Tools.openSsl()).isTrue();
        Path leaf = tmp.resolve("leaf.pem");
        Path issuer = tmp.resolve("sm2-issuing.pem");
        Files.writeString(leaf, Pem.certificate(certificate));
        Files.writeString(issuer, Pem.certificate(issuing));
        assertThat(Tools.run("openssl", "verify", "-partial_chain", "-vfyopt", "distid:1234567812345678", "-CAfile",
                issuer.toString(), leaf.toString())).contains(": OK");
    }

    @Test
    @Order(2)
    void anOptedOutSubscribersCertificateIsNotPublished() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        JsonNode submitted = submit("clerk1", personal("Li Si", "440524198001010013", key, true));
        JsonNode issued = JSON.readTree(post("reviewer1", "/api/v1/requests/" + submitted.path("id").asText()
                + "/approve", "{}").body());
        assertThat(issued.path("state").asText()).isEqualTo("ISSUED");
        String subscriber = issued.path("subscriberId").asText();
        try (LDAPConnection anonymous = server.anonymous()) {
            SearchResultEntry entry = anonymous.getEntry("egovSubscriberId=" + subscriber + ",ou=subscribers," + BASE);
            assertThat(entry).as("an opted-out subscriber is not in the public tree at all").isNull();
            assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.SUB, "(egovSubscriberId=" + subscriber
                    + ")").getEntryCount()).isZero();
        }
        assertThat(get("clerk1", "/api/v1/certificates?subscriber=" + subscriber).path("certificates")).hasSize(1);
    }

    @Test
    @Order(3)
    void anEcdsaDeviceCertificateVerifiesWithPlainOpenSsl() throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", csr(key, "CN=www.tax.example.gov.cn,O=Tax Bureau,C=CN", "SHA256WITHECDSA"));
        body.put("profile", "device-ec");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add("www.tax.example.gov.cn");
        registration.put("owner", "Tax Bureau IT");
        body.put("challengePhrase", "device phrase 1");
        body.put("agreementAccepted", true);
        JsonNode submitted = submit("clerk1", body);
        JsonNode issued = JSON.readTree(post("reviewer1", "/api/v1/requests/" + submitted.path("id").asText()
                + "/approve", "{}").body());
        String serial = issued.path("serials").get(0).asText();

        assumeThat(Tools.openSsl()).isTrue();
        Path chain = tmp.resolve("ec-chain.pem");
        Files.write(chain, concat(bytes(null, "/ca/ec-issuing.pem"), bytes(null, "/ca/ec-root.pem")));
        Path leaf = tmp.resolve("ec-leaf.pem");
        Files.write(leaf, bytes("clerk1", "/api/v1/certificates/" + serial + ".pem"));
        assertThat(Tools.run("openssl", "verify", "-CAfile", chain.toString(), leaf.toString())).contains(leaf + ": OK");
        assertThat(Tools.run("openssl", "x509", "-in", leaf.toString(), "-noout", "-ext", "subjectAltName,keyUsage"))
                .contains("DNS:www.tax.example.gov.cn").contains("critical");

        // The responder named in the certificate's AIA answers for it; OpenSSL checks the signature.
        Path issuer = tmp.resolve("ec-issuing.pem");
        Files.write(issuer, bytes(null, "/ca/ec-issuing.pem"));
        String ocsp = Tools.run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(),
                "-url", server.baseUrl() + "/ocsp", "-CAfile", chain.toString());
        assertThat(ocsp).contains("Response verify OK").contains(leaf + ": good");
    }

    @Test
    @Order(4)
    void badApplicationsAreRefusedWithTheRightStatusAndLeaveTheDirectoryUnchanged() throws Exception {
        int before = countRequests();
        KeyPair sm2 = KeyAlgorithm.SM2.generate(RANDOM);

        ObjectNode badSignature = personal("Wang Wu", "11010519491231002X", sm2, false);
        byte[] der = Base64.getDecoder().decode(badSignature.path("csr").asText());
        der[der.length - 5] ^= 0x01;
        badSignature.put("csr", Base64.getEncoder().encodeToString(der));
        assertRefused(badSignature, 400, "csr", "proof of possession");

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA", BouncyCastle.PROVIDER);
        rsa.initialize(1024, RANDOM);
        ObjectNode weak = personal("Wang Wu", "11010519491231002X", sm2, false);
        weak.put("csr", csr(rsa.generateKeyPair(), "CN=Wang Wu,C=CN", "SHA256WITHRSA"));
        assertRefused(weak, 400, "csr", "2048");

        ObjectNode forbidden = personal("Wang Wu", "11010519491231002X", sm2, false);
        forbidden.put("csr", csr(sm2, "CN=Wang Wu,DC=example,C=CN", "SM3WITHSM2"));
        assertRefused(forbidden, 400, "subject", "");

        assertRefused(personal("Wang Wu", "11010519491231002Y", sm2, false), 400, "registration.idNumber", "");
        HttpResponse<byte[]> badId = post("clerk1", "/api/v1/requests",
                JSON.writeValueAsString(personal("Wang Wu", "110105194912310021", sm2, false)));
        assertThat(new String(badId.body(), StandardCharsets.UTF_8)).contains("wrong check digit")
                .doesNotContain("110105194912310021").doesNotContain("19491231");
        assertThat(Files.readString(tmp.resolve("data/audit/audit.jsonl"))).doesNotContain("110105194912310021");

        // #5: a device application naming the first person's subscriber id; nothing is stored.
        String zhang = null;
        for (JsonNode request : get("reviewer1", "/api/v1/requests?state=ISSUED").path("requests")) {
            if ("Zhang San".equals(request.path("registration").path("realName").asText())) {
                zhang = request.path("subscriberId").asText();
            }
        }
        assertThat(zhang).isNotNull();
        ObjectNode device = JSON.createObjectNode();
        device.put("csr", csr(KeyAlgorithm.EC.generate(RANDOM), "CN=intruder.example.gov.cn,O=Tax Bureau,C=CN",
                "SHA256WITHECDSA"));
        device.put("profile", "device-ec");
        device.put("subscriberId", zhang);
        ObjectNode deviceRegistration = device.putObject("registration");
        deviceRegistration.putArray("hostNames").add("intruder.example.gov.cn");
        deviceRegistration.put("owner", "Someone else");
        device.put("agreementAccepted", true);
        assertRefused(device, 409, "subscriberId", "PERSONAL subscriber");

        // "Zhang San" under C=CN,O=egov-pki test is held by the first subscriber; another person (an ID number
        // no subscriber has: under a registered one another name is refused first) asks for it.
        ObjectNode taken = personal("Zhang San", "110105194912310038", KeyAlgorithm.SM2.generate(RANDOM), false);
        assertRefused(taken, 409, "subject", "distinguishing attribute");

        // Someone applies under the first person's ID number with another name: a change of name is a
        // modification, so the application is refused without naming the registered name.
        ObjectNode renaming = personal("Li Wei", "11010519491231002X", KeyAlgorithm.SM2.generate(RANDOM), false);
        assertRefused(renaming, 409, "registration.realName", "registered under another name");
        assertThat(new String(post("clerk1", "/api/v1/requests", JSON.writeValueAsString(renaming)).body(),
                StandardCharsets.UTF_8)).contains("modification").doesNotContain("Zhang").doesNotContain("002X");

        assertThat(countRequests()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aDecisionCannotBeFlippedInTheDirectory() throws Exception {
        JsonNode submitted = submit("clerk1", personal("Sun Qi", "410102199001011234", KeyAlgorithm.SM2.generate(RANDOM),
                false));
        String id = submitted.path("id").asText();
        JsonNode rejected = JSON.readTree(post("reviewer1", "/api/v1/requests/" + id + "/reject",
                "{\"reason\":\"ID copy unreadable\"}").body());
        assertThat(rejected.path("state").asText()).isEqualTo("REJECTED");

        // A reviewer's late approval, as a decision entry: refused, the request stays rejected.
        addDecision("reviewer1", id, "reviewer1-late", "APPROVED", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(requestEntry(id)
                .getAttributeValue("egovDecisionNote")).contains("reviewer1"));
        assertThat(requestEntry(id).getAttributeValue("egovDecisionNote")).contains("was refused")
                .contains("is REJECTED");

        // The directory administrator flips the shown state: put back, never acted on, audited.
        try (LDAPConnection admin = admin()) {
            admin.modify("egovRequestId=" + id + ",ou=requests," + BASE,
                    new Modification(ModificationType.REPLACE, "egovRequestState", "APPROVED"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "REJECTED".equals(
                requestEntry(id).getAttributeValue("egovRequestState")));
        assertThat(requestEntry(id).getAttributeValue("egovDecisionNote")).contains("put back to REJECTED")
                .contains(server.directoryAdminDn());
        assertThat(auditEvents("DIRECTORY_CHANGE_REFUSED", id)).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("lastModifier").asText())
                        .isEqualTo(server.directoryAdminDn()));
        assertThat(get("reviewer1", "/api/v1/requests/" + id).path("state").asText()).isEqualTo("REJECTED");
        assertThat(get("reviewer1", "/api/v1/requests/" + id).path("serials")).isEmpty();
    }

    /**
     * Issue 11, defect 1: the clerk writes APPROVED on its own request, then a reviewer writes only a
     * rejection reason (the documented first step of a rejection). The approval must never be
     * credited to the reviewer, who was merely the entry's last modifier. Repeated, as a clerk
     * would: a poll between the two writes sees the clerk as the modifier.
     */
    @Test
    @Order(6)
    void aClerksStateWriteIsNeverCreditedToTheReviewerWhoLastModifiedTheRequest() throws Exception {
        String id = submit("clerk1", personal("Zhou Ba", "410102198503051231", KeyAlgorithm.SM2.generate(RANDOM),
                false)).path("id").asText();

        ResultCode clerkWrite = null;
        ResultCode reviewerWrite = null;
        try (LDAPConnection clerk = operatorConnection("clerk1"); LDAPConnection reviewer = operatorConnection("reviewer1")) {
            for (int round = 0; round < 10; round++) {
                clerkWrite = tryModify(clerk, id, "egovRequestState", "APPROVED");
                reviewerWrite = tryModify(reviewer, id, "egovRejectionReason", "the ID copy is unreadable");
                if (clerkWrite != ResultCode.SUCCESS) {
                    break;
                }
                // Wait until the CA has dealt with the write, then try again unless it approved.
                await().atMost(Duration.ofSeconds(10)).until(() -> !"APPROVED".equalsIgnoreCase(
                        requestEntry(id).getAttributeValue("egovRequestState")));
                if (!"SUBMITTED".equals(get("reviewer1", "/api/v1/requests/" + id).path("state").asText())) {
                    break;
                }
            }
        }

        // The route polls every 200 ms: for two seconds the request must stay undecided.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode request = get("reviewer1", "/api/v1/requests/" + id);
            assertThat(request.path("state").asText()).isEqualTo("SUBMITTED");
            assertThat(request.path("reviewedBy").isNull()).as("reviewedBy: %s", request.path("reviewedBy")).isTrue();
        });
        assertThat(get("reviewer1", "/api/v1/requests/" + id).path("serials")).isEmpty();
        // Operators no longer write a request's state or reason at all: a decision is an entry of its own. An
        // entry clerk does not even see the request in the directory (only reviewers and RA admins do).
        assertThat(clerkWrite).isEqualTo(hiddenRequestAnswer());
        assertThat(reviewerWrite).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
    }

    // --- helpers ---

    /**
     * The RFC 4387 store, with the clients relying parties use (curl and the JDK's HttpClient):
     * published certificates found by sHash, email and iHash (with the CA certificate found by its
     * own sHash), an opted-out subscriber's certificate by nothing, and the CRL by the CA's name
     * hash byte-identical to {@code /crl/<ca>.crl}.
     */
    @Test
    @Order(7)
    void theRfc4387StoreAnswersCurlAndTheJdkClientFromWhatTheDirectoryPublishes() throws Exception {
        X509Certificate shown = issue(personal("Wang Wu", "110105199003071239", KeyAlgorithm.SM2.generate(RANDOM), false,
                "CN=Wang Wu,EMAILADDRESS=Wang.Wu@tax.example.gov.cn,O=egov-pki test,C=CN"));
        X509Certificate hidden = issue(personal("Zhao Liu", "110105198511114560", KeyAlgorithm.SM2.generate(RANDOM),
                true, "CN=Zhao Liu,EMAILADDRESS=zhao.liu@tax.example.gov.cn,O=egov-pki test,C=CN"));
        X509Certificate issuing = Pem.parseCertificate(bytes(null, "/ca/sm2-issuing.crt"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        // By subject name hash, computed here with the JDK: the JDK client and curl get the same DER.
        String sHash = sha1Base64(shown.getSubjectX500Principal().getEncoded());
        HttpResponse<byte[]> bySubject = fetch(http, "/certs?sHash=" + escape(sHash));
        assertThat(bySubject.statusCode()).isEqualTo(200);
        assertThat(bySubject.headers().firstValue("Content-Type")).contains("application/pkix-cert");
        assertThat(bySubject.body()).isEqualTo(shown.getEncoded());
        Path curled = tmp.resolve("by-shash.der");
        assertThat(Tools.run("curl", "-sS", "-o", curled.toString(), "-w", "%{http_code} %{content_type}",
                server.baseUrl() + "/certs?sHash=" + escape(sHash))).isEqualTo("200 application/pkix-cert");
        assertThat(Files.readAllBytes(curled)).isEqualTo(shown.getEncoded());
        assertThat(fetch(http, "/search.cgi?sHash=" + escape(sHash)).body()).isEqualTo(shown.getEncoded());

        // By the e-mail address in the certificate, in any case.
        HttpResponse<byte[]> byEmail = fetch(http, "/certs?email=wang.wu%40TAX.example.gov.cn");
        assertThat(byEmail.statusCode()).isEqualTo(200);
        assertThat(byEmail.body()).isEqualTo(shown.getEncoded());

        // By issuer name hash: every published certificate of the CA, several in one multipart/mixed body.
        String iHash = sha1Base64(issuing.getSubjectX500Principal().getEncoded());
        HttpResponse<byte[]> byIssuer = fetch(http, "/certs?iHash=" + escape(iHash));
        assertThat(byIssuer.statusCode()).isEqualTo(200);
        String type = byIssuer.headers().firstValue("Content-Type").orElseThrow();
        assertThat(type).startsWith("multipart/mixed; boundary=");
        List<byte[]> parts = multipartBodies(byIssuer.body(), type.substring(type.indexOf("boundary=") + 9));
        assertThat(parts).hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(part -> assertThat(part).isEqualTo(shown.getEncoded()))
                .noneSatisfy(part -> assertThat(part).isEqualTo(hidden.getEncoded()));
        assertThat(parts).allSatisfy(part -> assertThat(Pem.parseCertificate(part).getIssuerX500Principal())
                .isEqualTo(issuing.getSubjectX500Principal()));
        // The CA's own certificate by its subject name hash: what a path builder asks for.
        assertThat(fetch(http, "/certs?sHash=" + escape(iHash)).body()).isEqualTo(issuing.getEncoded());

        // The opted-out subscriber's certificate is found by nothing.
        String hiddenHash = sha1Base64(hidden.getSubjectX500Principal().getEncoded());
        assertThat(fetch(http, "/certs?sHash=" + escape(hiddenHash)).statusCode()).isEqualTo(404);
        assertThat(fetch(http, "/certs?email=zhao.liu%40tax.example.gov.cn").statusCode()).isEqualTo(404);
        assertThat(fetch(http, "/certs?name=Zhao%20Liu").statusCode()).isEqualTo(404);
        assertThat(Tools.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                server.baseUrl() + "/search.cgi?sHash=" + escape(hiddenHash))).isEqualTo("404");

        // The CRL by the CA's name hash is the bytes /crl/<ca>.crl serves, with the same validators.
        HttpResponse<byte[]> crl = fetch(http, "/crls?iHash=" + escape(iHash));
        HttpResponse<byte[]> download = fetch(http, "/crl/sm2-issuing.crl");
        assertThat(crl.statusCode()).isEqualTo(200);
        assertThat(crl.headers().firstValue("Content-Type")).contains("application/pkix-crl");
        assertThat(crl.body()).isEqualTo(download.body());
        assertThat(crl.headers().firstValue("ETag")).isEqualTo(download.headers().firstValue("ETag"));
        assertThat(crl.headers().firstValue("Expires")).isEqualTo(download.headers().firstValue("Expires"));
        Path curledCrl = tmp.resolve("by-ihash.crl");
        assertThat(Tools.run("curl", "-sS", "-o", curledCrl.toString(), "-w", "%{http_code}",
                server.baseUrl() + "/crls?iHash=" + escape(iHash))).isEqualTo("200");
        assertThat(Files.readAllBytes(curledCrl)).isEqualTo(download.body());

        // A malformed query is a 400 that says what is expected.
        HttpResponse<byte[]> malformed = fetch(http, "/certs?sHash=abc");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("message").asText()).contains("base64 of a 20-byte SHA-1");
    }

    @Test
    @Order(8)
    void noIdNumberPhoneOrNameReachesTheLogAndNoNumberTheAuditTrail() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        // The number in the subject, in other spellings: refused, naming the attribute, never echoing the number.
        assertRefused(personal("Qian Jiu", "11010519491231002X", key, false,
                "CN=Qian Jiu,OU=110105-19491231-002x,O=egov-pki test,C=CN"), 400, "subject.OU",
                "contains an ID or phone number of the registration");
        assertRefused(personal("Qian Jiu", "11010519491231002X", key, false,
                "CN=Qian Jiu 110105491231002,O=egov-pki test,C=CN"), 400, "subject.CN", "is not the registered real name");
        HttpResponse<byte[]> echoed = post("clerk1", "/api/v1/requests", JSON.writeValueAsString(personal("Qian Jiu",
                "11010519491231002X", key, false, "CN=Qian Jiu 110105491231002,O=egov-pki test,C=CN")));
        assertThat(new String(echoed.body(), StandardCharsets.UTF_8)).doesNotContain("110105491231002");

        // Everything this class entered, issued, approved and refused so far.
        String log = server.output();
        String audit = Files.readString(server.data.resolve("audit/audit.jsonl"));
        for (String number : List.of("11010519491231002X", "110105491231002", "440524198001010013", "410102199001011234",
                "410102198503051231", "110105199003071239", "110105198511114560", "110105194912310038", "6000 0000",
                "60000000")) {
            assertThat(log).as("the server log").doesNotContainIgnoringCase(number);
            assertThat(audit).as("the audit trail").doesNotContainIgnoringCase(number);
        }
        // The last is "Wang.Wu" as in a DN's #-encoded E= value.
        for (String personal : List.of("Zhang San", "Li Si", "Sun Qi", "Zhou Ba", "Wang Wu", "Zhao Liu", "Qian Jiu",
                "Li Wei", "Wang.Wu@", "zhao.liu@", "57616e672e5775")) {
            assertThat(log).as("the server log names no subscriber").doesNotContain(personal);
        }
    }

    private static X509Certificate issue(ObjectNode application) throws Exception {
        JsonNode submitted = submit("clerk1", application);
        JsonNode issued = JSON.readTree(post("reviewer1", "/api/v1/requests/" + submitted.path("id").asText()
                + "/approve", "{}").body());
        assertThat(issued.path("state").asText()).isEqualTo("ISSUED");
        return Pem.parseCertificate(bytes("clerk1", "/api/v1/certificates/" + issued.path("serials").get(0).asText()
                + ".der"));
    }

    private static HttpResponse<byte[]> fetch(java.net.http.HttpClient http, String pathAndQuery) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + pathAndQuery))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha1Base64(byte[] der) throws Exception {
        return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-1").digest(der));
    }

    /** RFC 4387 §2.1: '+', '/' and '=' of the base64 are sent escaped. */
    private static String escape(String base64) {
        return base64.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D");
    }

    /** The bodies of a multipart/mixed answer: what follows each part's blank line, up to the next delimiter. */
    private static List<byte[]> multipartBodies(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundary;
        List<byte[]> bodies = new ArrayList<>();
        int at = text.indexOf(delimiter);
        while (at >= 0 && !text.startsWith(delimiter + "--", at)) {
            int start = text.indexOf("\r\n\r\n", at) + 4;
            int next = text.indexOf("\r\n" + delimiter, start);
            bodies.add(text.substring(start, next).getBytes(StandardCharsets.ISO_8859_1));
            at = next + 2;
        }
        return bodies;
    }

    private static void assertRefused(ObjectNode body, int status, String field, String message) throws Exception {
        HttpResponse<byte[]> response = post("clerk1", "/api/v1/requests", JSON.writeValueAsString(body));
        JsonNode error = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(error.toString()).isEqualTo(status);
        assertThat(error.path("field").asText()).as(error.toString()).startsWith(field);
        assertThat(error.path("message").asText()).as(error.toString()).contains(message);
    }

    private static ObjectNode personal(String name, String idNumber, KeyPair key, boolean optOut) throws Exception {
        return personal(name, idNumber, key, optOut, "CN=" + name + ",O=egov-pki test,C=CN");
    }

    private static ObjectNode personal(String name, String idNumber, KeyPair key, boolean optOut, String subject)
            throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", csr(key, subject, "SM3WITHSM2"));
        body.put("profile", "personal");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        registration.put("phone", "+86 371 6000 0000");
        body.put("businessType", "tax");
        body.put("region", "410000");
        body.put("publishOptOut", optOut);
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }

    private static String csr(KeyPair key, String subject, String signatureAlgorithm) throws Exception {
        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal(subject),
                key.getPublic()).build(new JcaContentSignerBuilder(signatureAlgorithm)
                .setProvider(BouncyCastle.PROVIDER).build(key.getPrivate()));
        return Base64.getEncoder().encodeToString(csr.getEncoded());
    }

    private static JsonNode submit(String operator, JsonNode body) throws Exception {
        HttpResponse<byte[]> response = post(operator, "/api/v1/requests", JSON.writeValueAsString(body));
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    /** What a reviewer does in an LDAP browser: adds a decision entry below the request, bound as themselves. */
    private static void addDecision(String operator, String requestId, String name, String decision, String reason)
            throws Exception {
        List<Attribute> attributes = new ArrayList<>(List.of(
                new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", name),
                new Attribute("egovDecision", decision)));
        if (reason != null) {
            attributes.add(new Attribute("egovRejectionReason", reason));
        }
        try (LDAPConnection connection = operatorConnection(operator)) {
            connection.add(new Entry("egovDecisionId=" + name + ",egovRequestId=" + requestId + ",ou=requests," + BASE,
                    attributes));
        }
    }

    private static int decisionEntries(String requestId) throws Exception {
        try (LDAPConnection admin = admin()) {
            return admin.search("egovRequestId=" + requestId + ",ou=requests," + BASE, SearchScope.ONE,
                    "(objectClass=egovRequestDecision)", "1.1").getEntryCount();
        }
    }

    /** The server's audit trail events of {@code type} about {@code subject}. */
    private static List<JsonNode> auditEvents(String type, String subject) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(server.data.resolve("audit/audit.jsonl"))) {
            JsonNode event = JSON.readTree(line);
            boolean about = false;
            for (JsonNode s : event.path("subjects")) {
                about |= s.asText().equals(subject);
            }
            if (about && type.equals(event.path("type").asText())) {
                events.add(event);
            }
        }
        return events;
    }

    private static LDAPConnection operatorConnection(String operator) throws Exception {
        return server.bind("uid=" + operator + ",ou=operators," + BASE, PASSWORD);
    }

    /** Replaces one attribute of a request; the directory's answer, success or refusal. */
    private static ResultCode tryModify(LDAPConnection connection, String requestId, String attribute, String value) {
        try {
            return connection.modify("egovRequestId=" + requestId + ",ou=requests," + BASE,
                    new Modification(ModificationType.REPLACE, attribute, value)).getResultCode();
        } catch (LDAPException e) {
            return e.getResultCode();
        }
    }

    private static SearchResultEntry requestEntry(String id) throws Exception {
        try (LDAPConnection admin = admin()) {
            return admin.getEntry("egovRequestId=" + id + ",ou=requests," + BASE, "*", "+");
        }
    }

    private static int countRequests() throws Exception {
        try (LDAPConnection admin = admin()) {
            return admin.search("ou=requests," + BASE, SearchScope.ONE, "(objectClass=*)", "1.1").getEntryCount();
        }
    }

    /**
     * What the directory answers a write under a request the operator cannot see: ApacheDS hides it (no such
     * object); slapd refuses it (insufficient access), as it answers a write under any entry without the
     * {@code disclose} right on the parent.
     */
    private static ResultCode hiddenRequestAnswer() {
        return ServerProcess.onSlapd() ? ResultCode.INSUFFICIENT_ACCESS_RIGHTS : ResultCode.NO_SUCH_OBJECT;
    }

    private static LDAPConnection admin() throws Exception {
        return server.directoryAdmin();
    }

    private static HttpResponse<byte[]> post(String operator, String path, String json) throws Exception {
        return api.post(operator, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode get(String operator, String path) throws Exception {
        return api.json(operator, path);
    }

    private static byte[] bytes(String operator, String path) throws Exception {
        return api.bytes(operator, path);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
