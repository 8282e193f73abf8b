package org.egovpki.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.egovpki.core.ca.CaRegistry;
import org.egovpki.core.certificate.CertificateLookup;
import org.egovpki.core.certificate.CertificateRecord;
import org.egovpki.core.certificate.CertificateStatus;
import org.egovpki.core.certificate.IssuanceState;
import org.egovpki.core.certificate.PublishedCertificates;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.egovpki.core.profile.CertificateType;
import org.egovpki.core.profile.KeyUsageKind;
import org.egovpki.core.x509.StoreKeys;
import org.egovpki.server.config.ConfigLoader;
import org.egovpki.server.config.EgovPkiConfig;
import org.egovpki.server.http.TokenBucketsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public pages through Jetty's local connector, against a fake directory holding one published
 * certificate whose subject is markup: escaping, the lookup's rules and rate limit, the security
 * headers, the language switch and the CSRF refusals. The browser flows run in PublicPagesIT.
 */
class WebHandlerTest {

    private static final String SCRIPT_CN = "<script>alert(1)</script>";
    private static final String SUBJECT = "CN=" + SCRIPT_CN + ",O=Test,C=CN";
    private static final BigInteger SERIAL = new BigInteger("1a2b3c", 16);

    private final TokenBucketsTest.MovingClock clock = new TokenBucketsTest.MovingClock();
    private final List<String> serialQueries = new ArrayList<>();
    private CertificateRecord record;
    private boolean published = true;
    private Server http;
    private LocalConnector connector;

    @BeforeEach
    void start() throws Exception {
        X509Certificate certificate = certificate();
        record = new CertificateRecord("sm2-issuing", SERIAL, "req-1", "subscriber-secret-id", SUBJECT, "device",
                CertificateType.DEVICE, KeyUsageKind.SIGNING, "tax", "110000", CertificateStatus.VALID,
                IssuanceState.PUBLISHED, null, certificate.getEncoded(), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), "ab", Instant.parse("2026-01-01T00:00:00Z"), 0, null);
        String subjectHash = StoreKeys.of(certificate).subjectHash();
        CertificateLookup lookup = query -> {
            serialQueries.add(query.serialHex());
            boolean serial = query.serialHex() == null || query.serialHex().equals(record.serialHex());
            boolean subject = query.subjectDn() == null || query.subjectDn().equals(SUBJECT);
            return serial && subject ? List.of(record) : List.of();
        };
        PublishedCertificates directory = (key, value, limit) -> new PublishedCertificates.Found(
                published && key == StoreKeys.Key.SUBJECT_HASH && value.equals(subjectHash)
                        ? List.of(record.certificateDer()) : List.of(), false);
        EgovPkiConfig.Info info = new EgovPkiConfig.Info("测试 CA", "Test CA <&>", "+86 10 1234 5678",
                "ca@example.gov.cn", null, null, null, null, null, 60, 2);
        // No channels: a request that reached them would fail with a 500, so a 403 proves it did not.
        WebHandler handler = new WebHandler(info, new CaRegistry(List.of()), lookup, directory, null, clock,
                new SecureRandom());
        http = new Server();
        connector = new LocalConnector(http);
        http.addConnector(connector);
        http.setHandler(handler);
        http.start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    @Test
    void theHomePageIsChineseByDefaultWithTheSecurityHeadersAndNoScript() throws Exception {
        HttpTester.Response response = get("/", "");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.get("Content-Security-Policy")).contains("default-src 'self'")
                .contains("frame-ancestors 'none'").contains("script-src 'none'");
        assertThat(response.get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.get("Referrer-Policy")).isEqualTo("no-referrer");
        String html = response.getContent();
        assertThat(html).contains("<html lang=\"zh-CN\">").contains("name=\"viewport\"").contains("测试 CA")
                .contains("href=\"/cps\"").contains("+86 10 1234 5678").doesNotContain("<script")
                .doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void aBrowserAskingForAPageNoOneServesGetsA404PageWithTheNavigationAndThePathEscaped() throws Exception {
        String browser = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n";
        HttpTester.Response response = get("/lookupp/%3Cb%3Ex", browser);
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(response.get("Content-Security-Policy")).contains("script-src 'none'");
        assertThat(response.getContent()).contains("<html lang=\"zh-CN\">").contains("id=\"not-found\"")
                .contains("本站没有").contains("href=\"/lookup\"").contains("href=\"/revoke\"")
                .doesNotContain("<b>").doesNotContain("NOT_FOUND");
        assertThat(get("/nosuch", browser + "Cookie: egov_lang=en\r\n").getContent())
                .contains("<html lang=\"en\">").contains("There is no page at /nosuch");
    }

