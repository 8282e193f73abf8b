package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 on the real server jar: names with characters outside the BMP end to end (#3), wrong
 * JSON types refused naming the field (#9), Jetty's own refusals in our JSON shape (#9), an
 * oversized subject refused (#9); and no answer carrying a stack trace or directory dump.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final String BASE = "o=egov-pki,c=CN";
    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final String PASSWORD = "Operator2026pw";
    /** 王 + U+20000, CJK Extension B (a GB 18030 supplementary character). */
    private static final String RARE_NAME = "王\uD840\uDC00";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    /** An issued certificate's serial (from the first test), for the revocation and lifecycle bodies. */
    private static String issuedSerial;
    private static String submittedId;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        server.addOperator(config, "security1", "SECURITY_ADMIN", passwordFile);
        api = server.api(PASSWORD);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void aPersonalNameWithAnExtensionBCharacterIsIssuedPublishedAndFoundInTheDirectory() throws Exception {
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests",
                personal(RARE_NAME, "11010519491231002X", KeyAlgorithm.SM2.generate(RANDOM)), 201);
        assertThat(submitted.path("subjectDn").asText()).contains("CN=" + RARE_NAME);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                JSON.createObjectNode(), 200);
        assertThat(issued.path("state").asText()).isEqualTo("ISSUED");
        issuedSerial = issued.path("serials").get(0).asText();

        X509Certificate certificate = Pem.parseCertificate(api.bytes("clerk1",
                "/api/v1/certificates/" + issuedSerial + ".der"));
        RDN cn = new JcaX509CertificateHolder(certificate).getSubject().getRDNs(BCStyle.CN)[0];
        assertThat(cn.getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        assertThat(((ASN1UTF8String) cn.getFirst().getValue()).getString()).isEqualTo(RARE_NAME);

        try (LDAPConnection anonymous = server.anonymous()) {
            List<SearchResultEntry> found = anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                    Filter.createEqualityFilter("cn", RARE_NAME), "cn", "userCertificate;binary").getSearchEntries();
            assertThat(found).singleElement().satisfies(entry -> {
                assertThat(entry.getAttributeValue("cn")).isEqualTo(RARE_NAME);
                assertThat(entry.getAttributes()).filteredOn(a -> a.getBaseName().equalsIgnoreCase("userCertificate"))
                        .singleElement().satisfies(a -> assertThat(a.getValueByteArray())
                                .isEqualTo(certificate.getEncoded()));
            });
            assertThat(anonymous.search("ou=subscribers," + BASE, SearchScope.ONE,
                    Filter.createEqualityFilter("cn", "王\uD840\uDC01"), "1.1").getEntryCount()).isZero();
        }
        try (LDAPConnection admin = admin()) {
            assertThat(admin.search("ou=subscribers," + BASE, SearchScope.SUB,
                    Filter.createEqualityFilter("egovRealName", RARE_NAME), "1.1").getEntryCount()).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void aDeviceOwnerWithAnExtensionBCharacterIsAccepted() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", csr(KeyAlgorithm.SM2.generate(RANDOM), new X500NameBuilder().addRDN(BCStyle.C, "CN")
                .addRDN(BCStyle.CN, "rare.example.gov.cn").build()));
        body.put("profile", "device");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add("rare.example.gov.cn");
        registration.put("owner", "Owner \uD840\uDC00");
        body.put("challengePhrase", "device phrase 1");
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        assertThat(submitted.path("registration").path("owner").asText()).isEqualTo("Owner \uD840\uDC00");
        assertThat(api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                JSON.createObjectNode(), 200).path("state").asText()).isEqualTo("ISSUED");
    }

    @Test
    @Order(3)
    void aRejectionWhoseReasonIsANumberIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        submittedId = api.postJson("clerk1", "/api/v1/requests",
                personal("Zhao Liu", "440524198001010013", KeyAlgorithm.SM2.generate(RANDOM)), 201).path("id").asText();

        HttpResponse<byte[]> refused = api.post("reviewer1", "/api/v1/requests/" + submittedId + "/reject",
                "application/json", "{\"reason\": 5}".getBytes(StandardCharsets.UTF_8));

        assertJsonError(refused, 400, "reason", "must be a string");
        assertThat(api.json("reviewer1", "/api/v1/requests/" + submittedId).path("state").asText())
                .isEqualTo("SUBMITTED");
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("reject", "reviewer1", "/requests/{id}/reject", "{\"reason\": {\"a\": 1}}", "reason"),
                Arguments.of("reject, duplicate key", "reviewer1", "/requests/{id}/reject",
                        "{\"reason\": \"ok\", \"reason\": 5}", null),
                Arguments.of("csr as number", "clerk1", "/requests", "{\"csr\": 5}", "csr"),
                Arguments.of("profile as array", "clerk1", "/requests", "{\"profile\": [\"personal\"]}", "profile"),
                Arguments.of("subscriberId as object", "clerk1", "/requests", "{\"subscriberId\": {}}", "subscriberId"),
                Arguments.of("publishOptOut as string", "clerk1", "/requests", "{\"publishOptOut\": \"yes\"}",
                        "publishOptOut"),
                Arguments.of("agreementAccepted as number", "clerk1", "/requests", "{\"agreementAccepted\": 1}",
                        "agreementAccepted"),
                Arguments.of("challengePhrase as number", "clerk1", "/requests", "{\"challengePhrase\": 123456}",
                        "challengePhrase"),
                Arguments.of("registration as string", "clerk1", "/requests", "{\"registration\": \"x\"}",
                        "registration"),
                Arguments.of("realName as number", "clerk1", "/requests", "{\"registration\": {\"realName\": 5}}",
                        "registration.realName"),
                Arguments.of("idNumber as number", "clerk1", "/requests",
                        "{\"registration\": {\"idNumber\": 110105194912310020}}", "registration.idNumber"),
                Arguments.of("hostNames as string", "clerk1", "/requests",
                        "{\"registration\": {\"hostNames\": \"a.example.cn\"}}", "registration.hostNames"),
                Arguments.of("ipAddresses with a number", "clerk1", "/requests",
                        "{\"registration\": {\"ipAddresses\": [10]}}", "registration.ipAddresses"),
                Arguments.of("batch as object", "clerk1", "/requests/batch", "{\"requests\": {}}", "requests"),
                Arguments.of("batch item as number", "clerk1", "/requests/batch", "{\"requests\": [5]}", "requests[0]"),
                Arguments.of("batch item field", "clerk1", "/requests/batch", "{\"requests\": [{\"csr\": true}]}",
                        "requests[0].csr"),
                Arguments.of("revoke reason as number", "reviewer1", "/certificates/{serial}/revoke",
                        "{\"reason\": 1, \"requester\": \"SUBSCRIBER\"}", "reason"),
                Arguments.of("revoke requester as boolean", "reviewer1", "/certificates/{serial}/revoke",
                        "{\"reason\": \"keyCompromise\", \"requester\": true}", "requester"),
                Arguments.of("self-service serial as number", null, "/revocations/self-service",
                        "{\"issuer\": \"sm2-issuing\", \"serial\": 12, \"challengePhrase\": \"x\"}", "serial"),
                Arguments.of("renew csr as number", "clerk1", "/certificates/{serial}/renew", "{\"csr\": 5}", "csr"),
                Arguments.of("key recovery kind as array", "clerk1", "/km/recoveries", "{\"kind\": []}", "kind"),
                Arguments.of("key download code as number", null, "/km/recoveries/kr-00/download",
                        "{\"challengeCode\": 5, \"publicKey\": \"x\"}", "challengeCode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongTypes")
    @Order(4)
    void aWrongJsonTypeIsRefusedNamingTheField(String name, String operator, String path, String body, String field)
            throws Exception {
        String resolved = "/api/v1" + path.replace("{id}", submittedId).replace("{serial}", issuedSerial);

        HttpResponse<byte[]> response = api.post(operator, resolved, "application/json",
                body.getBytes(StandardCharsets.UTF_8));

        assertJsonError(response, 400, field, "");
    }

    @Test
    @Order(5)
    void aSubjectWithTwoThousandOusIsRefused() throws Exception {
        X500NameBuilder subject = new X500NameBuilder().addRDN(BCStyle.C, "CN");
        for (int i = 0; i < 2000; i++) {
            subject.addRDN(BCStyle.OU, "unit " + i);
        }
        subject.addRDN(BCStyle.CN, "Qian Qi");
        ObjectNode body = personal("Qian Qi", "410102199001011234", KeyAlgorithm.SM2.generate(RANDOM));
        body.put("csr", csr(KeyAlgorithm.SM2.generate(RANDOM), subject.build()));

        assertJsonError(api.postJson("clerk1", "/api/v1/requests", body), 400, "subject", "RDNs");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/%2e%2e/x", "/api/v1/requests/%ZZ", "/ca/%ZZ.crt", "/crl/%2e%2e/x.crl",
            "/health/%2e%2e/ca", "/ocsp/%ZZ"})
    @Order(6)
    void aUriJettyRefusesGetsTheJsonErrorShape(String uri) throws Exception {
        RawResponse response = raw("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(response.status).as(response.toString()).isEqualTo(400);
        assertRawJsonError(response);
    }

    @Test
    @Order(7)
    void headersAndUrisTooLargeGetTheJsonErrorShape() throws Exception {
        RawResponse header = raw("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(header.status).as(header.toString()).isEqualTo(431);
        assertRawJsonError(header);

        RawResponse uri = raw("GET /api/v1/requests/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(uri.status).as(uri.toString()).isIn(414, 431);
        assertRawJsonError(uri);
    }

    @Test
    @Order(8)
    void theAuditTrailHoldsNoDirectoryDumpOrStackTrace() throws Exception {
        String audit = Files.readString(server.data.resolve("audit/audit.jsonl"));

        assertThat(audit).contains("REQUEST_SUBMITTED");
        assertThat(audit).doesNotContain("egovChallengeHash", "Exception", "\\tat ", "ADD_REQUEST", "dn: ");
    }

    /** What the probe found answered 500 with an ApacheDS ERR_13724 stack trace: now 400 naming the parameter. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/certs?name=%EF%BF%BD            | name",
            "/certs?name=%EE%80%80            | name",
            "/certs?name=%F4%8F%BF%BF         | name",
            "/certs?name=%FF                  | name",
            "/certs?name=%C0%80               | name",
            "/certs?email=a%EF%BF%BD%40b.cn   | email",
            "/search.cgi?name=%EF%BF%BD       | name"})
    @Order(9)
    void aStoreLookupValueTheDirectoryCannotMatchIsA400NamingTheParameter(String uri, String field)
            throws Exception {
        RawResponse response = raw("GET " + uri.strip() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(response.status).as(response.toString()).isEqualTo(400);
        assertRawJsonError(response);
        assertThat(JSON.readTree(response.body).path("field").asText()).isEqualTo(field.strip());
    }

    @Test
    @Order(10)
    void aSubjectLookupTheDirectoryCannotMatchIsA400OnThePageAndInTheApi() throws Exception {
        RawResponse page = raw("GET /lookup?subject=CN%3D%EF%BF%BD&businessType=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(page.status).as(page.toString()).isEqualTo(400);
        RawResponse hex = raw("GET /lookup?subject=CN%3D%23041234&businessType=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(hex.status).as(hex.toString()).isEqualTo(400);
        assertThat(hex.body).doesNotContain("recode");

        assertJsonError(api.get("clerk1", "/api/v1/certificates?subject=CN%3D%EF%BF%BD"), 400, "subject", "U+FFFD");
        assertJsonError(api.postJson("security1", "/api/v1/operators",
                JSON.createObjectNode().put("uid", "odd1").put("name", "\u0000x").putPOJO("roles",
                        List.of("ENTRY_CLERK"))), 400, "name", "U+0000");
    }

    // --- helpers ---

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/statistics/certificates?to=%2B999999999-12-31",
            "/api/v1/statistics/certificates?to=-999999999-01-01",
            "/api/v1/statistics/efficiency?from=%2B999999999-12-30&to=%2B999999999-12-31",
            "/api/v1/statistics/certificates?from=%FF", "/api/v1/audit?type=%FF", "/api/v1/requests?state=%FF"})
    @Order(9)
    void anExtremeDateOrAQueryThatIsNotUtf8Is400(String uri) throws Exception {
        RawResponse response = raw("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + basic("admin", ADMIN_PASSWORD) + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status).as(response.toString()).isEqualTo(400);
        assertRawJsonError(response);
        assertThat(JSON.readTree(response.body).path("message").asText()).as(response.toString())
                .containsAnyOf("is outside the dates statistics cover", "not valid UTF-8 percent-encoding");
    }

    @Test
    @Order(10)
    void aBrowserCallFromAnotherSiteOrABodyNotSentAsJsonChangesNothing() throws Exception {
        RawResponse forged = raw("POST /api/v1/requests/" + submittedId + "/approve HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + basic("reviewer1", PASSWORD) + "\r\nOrigin: http://evil.example\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nx=y");
        assertThat(forged.status).as(forged.toString()).isEqualTo(403);
        assertRawJsonError(forged);

        byte[] application = JSON.writeValueAsBytes(personal("Sun Ba", "11010519491231002X",
                KeyAlgorithm.SM2.generate(RANDOM)));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            HttpResponse<byte[]> response = api.post("clerk1", "/api/v1/requests", type, application);
            assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(415);
        }
        byte[] trailing = (new String(application, StandardCharsets.UTF_8) + "{\"profile\":\"device\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertJsonError(api.post("clerk1", "/api/v1/requests", "application/json", trailing), 400, null,
                "trailing content after the JSON object");
        assertThat(api.json("reviewer1", "/api/v1/requests?state=SUBMITTED").toString()).doesNotContain("Sun Ba");
        assertThat(api.json("reviewer1", "/api/v1/requests/" + submittedId).path("state").asText())
                .as("the forged approve changed nothing").isEqualTo("SUBMITTED");
    }

    @Test
    @Order(11)
    void headAnUnknownOpenPathAndAnUnsupportedVersionAreAnsweredPlainly() throws Exception {
        RawResponse head = raw("HEAD /api/v1/openapi.yaml HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(head.status).as(head.toString()).isEqualTo(200);
        assertThat(head.body).isEmpty();

        RawResponse download = raw("POST /api/v1/km/recoveries/xx/download HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(download.status).as(download.toString()).isEqualTo(404);

        RawResponse version = raw("GET /ca HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(version.status).as(version.toString()).isEqualTo(505);
        assertThat(version.body).contains("unsupported HTTP version").doesNotContain("incident");
    }

    private static String basic(String uid, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((uid + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertJsonError(HttpResponse<byte[]> response, int status, String field, String message)
            throws Exception {
        String text = ApiClient.text(response);
        assertThat(response.statusCode()).as(text).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("code").asText()).as(text).isEqualTo("BAD_REQUEST");
        if (field == null) {
            assertThat(error.path("field").isNull()).as(text).isTrue();
        } else {
            assertThat(error.path("field").asText()).as(text).isEqualTo(field);
        }
        assertThat(error.path("message").asText()).as(text).contains(message);
        assertNoInternals(text);
    }

    private static void assertRawJsonError(RawResponse response) throws Exception {
        assertThat(response.headers.toLowerCase()).as(response.toString()).contains("content-type: application/json");
        JsonNode error = JSON.readTree(response.body);
        assertThat(error.has("code") && error.has("message") && error.has("field")).as(response.toString()).isTrue();
        assertNoInternals(response.body);
    }

    private static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("<html", "Exception", "\tat ", "egovChallengeHash", "dn:", "MIIB");
    }

    private record RawResponse(int status, String headers, String body) {
    }

    /** One request on a plain socket, so no client library normalises or refuses the URI first. */
    private static RawResponse raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.httpPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // The server closed after answering a refused request: what was read is the answer.
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertThat(split).as("an HTTP answer: " + text).isPositive();
            String headers = text.substring(0, split);
            int status = Integer.parseInt(headers.substring(9, 12));
            String body = text.substring(split + 4);
            if (headers.toLowerCase().contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
            }
            return new RawResponse(status, headers, body);
        }
    }

    private static ObjectNode personal(String name, String idNumber, KeyPair key) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", csr(key, new X500NameBuilder().addRDN(BCStyle.C, "CN").addRDN(BCStyle.O, "egov-pki test")
                .addRDN(BCStyle.CN, name).build()));
        body.put("profile", "personal");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", idNumber);
        registration.put("phone", "+86 371 6000 0000");
        body.put("businessType", "tax");
        body.put("region", "410000");
        body.put("challengePhrase", "my secret phrase");
        body.put("agreementAccepted", true);
        return body;
    }

    /** A CSR whose subject values are UTF8Strings (BC's default for CN, O, OU). */
    private static String csr(KeyPair key, X500Name subject) throws Exception {
        return Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
                .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded());
    }

    private static LDAPConnection admin() throws Exception {
        return server.directoryAdmin();
    }
}
