package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.egovpki.server.metrics.Promtool;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URLEncoder;
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
import java.util.Arrays;
import java.util.Base64;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.x509.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OCSP responder of the real server with {@code ocsp.signer: delegated}: OpenSSL accepts the
 * delegated responder of an ECDSA chain for a certificate the server issued, an SM2 CA's delegated
 * responses verify with Bouncy Castle, nonce-free answers come from the cache, and bad requests
 * get OCSP error statuses while the server stays up.
 */
class OcspIT {

    private static final String ADMIN_PASSWORD = "Root2026pass";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int MALFORMED_REQUEST = 1;
    private static final int UNAUTHORIZED = 6;

    @TempDir
    static Path tmp;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + ADMIN_PASSWORD),
                yaml -> yaml.replace("  signer: ca\n", "  signer: delegated\n"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n  - name: device-ec\n    type: DEVICE\n"
                        + "    issuer: ec-issuing\n    validityMonths: 12\n    identityExtensions: NONE\n"
                        + "    extendedKeyUsages: [serverAuth]\n    autoApproveForRa: true\n"));
        assertThat(Files.readString(config)).contains("signer: delegated").contains("name: device-ec");
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void openSslAcceptsTheDelegatedResponderOfAnEcdsaChainAndNonceFreeAnswersComeFromTheCache() throws Exception {
        assumeThat(Tools.openSsl()).as("openssl on PATH").isTrue();
        String serial = issueEcdsaDeviceCertificate();
        Path leaf = tmp.resolve("ec-leaf.pem");
        Files.write(leaf, get("/api/v1/certificates/" + serial + ".pem", true));
        Path issuer = tmp.resolve("ec-issuing.pem");
        Files.write(issuer, get("/ca/ec-issuing.pem", false));
        Path root = tmp.resolve("ec-root.pem");
        Files.write(root, get("/ca/ec-root.pem", false));
        String url = server.baseUrl() + "/ocsp";

        // A live query with a nonce: signed fresh by the delegated responder, checked by OpenSSL
        // (responder certificate issued by the leaf's issuer, OCSPSigning, chain to the root).
        String live = Tools.run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(), "-url", url,
                "-CAfile", root.toString(), "-verify_other", issuer.toString());
        assertThat(live).contains("Response verify OK").contains(leaf + ": good").doesNotContain("WARNING");

        // The nonce-free request RFC 5019 clients send: twice the same bytes from the cache.
        Path request = tmp.resolve("req.der");
        Tools.run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", leaf.toString(), "-no_nonce", "-reqout",
                request.toString());
        byte[] first = post(Files.readAllBytes(request)).body();
        byte[] second = post(Files.readAllBytes(request)).body();
        assertThat(second).as("served from the cache").isEqualTo(first);
        Path response = tmp.resolve("resp.der");
        Files.write(response, first);
        String checked = Tools.run("openssl", "ocsp", "-respin", response.toString(), "-issuer", issuer.toString(),
                "-cert", leaf.toString(), "-CAfile", root.toString(), "-verify_other", issuer.toString(), "-no_nonce",
                "-resp_text");
        assertThat(checked).contains("Response verify OK").contains(leaf + ": good")
                .contains("egov-pki ECDSA Issuing CA OCSP Responder").contains("OCSP No Check")
                .contains("OCSP Signing").doesNotContain("WARNING");

        BasicOCSPResp basic = basic(first);
        X509Certificate responder = certificate(basic);
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        responder.verify(issuing.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(responder.getPublicKey()).isNotEqualTo(issuing.getPublicKey());
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(responder.getPublicKey()))).isTrue();
    }

    @Test
    void anSm2CasDelegatedResponsesVerifyWithBouncyCastle() throws Exception {
        X509Certificate root = Pem.parseCertificate(get("/ca/sm2-root.crt", false));
        X509Certificate issuing = Pem.parseCertificate(get("/ca/sm2-issuing.crt", false));

        BasicOCSPResp basic = basic(post(request(root, issuing.getSerialNumber())).body());

        X509Certificate responder = certificate(basic);
        responder.verify(root.getPublicKey(), BouncyCastle.PROVIDER);
        assertThat(responder.getSigAlgOID()).isEqualTo("1.2.156.10197.1.501");
        assertThat(responder.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
        assertThat(responder.getNonCriticalExtensionOIDs()).contains(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId());
        assertThat(basic.getSignatureAlgOID().getId()).isEqualTo("1.2.156.10197.1.501");
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build(responder.getPublicKey()))).isTrue();
        assertThat(basic.getResponses()[0].getCertStatus()).as("the root answers for the issuing CA it certified")
                .isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
    }

    /**
     * The JDK's PKIX validator checking revocation by OCSP only, every certificate of the path: the
     * issuing CA's AIA leads it to the root's delegated responder, the subscriber's to the issuing
     * CA's; both answer good and verify.
     */
    @Test
    void theJdkInOcspOnlyModeAcceptsAnEcdsaChainAnsweredByDelegatedResponders() throws Exception {
        java.security.cert.CertificateFactory x509 = java.security.cert.CertificateFactory.getInstance("X.509");
        X509Certificate root = (X509Certificate) x509.generateCertificate(
                new java.io.ByteArrayInputStream(get("/ca/ec-root.crt", false)));
        X509Certificate issuing = (X509Certificate) x509.generateCertificate(
                new java.io.ByteArrayInputStream(get("/ca/ec-issuing.crt", false)));
        X509Certificate leaf = (X509Certificate) x509.generateCertificate(new java.io.ByteArrayInputStream(
                get("/api/v1/certificates/" + issueEcdsaDeviceCertificate() + ".pem", true)));

        assertThat(OcspOnlyPkix.validate(java.util.List.of(leaf, issuing), root)).as("no soft failures").isEmpty();
    }

    @Test
    void badRequestsGetOcspErrorStatusesAndTheServerStaysUp() throws Exception {
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        byte[] valid = request(issuing, BigInteger.TEN);
        byte[] random = new byte[300];
        RANDOM.nextBytes(random);
        byte[] oversized = new byte[16 * 1024 + 1];
        System.arraycopy(valid, 0, oversized, 0, valid.length);
        KeyPair stranger = KeyAlgorithm.EC.generate(RANDOM);
        X509Certificate unknownIssuer = selfSigned(stranger);

        assertStatus(post(random), MALFORMED_REQUEST, "random bytes");
        assertStatus(post(Arrays.copyOf(valid, valid.length - 7)), MALFORMED_REQUEST, "truncated DER");
        assertStatus(post(oversized), MALFORMED_REQUEST, "a body over 16 KiB");
        assertStatus(send(HttpRequest.newBuilder(server.url("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(oversized)))
                .build()), MALFORMED_REQUEST, "a chunked body over 16 KiB");
        assertStatus(post(request(unknownIssuer, BigInteger.TEN)), UNAUTHORIZED, "a CertID of an unknown issuer");
        assertStatus(send(HttpRequest.newBuilder(server.url("/ocsp/!!!"))
                .build()), MALFORMED_REQUEST, "GET with no base64");
        assertStatus(get(request(unknownIssuer, BigInteger.ONE)), UNAUTHORIZED, "GET of an unknown issuer");

        assertThat(server.isAlive()).isTrue();
        assertThat(send(HttpRequest.newBuilder(server.url("/health")).build())
                .statusCode()).isEqualTo(200);
        assertThat(basic(post(valid).body()).getResponses()).hasSize(1);
    }

    /**
     * {@code ocsp.presigned: true} (the default): a nonce-free request for one certificate is
     * answered with the same pre-signed bytes again, and a revocation replaces that answer before
     * the revoking call returns, so the very next request reads {@code revoked}.
     */
    @Test
    void aPreSignedAnswerIsServedAgainAndFlipsToRevokedAtOnce() throws Exception {
        String serial = issueEcdsaDeviceCertificate();
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        byte[] request = request(issuing, new BigInteger(serial, 16));
        byte[] first = post(request).body();
        assertThat(post(request).body()).as("the pre-signed answer").isEqualTo(first);
        assertThat(basic(first).getResponses()[0].getCertStatus())
                .isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);

        ObjectNode revoke = JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        HttpResponse<byte[]> revoked = send(authorized("/api/v1/certificates/" + serial + "/revoke")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(revoke))).build());
        assertThat(revoked.statusCode()).as(new String(revoked.body(), StandardCharsets.UTF_8)).isEqualTo(200);

        byte[] after = post(request).body();
        assertThat(basic(after).getResponses()[0].getCertStatus())
                .isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class);
        assertThat(post(request).body()).as("the revoked answer, pre-signed in turn").isEqualTo(after);
    }

    /**
     * {@code ocsp.presignAhead: true} (the default): a new certificate's answer is signed at issuance,
     * so its very first request — SHA-1 CertID with NULL parameters, as OpenSSL, the JDK and browsers
     * send it — is answered from it, not signed on the request path.
     */
    @Test
    void aNewCertificatesFirstRequestIsAnsweredFromTheAnswerSignedAtIssuance() throws Exception {
        String serial = issueEcdsaDeviceCertificate();
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        double before = presignedHits();

        byte[] answer = post(request(issuing, new BigInteger(serial, 16),
                new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1, org.bouncycastle.asn1.DERNull.INSTANCE))).body();

        assertThat(presignedHits()).as("the first request was a pre-signed answer").isEqualTo(before + 1);
        assertThat(basic(answer).getResponses()[0].getCertStatus())
                .isSameAs(org.bouncycastle.cert.ocsp.CertificateStatus.GOOD);
        assertThat(basic(answer).getResponses()[0].getCertID().getSerialNumber()).isEqualTo(new BigInteger(serial, 16));
    }

    private static double presignedHits() throws Exception {
        HttpResponse<byte[]> scraped = send(HttpRequest.newBuilder(server.url("/metrics")).build());
        return value(new String(scraped.body(), StandardCharsets.UTF_8), "egovpki_ocsp_presigned_hits_total");
    }

    /**
     * {@code GET /metrics} after an issuance, a revocation, OCSP answers and a CRL on the real jar:
     * each new series with a plausible value, and the whole answer accepted by {@code promtool check
     * metrics} (the Prometheus project's own linter).
     */
    @Test
    void metricsShowTheIssuanceRevocationCrlAndOcspAnswersAndPassPromtool() throws Exception {
        String serial = issueEcdsaDeviceCertificate();
        ObjectNode revoke = JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        HttpResponse<byte[]> revoked = send(authorized("/api/v1/certificates/" + serial + "/revoke")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(revoke))).build());
        assertThat(revoked.statusCode()).as(new String(revoked.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        assertThat(basic(post(request(issuing, new BigInteger(serial, 16))).body()).getResponses()[0].getCertStatus())
                .isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class);
        assertStatus(post(new byte[] {0x30, 0x00}), MALFORMED_REQUEST, "an empty SEQUENCE");
        HttpResponse<byte[]> crl = send(authorized("/api/v1/crls/ec-issuing")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(crl.statusCode()).as(new String(crl.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        long now = System.currentTimeMillis() / 1000;

        HttpResponse<byte[]> scraped = send(HttpRequest.newBuilder(server.url("/metrics")).build());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String text = new String(scraped.body(), StandardCharsets.UTF_8);

        assertThat(value(text, "egovpki_certificates_issued_total{ca=\"ec-issuing\",occasion=\"new\","
                + "profile=\"device-ec\",type=\"device\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_certificates_revoked_total{ca=\"ec-issuing\",reason=\"key_compromise\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_issuance_duration_seconds_count{outcome=\"success\",profile=\"device-ec\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_ocsp_responses_total{status=\"revoked\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_ocsp_errors_total{status=\"malformedRequest\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_ocsp_response_duration_seconds_count")).isGreaterThanOrEqualTo(2);
        assertThat(value(text, "egovpki_crl_publications_total{ca=\"ec-issuing\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_crl_entries{ca=\"ec-issuing\"}")).isGreaterThanOrEqualTo(1);
        double thisUpdate = value(text, "egovpki_crl_this_update_timestamp_seconds{ca=\"ec-issuing\"}");
        double nextUpdate = value(text, "egovpki_crl_next_update_timestamp_seconds{ca=\"ec-issuing\"}");
        assertThat(thisUpdate).isBetween(now - 300.0, now + 5.0);
        assertThat(nextUpdate - thisUpdate).as("ca.crl.nextUpdateHours: 24").isEqualTo(24 * 3600.0);
        assertThat(value(text, "egovpki_crl_next_update_timestamp_seconds{ca=\"sm2-root\"}")).isGreaterThan(now);
        assertThat(value(text, "egovpki_directory_up")).isEqualTo(1.0);
        if (!ServerProcess.onSlapd()) {
            // Counted by the embedded directory's interceptor; an external directory's operations are its own.
            assertThat(value(text, "egovpki_directory_operations_total{operation=\"add\"}")).isGreaterThanOrEqualTo(1);
        } else {
            assertThat(text).doesNotContain("egovpki_directory_operations_total");
        }
        assertThat(value(text, "egovpki_directory_pool_connections_max{pool=\"egov-pki-ca\"}")).isEqualTo(8.0);
        assertThat(value(text, "egovpki_route_exchanges_total{route=\"issuance\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "egovpki_route_exchanges_total{route=\"lifecycle-events\"}")).isGreaterThanOrEqualTo(2);
        assertThat(text).contains("jetty_server_requests_seconds_count{", "jetty_connections_", "jvm_memory_used_bytes{",
                "jvm_gc_", "process_cpu_seconds_total ");

        Promtool.require();
        Promtool.run(text, "check", "metrics");
    }

    /** The value of the one sample named exactly {@code series} (name and labels as rendered). */
    private static double value(String exposition, String series) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        assertThat(sample.find()).as("a sample of %s in%n%s", series, exposition).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    /**
     * RFC 6960 appendix A.1 GET, URL-encoded as Java's own OCSP client sends it: a base64 '/' as
     * %2F (Jetty refuses an encoded slash in a path unless told otherwise) and '+' as %2B (which
     * must not become a space).
     */
    @ParameterizedTest
    @ValueSource(strings = {"/", "+"})
    void getWithAnUrlEncodedRequestIsAnswered(String base64Character) throws Exception {
        X509Certificate issuing = Pem.parseCertificate(get("/ca/ec-issuing.crt", false));
        byte[] request = null;
        for (int i = 0; request == null; i++) {
            byte[] candidate = request(issuing, BigInteger.valueOf(1000 + i));
            if (Base64.getEncoder().encodeToString(candidate).contains(base64Character)) {
                request = candidate;
            }
        }

        HttpResponse<byte[]> response = get(request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(basic(response.body()).getResponses()).hasSize(1);
    }

    // --- helpers ---

    private static HttpResponse<byte[]> get(byte[] ocspRequest) throws Exception {
        String encoded = URLEncoder.encode(Base64.getEncoder().encodeToString(ocspRequest), StandardCharsets.US_ASCII);
        return send(HttpRequest.newBuilder(server.url("/ocsp/" + encoded))
                .build());
    }

    private static String issueEcdsaDeviceCertificate() throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(RANDOM);
        String host = "ocsp-test.example.gov.cn";
        byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + host + ",O=Tax Bureau,C=CN"),
                key.getPublic()).build(new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER)
                .build(key.getPrivate())).getEncoded();
        ObjectNode body = JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(csr));
        body.put("profile", "device-ec");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(host);
        registration.put("owner", "Tax Bureau IT");
        body.put("agreementAccepted", true);
        HttpResponse<byte[]> response = send(authorized("/api/v1/requests").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        JsonNode issued = JSON.readTree(response.body());
        assertThat(response.statusCode()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.path("state").asText()).as(issued.toString()).isEqualTo("ISSUED");
        return issued.path("serials").get(0).asText();
    }

    private static byte[] request(X509Certificate issuer, BigInteger serial) throws Exception {
        return request(issuer, serial, new AlgorithmIdentifier(OIWObjectIdentifiers.idSHA1));
    }

    private static byte[] request(X509Certificate issuer, BigInteger serial, AlgorithmIdentifier hash) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                .build().get(hash), new JcaX509CertificateHolder(issuer), serial);
        return new OCSPReqBuilder().addRequest(id).build().getEncoded();
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        X500Principal name = new X500Principal("CN=Not an egov-pki CA,C=CN");
        var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new java.util.Date(), new java.util.Date(System.currentTimeMillis() + 86_400_000L), name, key.getPublic());
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256WITHECDSA").setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())));
    }

    private static BasicOCSPResp basic(byte[] der) throws Exception {
        OCSPResp response = new OCSPResp(der);
        assertThat(response.getStatus()).isZero();
        return (BasicOCSPResp) response.getResponseObject();
    }

    private static X509Certificate certificate(BasicOCSPResp basic) throws Exception {
        assertThat(basic.getCerts()).as("the delegated responder certificate is sent").hasSize(1);
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(basic.getCerts()[0]);
    }

    private static void assertStatus(HttpResponse<byte[]> response, int status, String what) throws Exception {
        assertThat(response.statusCode()).as(what).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/ocsp-response");
        OCSPResp ocsp = new OCSPResp(response.body());
        assertThat(ocsp.getStatus()).as(what).isEqualTo(status);
        assertThat(ocsp.getResponseObject()).as(what).isNull();
    }

    private static HttpResponse<byte[]> post(byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(server.url("/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(server.url(path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] get(String path, boolean authorized) throws Exception {
        HttpResponse<byte[]> response = send(authorized ? authorized(path).build()
                : HttpRequest.newBuilder(server.url(path)).build());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