    @Test
    void machinesAndTheMachineResourcesAreLeftToTheHandlersAfterThePages() throws Exception {
        // Not handled here: Jetty's own 404 in this test, the JSON answer of PublicHandler in the server.
        for (String[] call : new String[][]{{"/nosuch", "Accept: */*\r\n"}, {"/nosuch", ""},
                {"/ca/sm2-root.crt", "Accept: text/html\r\n"}, {"/crl/sm2-issuing.crl", "Accept: text/html\r\n"},
                {"/certs", "Accept: text/html\r\n"}, {"/health", "Accept: text/html\r\n"}}) {
            HttpTester.Response response = get(call[0], call[1]);
            assertThat(response.getStatus()).as(call[0] + " " + call[1]).isEqualTo(404);
            assertThat(response.getContent()).as(call[0]).doesNotContain("id=\"not-found\"");
        }
    }

    @Test
    void langEnSwitchesToEnglishAndIsRemembered() throws Exception {
        HttpTester.Response response = get("/?lang=en", "");
        assertThat(response.getContent()).contains("<html lang=\"en\">").contains("Test CA &lt;&amp;&gt;");
        assertThat(response.get("Set-Cookie")).contains("egov_lang=en").contains("SameSite=Strict");
        assertThat(get("/lookup", "Cookie: egov_lang=en\r\n").getContent()).contains("<html lang=\"en\">")
                .contains("Certificate lookup");
        assertThat(get("/lookup", "Cookie: egov_lang=xx\r\n").getContent()).contains("<html lang=\"zh-CN\">");
    }

