package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.enroll.SecondFactorLogin;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the real server jar with the shipped configuration (the second factor required of the
 * administrative roles): the first CA admin works with its password alone until a certificate is
 * bound (the enrolment grace, audited); it gets an SM2 certificate of the {@code operator} profile
 * through the normal two-person enrollment; a security admin binds it with {@code operator
 * bind-certificate}; from then on the password alone is refused naming the challenge endpoint; a
 * wrong signature is refused; {@code egov-pki login} signs the challenge with SM3withSM2 and stores
 * a token file (0600) that a later CLI command and a Bearer call use; revoking the certificate ends
 * the session. Then, over the HTTPS listener with the EC CAs on: a security admin binds its own ECDSA
 * operator certificate, and Basic with that certificate as TLS client certificate counts as two factors.
 * On the operators' pages: the security admin's password alone is refused (audited) over HTTP and over
 * HTTPS without the certificate, and logs in over HTTPS with it; an RA admin with none bound logs in
 * under the grace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoFactorLoginIT {

    private static final String PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static Path data;
    private static Path passwordFile;
    private static Path httpsKeyStore;
    private static Path config;
    private static KeyPair sec1Key;
    private static X509Certificate sec1Certificate;
    private static final java.util.regex.Pattern CSRF_FIELD = java.util.regex.Pattern.compile(
            "name=\"csrf\" value=\"([^\"]+)\"");
    private static final java.util.regex.Pattern CSRF_COOKIE = java.util.regex.Pattern.compile(
            "egov_csrf=([A-Za-z0-9_-]{43})");

    @BeforeAll
    static void start() throws Exception {
        httpsKeyStore = tmp.resolve("https.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "https", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12",
                "-keystore", httpsKeyStore.toString(), "-storepass", "changeit1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=IP:127.0.0.1", "-validity", "30").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # tls:\n  #   port: 8443\n  #   keyStore: /etc/egov-pki/https.p12\n"
                        + "  #   keyStorePassword: ...\n", "  tls:\n    port: 0\n    keyStore: " + httpsKeyStore
                        + "\n    keyStorePassword: changeit1\n"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: operator-ec\n    type: PERSONAL\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [clientAuth]\n"),
                // The EC operator certificates are operator certificates too (the TLS path needs an EC CA).
                yaml -> yaml.replace("    profiles: [operator]\n", "    profiles: [operator, operator-ec]\n"));
        data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        api = server.api(PASSWORD);
        passwordFile = Files.writeString(tmp.resolve("password"), PASSWORD);
        server.addOperator(config, "sec1", "SECURITY_ADMIN", passwordFile);
        server.addOperator(config, "sec2", "SECURITY_ADMIN", passwordFile);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
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
    void anAdminBindsAnSm2OperatorCertificateLogsInWithItAndRevocationEndsTheSession() throws Exception {
        // The enrolment grace: no certificate bound yet, the password alone still works.
        assertThat(api.get("admin", "/api/v1/requests").statusCode()).isEqualTo(200);

        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        String serial = issueOperatorCertificate(key, "Zhao Admin");
        byte[] certificate = api.bytes("admin", "/api/v1/certificates/" + serial + ".der");

        // Bound by two security admins (proposed with the CLI, confirmed over REST); the same certificate
        // cannot log in a second operator.
        ObjectNode bind = ApiClient.JSON.createObjectNode().put("certificate",
                Base64.getEncoder().encodeToString(certificate));
        HttpResponse<byte[]> notAdmin = api.postJson("clerk1", "/api/v1/operators/admin/certificate", bind);
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        Path certificatePem = Files.writeString(tmp.resolve("operator.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate) + "\n-----END CERTIFICATE-----\n");
        ServerProcess bound = server.cli("operator", "bind-certificate", "--url", server.baseUrl(), "--user", "sec1",
                "--password-file", passwordFile.toString(), "--uid", "admin", "--certificate", certificatePem.toString());
        assertThat(bound.exitValue()).as(bound.output()).isZero();
        assertThat(bound.output()).contains("\"state\" : \"PROPOSED\"").doesNotContain("\"status\"");
        assertThat(api.get("admin", "/api/v1/requests").statusCode()).as("nothing bound yet").isEqualTo(200);
        HttpResponse<byte[]> confirmed = api.postJson("sec2", "/api/v1/operators/admin/certificate", bind);
        assertThat(confirmed.statusCode()).as(ApiClient.text(confirmed)).isEqualTo(200);
        assertThat(ApiClient.text(confirmed)).contains("\"uid\":\"admin\"").contains("\"status\":\"VALID\"");
        HttpResponse<byte[]> twice = api.postJson("sec1", "/api/v1/operators/clerk1/certificate", bind);
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(ApiClient.text(twice)).contains("already bound to operator 'admin'");

        // Now the password alone is refused, naming the way in.
        HttpResponse<byte[]> basic = api.get("admin", "/api/v1/requests");
        assertThat(basic.statusCode()).isEqualTo(403);
        assertThat(ApiClient.text(basic)).contains("second factor required").contains("/api/v1/login/challenge");

        // An LDAP bind is a password alone too: a decision the admin adds in an LDAP browser is refused.
        String pending = submitPersonal("Sun Pending");
        try (LDAPConnection admin = server.bind("uid=admin,ou=operators," + ServerProcess.BASE, PASSWORD)) {
            admin.add(new Entry("egovDecisionId=admin-1,egovRequestId=" + pending + ",ou=requests," + ServerProcess.BASE,
                    new Attribute("objectClass", "top", "egovRequestDecision"), new Attribute("egovDecisionId", "admin-1"),
                    new Attribute("egovDecision", "APPROVED")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (LDAPConnection directoryAdmin = server.directoryAdmin()) {
                String note = directoryAdmin.getEntry("egovRequestId=" + pending + ",ou=requests," + ServerProcess.BASE,
                        "egovDecisionNote").getAttributeValue("egovDecisionNote");
                return note != null && note.contains("not an active egov-pki operator")
                        && note.contains("operator certificate");
            }
        });
        assertThat(api.json("reviewer1", "/api/v1/requests/" + pending).path("state").asText()).isEqualTo("SUBMITTED");

        // A signature by another key is refused, and spends the nonce.
        JsonNode challenge = api.postJson("admin", "/api/v1/login/challenge", Map.of(), 200);
        ObjectNode forged = ApiClient.JSON.createObjectNode().put("nonce", challenge.path("nonce").asText())
                .put("signature", sign(KeyAlgorithm.SM2.generate(RANDOM), challenge))
                .put("certificate", Base64.getEncoder().encodeToString(certificate));
        HttpResponse<byte[]> refused = api.postJson(null, "/api/v1/login", forged);
        assertThat(refused.statusCode()).as(ApiClient.text(refused)).isEqualTo(403);
        assertThat(ApiClient.text(refused)).contains("does not verify");

        // egov-pki login: PEM key and certificate, the token into a file only the owner reads.
        Path keyPem = Files.writeString(tmp.resolve("operator.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path tokenFile = tmp.resolve("token");
        ServerProcess login = server.cli("login", "--url", server.baseUrl(), "--user", "admin", "--password-file",
                passwordFile.toString(), "--key", keyPem.toString(), "--certificate", certificatePem.toString(),
                "--token-file", tokenFile.toString());
        assertThat(login.exitValue()).as(login.output()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        String token = Files.readString(tokenFile).trim();
        assertThat(bearer(token, "/api/v1/requests").statusCode()).isEqualTo(200);

        // A later CLI command with the token: the admin revokes its own operator certificate, which ends the session.
        ServerProcess revoke = server.cli("certificate", "revoke", "--url", server.baseUrl(), "--token-file",
                tokenFile.toString(), "--serial", serial, "--reason", "E", "--requester", "CA_RA");
        assertThat(revoke.exitValue()).as(revoke.output()).isZero();
        HttpResponse<byte[]> ended = bearer(token, "/api/v1/requests");
        assertThat(ended.statusCode()).isEqualTo(401);
        assertThat(ApiClient.text(ended)).contains("log in again");

        String audit = Files.readString(data.resolve("audit").resolve("audit.jsonl"));
        assertThat(audit).contains("OPERATOR_SECOND_FACTOR_GRACE").contains("OPERATOR_CERTIFICATE_BOUND")
                .contains("OPERATOR_SECOND_FACTOR_LOGIN").doesNotContain(token);
        assertThat(audit.lines().filter(l -> l.contains("OPERATOR_SECOND_FACTOR_LOGIN") && l.contains("FAILURE")))
                .isNotEmpty();
    }

    @Test
    @Order(2)
    void aSecurityAdminBindsItsOwnEcdsaCertificateAndUsesItAsTlsClientCertificate() throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String serial = issueOperatorCertificate(key, "Qian Security", "operator-ec", "SHA256WITHECDSA");
        byte[] der = api.bytes("sec1", "/api/v1/certificates/" + serial + ".der");
        // Its own, while none is bound: how the first security admin finishes its set-up.
        api.postJson("sec1", "/api/v1/operators/sec1/certificate", ApiClient.JSON.createObjectNode()
                .put("certificate", Base64.getEncoder().encodeToString(der)), 200);

        assertThat(api.get("sec1", "/api/v1/operators").statusCode()).as("Basic alone over HTTP").isEqualTo(403);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        sec1Key = key;
        sec1Certificate = certificate;
        HttpResponse<String> withCertificate = https(key, certificate, "/api/v1/operators");
        assertThat(withCertificate.statusCode()).as(withCertificate.body()).isEqualTo(200);
        assertThat(withCertificate.body()).contains("\"sec1\"");
        HttpResponse<String> without = https(null, null, "/api/v1/operators");
        assertThat(without.statusCode()).as("Basic alone over HTTPS").isEqualTo(403);
        assertThat(without.body()).contains("second factor required");
    }

    @Test
    @Order(3)
    void thePagesRefuseTheSecurityAdminsPasswordAloneAndLogItInWithItsCertificateOverHttps() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        String httpBase = server.baseUrl();
        String httpsBase = "https://127.0.0.1:" + server.httpsPort;

        HttpResponse<String> overHttp = pageLogin(plain, httpBase, "sec1");
        assertThat(overHttp.statusCode()).isEqualTo(403);
        assertThat(overHttp.body()).contains("id=\"login-error\"", "This account needs a second factor");
        assertThat(overHttp.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("egov_session="));
        HttpResponse<String> httpsWithout = pageLogin(httpsClient(null, null), httpsBase, "sec1");
        assertThat(httpsWithout.statusCode()).isEqualTo(403);
        assertThat(httpsWithout.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("egov_session="));
        assertThat(Files.readString(data.resolve("audit").resolve("audit.jsonl")).lines()
                .filter(l -> l.contains("OPERATOR_SECOND_FACTOR_LOGIN") && l.contains("FAILURE")
                        && l.contains("password alone on the pages"))).hasSize(2);

        HttpClient withCertificate = httpsClient(sec1Key, sec1Certificate);
        HttpResponse<String> loggedIn = pageLogin(withCertificate, httpsBase, "sec1");
        assertThat(loggedIn.statusCode()).as(loggedIn.body()).isEqualTo(303);
        String cookie = loggedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("egov_session=")).findFirst().orElseThrow();
        assertThat(cookie).contains("Secure", "HttpOnly");
        HttpResponse<String> mine = withCertificate.send(HttpRequest.newBuilder(URI.create(httpsBase
                        + "/my/certificates?lang=en")).header("Cookie", cookie.substring(0, cookie.indexOf(';'))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("Logged in as sec1.");
        assertThat(Files.readString(data.resolve("audit").resolve("audit.jsonl")).lines()
                .filter(l -> l.contains("OPERATOR_SECOND_FACTOR_LOGIN") && l.contains("SUCCESS")
                        && l.contains("TLS client certificate"))).hasSize(1);

        // The enrolment grace: an RA admin with no certificate bound yet still logs in with the password.
        server.addOperator(config, "raadmin1", "RA_ADMIN", passwordFile);
        HttpResponse<String> grace = pageLogin(plain, httpBase, "raadmin1");
        assertThat(grace.statusCode()).as(grace.body()).isEqualTo(303);
        assertThat(grace.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("egov_session="));
    }

    /** The pages' login form as a browser fills it: the form and its CSRF cookie first, then the POST. */
    private static HttpResponse<String> pageLogin(HttpClient http, String base, String uid) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login?lang=en")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        java.util.regex.Matcher token = CSRF_FIELD.matcher(form.body());
        assertThat(token.find()).isTrue();
        java.util.regex.Matcher cookie = CSRF_COOKIE.matcher(String.join(";", form.headers().allValues("Set-Cookie")));
        assertThat(cookie.find()).isTrue();
        String body = "csrf=" + java.net.URLEncoder.encode(token.group(1), StandardCharsets.UTF_8) + "&uid=" + uid
                + "&password=" + PASSWORD;
        return http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", "egov_lang=en; egov_csrf=" + cookie.group(1))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET over the HTTPS listener as sec1 with Basic, presenting {@code certificate} as TLS client certificate if given. */
    private static HttpResponse<String> https(KeyPair key, X509Certificate certificate, String path) throws Exception {
        return httpsClient(key, certificate).send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
                        + server.httpsPort + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("sec1:" + PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client of the HTTPS listener that trusts its key, presenting {@code certificate} if given. */
    private static HttpClient httpsClient(KeyPair key, X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(httpsKeyStore)) {
            trust.load(in, "changeit1".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore client = KeyStore.getInstance("PKCS12");
        client.load(null, null);
        if (key != null) {
            client.setKeyEntry("operator", key.getPrivate(), "pw".toCharArray(), new Certificate[] {certificate});
        }
        kmf.init(client, "pw".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A personal request submitted by the clerk, waiting for review; its id. */
    private static String submitPersonal(String name) throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), key.getPublic())
                .build(new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", "operator");
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", TestResidentIds.next());
        body.put("challengePhrase", "pending phrase 1");
        body.put("agreementAccepted", true);
        return api.postJson("clerk1", "/api/v1/requests", body, 201).path("id").asText();
    }

    private static String issueOperatorCertificate(KeyPair key, String name) throws Exception {
        return issueOperatorCertificate(key, name, "operator", "SM3WITHSM2");
    }

    private static String issueOperatorCertificate(KeyPair key, String name, String profile, String algorithm)
            throws Exception {
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + name + ",O=egov-pki test,C=CN"), key.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", profile);
        ObjectNode registration = body.putObject("registration");
        registration.put("realName", name);
        registration.put("idType", "RESIDENT_ID");
        registration.put("idNumber", TestResidentIds.next());
        body.put("challengePhrase", "operator phrase 1");
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode issued = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        return issued.path("serials").get(0).asText();
    }

    private static String sign(KeyPair key, JsonNode challenge) throws Exception {
        Signature signer = Signature.getInstance("SM3withSM2", BouncyCastle.PROVIDER);
        signer.initSign(key.getPrivate());
        signer.update(SecondFactorLogin.challengeMessage(challenge.path("uid").asText(),
                challenge.path("nonce").asText()));
        return Base64.getEncoder().encodeToString(signer.sign());
    }

    private static HttpResponse<byte[]> bearer(String token, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