    @Test
    void theCpsIsAtTheUrlCertificatesCarryAndSaysItIsATemplate() throws Exception {
        assertThat(ConfigLoader.defaults().profiles().all().iterator().next().profile().cpsUri()).endsWith("/cps");
        HttpTester.Response response = get("/cps", "");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.get("Content-Type")).startsWith("text/html");
        assertThat(response.getContent()).contains("模板");
    }

    @Test
    void aLookupBySerialShowsOnlyPublicDataWithTheMarkupInTheSubjectEscaped() throws Exception {
        String html = get("/lookup?serial=1A2B3C", "").getContent();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(SCRIPT_CN)
                .contains("1a2b3c").contains("/lookup/sm2-issuing/1a2b3c.der")
                .doesNotContain("subscriber-secret-id").doesNotContain("req-1").doesNotContain("110000");
    }

    @Test
    void anUnpublishedCertificateShowsItsStatusButNeitherSubjectNorDownloads() throws Exception {
        published = false;
        String html = get("/lookup?serial=1a2b3c", "").getContent();
        assertThat(html).contains("status-valid").doesNotContain("alert(1)").doesNotContain(".der\"");
        assertThat(get("/lookup/sm2-issuing/1a2b3c.der", "").getStatus()).isEqualTo(404);
    }

    @Test
    void aPublishedCertificateDownloadsAsDer() throws Exception {
        HttpTester.Response response = get("/lookup/sm2-issuing/1a2b3c.der", "");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.get("Content-Type")).isEqualTo("application/pkix-cert");
        assertThat(response.getContentBytes()).isEqualTo(record.certificateDer());
    }

    @Test
    void aLookupBySubjectNeedsTheExactSubjectAndTheBusinessType() throws Exception {
        assertThat(get("/lookup?subject=" + enc(SUBJECT) + "&businessType=tax", "").getContent())
                .contains("1a2b3c");
        assertThat(get("/lookup?subject=" + enc(SUBJECT) + "&businessType=health", "").getContent())
                .contains("id=\"no-results\"");
        clock.advance(Duration.ofMinutes(1));
        HttpTester.Response wildcard = get("/lookup?subject=" + enc("CN=*,O=Test,C=CN") + "&businessType=tax", "");
        assertThat(wildcard.getStatus()).isEqualTo(400);
        assertThat(wildcard.getContent()).contains("wildcards are not allowed");
        HttpTester.Response noType = get("/lookup?subject=" + enc(SUBJECT), "");
        assertThat(noType.getStatus()).isEqualTo(400);
        assertThat(noType.getContent()).contains("business type is required");
    }

    @Test
    void markupTypedIntoTheFormComesBackEscaped() throws Exception {
        String html = get("/lookup?subject=" + enc("\"><script>x</script>") + "&businessType=tax", "").getContent();
        assertThat(html).doesNotContain("<script>x").contains("&quot;&gt;&lt;script&gt;x");
    }

    @Test
    void lookupsBeyondTheBurstAre429UntilTheBucketRefills() throws Exception {
        assertThat(get("/lookup?serial=1", "").getStatus()).isEqualTo(200);
        assertThat(get("/lookup?serial=2", "").getStatus()).isEqualTo(200);
        HttpTester.Response limited = get("/lookup?serial=3", "");
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.get("Retry-After")).isEqualTo("1");
        assertThat(serialQueries).as("the limited lookup never reached the directory").containsExactly("1", "2");
        clock.advance(Duration.ofSeconds(1));
        assertThat(get("/lookup?serial=3", "").getStatus()).isEqualTo(200);
    }

    @Test
    void aBadSerialIsRefusedWithTheApisMessage() throws Exception {
        HttpTester.Response response = get("/lookup?serial=xyz", "");
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContent()).contains("serial must be 1-40 hexadecimal digits");
    }

    @Test
    void theFormSetsAnHttpOnlyStrictCsrfCookieAndCarriesItsToken() throws Exception {
        HttpTester.Response form = get("/revoke", "");
        assertThat(form.get("Set-Cookie")).startsWith(Csrf.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict");
        assertThat(form.getContent()).contains("name=\"csrf\"").contains("<label for=\"challengePhrase\">")
                .contains("<label for=\"serial\">").contains("<label for=\"reason\">");
    }

    @Test
    void aPostWithoutOrWithAForgedCsrfTokenIs403AndReachesNoService() throws Exception {
        String body = "serial=1a2b3c&challengePhrase=x&reason=HOLDER_REQUEST";
        HttpTester.Response missing = post("/revoke", "", body);
        assertThat(missing.getStatus()).isEqualTo(403);
        assertThat(missing.getContent()).contains("id=\"csrf-refused\"");

        HttpTester.Response form = get("/revoke", "");
        String cookie = form.get("Set-Cookie").split(";")[0];
        String token = form.getContent().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");
        assertThat(post("/revoke", "", body + "&csrf=" + token).getStatus()).as("token without its cookie").isEqualTo(403);
        assertThat(post("/revoke", "Cookie: " + cookie + "\r\n", body + "&csrf=forged" + token).getStatus())
                .as("forged token").isEqualTo(403);
        assertThat(post("/recover", "Cookie: " + cookie + "\r\n", "recovery=r&challengeCode=c&publicKey=k&csrf="
                + token).getStatus()).as("the revoke form's token on the recover form").isEqualTo(403);
    }

    @Test
    void aFormTooLargeOrNotPercentEncodedIsA400NamingItAndReachesNoService() throws Exception {
        HttpTester.Response form = get("/revoke", "");
        String cookie = "Cookie: " + form.get("Set-Cookie").split(";")[0] + "\r\n";
        String token = form.getContent().replaceAll("(?s).*name=\"csrf\" value=\"([^\"]+)\".*", "$1");

        // No channels: a form that reached them would fail with a 500, so a 400 proves it did not.
        HttpTester.Response malformed = post("/revoke", cookie, "serial=%ZZ&challengePhrase=x&csrf=" + token);
        assertThat(malformed.getStatus()).isEqualTo(400);
        assertThat(malformed.getContent()).contains("the form field &#39;serial&#39; is not valid percent-encoding");
        HttpTester.Response notUtf8 = post("/revoke", cookie, "serial=1a&challengePhrase=%FF&csrf=" + token);
        assertThat(notUtf8.getStatus()).isEqualTo(400);
        assertThat(notUtf8.getContent()).contains("challengePhrase");
        HttpTester.Response large = post("/revoke", cookie, "serial=1a&csrf=" + token + "&pad=" + "a".repeat(20_000));
        assertThat(large.getStatus()).isEqualTo(400);
        assertThat(large.getContent()).contains("the form is larger than 16384 bytes");
    }

    @Test
    void onlyTheFormsAcceptPostAndUnknownPathsFallThrough() throws Exception {
        assertThat(post("/lookup", "", "serial=1").getStatus()).isEqualTo(405);
        assertThat(get("/nothing-here", "").getStatus()).isEqualTo(404);
        HttpTester.Response css = get(WebHandler.CSS_PATH, "");
        assertThat(css.getStatus()).isEqualTo(200);
        assertThat(css.get("Content-Type")).startsWith("text/css");
    }

    @Test
    void aQueryThatIsNotUtf8IsA400PageNamingItAndLooksNothingUp() throws Exception {
        for (String path : List.of("/lookup?serial=%FF", "/?lang=%C3", "/lookup?serial=%zz")) {
            HttpTester.Response response = get(path, "");

            assertThat(response.getStatus()).as(path).isEqualTo(400);
            assertThat(response.get("Content-Type")).as(path).startsWith("text/html");
            assertThat(response.getContent()).as(path).contains("the query string is not valid UTF-8 percent-encoding");
        }
        assertThat(serialQueries).isEmpty();
    }

    private HttpTester.Response get(String path, String headers) throws Exception {
        return HttpTester.parseResponse(connector.getResponse("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + headers + "Connection: close\r\n\r\n"));
    }

    private HttpTester.Response post(String path, String headers, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpTester.parseResponse(connector.getResponse("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + headers + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n" + body));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static X509Certificate certificate() throws Exception {
        KeyPair key = KeyAlgorithm.EC.generate(new SecureRandom());
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "CN").addRDN(BCStyle.O, "Test")
                .addRDN(BCStyle.CN, SCRIPT_CN).build();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, SERIAL,
                Date.from(Instant.parse("2026-01-01T00:00:00Z")), Date.from(Instant.parse("2027-01-01T00:00:00Z")),
                name, key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }
}
