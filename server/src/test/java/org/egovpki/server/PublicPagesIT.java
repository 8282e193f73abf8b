package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.egovpki.core.crypto.BouncyCastle;
import org.egovpki.core.crypto.KeyAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The public pages in a real browser: Debian's headless chromium driven through its chromedriver,
 * against the real server jar (one start for the class). A certificate is issued over the REST
 * API, looked up by serial and by subject, downloaded, refused revocation with a wrong phrase and
 * with a missing CSRF cookie, revoked with the right phrase through the form, and seen revoked.
 * Every page visited is saved as {@code target/screenshots/<name>.png}. In CI (environment
 * {@code CI} set) a missing chromium or chromedriver fails the test; elsewhere it skips.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublicPagesIT {

    private static final String PASSWORD = "Root2026pass";
    private static final String PHRASE = "device phrase 1";
    private static final String HOST = "www.pages.example.gov.cn";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static WebDriver browser;
    private static String base;
    private static String serial;
    private static X509Certificate issued;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require();
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                // Enough lookups for the scenarios; the limit itself is WebHandlerTest's.
                yaml -> yaml.replace("    perMinute: 20\n    burst: 10", "    perMinute: 600\n    burst: 100"));
        server = ServerProcess.serve(tmp.resolve("data"), "--config", config.toString());
        base = server.baseUrl();
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        serial = issueDevice();
        issued = parse(api.bytes("admin", "/api/v1/certificates/" + serial + ".der"));

        browser = HeadlessChromium.start("1280,1100", "zh-CN");
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void theHomePageIsChineseSwitchesToEnglishAndLinksTheCpsTheCertificatesCarry() throws Exception {
        browser.get(base + "/");
        assertThat(htmlLang()).isEqualTo("zh-CN");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("egov-pki 演示证书认证机构");
        assertThat(browser.findElement(By.cssSelector("a[href='/ca/sm2-root.crt']")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.cssSelector("a[href='/crl/sm2-issuing.crl']")).isDisplayed()).isTrue();
        shot("home-zh");

        browser.findElement(By.id("lang-switch")).click();
        waitFor(ExpectedConditions.attributeToBe(By.tagName("html"), "lang", "en"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("egov-pki demonstration CA");
        shot("home-en");
        browser.get(base + "/lookup");
        assertThat(htmlLang()).as("English is remembered in a cookie").isEqualTo("en");

        browser.get(base + "/");
        browser.findElement(By.id("cps-link")).click();
        waitFor(ExpectedConditions.urlToBe(base + "/cps"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("Certification Practice Statement");
        shot("cps-en");

        // The CPS URI in the issued certificate answers 200 text/html.
        String cps = cpsUri(issued);
        assertThat(cps).isEqualTo(base + "/cps");
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(cps)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");

        browser.get(base + "/?lang=zh");
        assertThat(htmlLang()).isEqualTo("zh-CN");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base + "/");
        shot("home-phone");
        browser.manage().window().setSize(new Dimension(1280, 1100));
    }

    @Test
    @Order(2)
    void aCertificateIsFoundBySerialAndBySubjectAndItsDerAndPemDownload() throws Exception {
        browser.get(base + "/lookup");
        browser.findElement(By.id("serial")).sendKeys(serial);
        browser.findElement(By.cssSelector("#serial-form button")).click();
        WebElement row = resultRow();
        assertThat(row.getText()).contains(serial).contains("有效").contains(HOST);
        assertThat(browser.getPageSource()).doesNotContain("clerk1").doesNotContain("subscriberId");
        shot("lookup-result");

        byte[] der = fetch(base + row.findElement(By.linkText("DER")).getDomAttribute("href"));
        assertThat(parse(der).getSerialNumber()).isEqualTo(new BigInteger(serial, 16));
        byte[] pem = fetch(base + row.findElement(By.linkText("PEM")).getDomAttribute("href"));
        assertThat(new String(pem, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(parse(pem).getEncoded()).isEqualTo(der);
        byte[] chain = fetch(base + row.findElement(By.partialLinkText("PKCS#7")).getDomAttribute("href"));
        assertThat(CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER).generateCertificates(new ByteArrayInputStream(chain)))
                .as("the certificate and its CA chain").hasSize(3);

        String subject = row.findElements(By.tagName("td")).get(2).getText();
        browser.get(base + "/lookup");
        browser.findElement(By.id("subject")).sendKeys(subject);
        browser.findElement(By.id("businessType")).sendKeys("tax");
        browser.findElement(By.cssSelector("#subject-form button")).click();
        assertThat(resultRow().getText()).contains(serial);

        browser.get(base + "/lookup?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                + "&businessType=health");
        assertThat(browser.findElement(By.id("no-results")).isDisplayed()).as("another business type").isTrue();
    }

    @Test
    @Order(3)
    void theLookupFormWorksWithTheKeyboardAlone() {
        browser.get(base + "/lookup");
        for (int i = 0; i < 30 && !"serial".equals(browser.switchTo().activeElement().getDomAttribute("id")); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        WebElement active = browser.switchTo().activeElement();
        assertThat(active.getDomAttribute("id")).as("tabbed to the serial field").isEqualTo("serial");
        new Actions(browser).sendKeys(serial).sendKeys(Keys.ENTER).perform();
        assertThat(resultRow().getText()).contains(serial);
    }

    @Test
    @Order(4)
    void aWrongPhraseIsRefusedClearlyAndRevokesNothing() {
        browser.get(base + "/revoke");
        browser.findElement(By.id("serial")).sendKeys(serial);
        browser.findElement(By.id("challengePhrase")).sendKeys("not my phrase");
        browser.findElement(By.cssSelector("#revoke-form button")).click();
        WebElement error = browser.findElement(By.id("error"));
        shot("revoke-wrong-phrase");
        assertThat(error.getText()).contains("the serial number and challenge phrase do not match");
        assertStatus("有效");
    }

    @Test
    @Order(5)
    void aMissingOrForgedCsrfTokenIsRefusedWith403AndRevokesNothing() throws Exception {
        browser.get(base + "/revoke");
        browser.findElement(By.id("serial")).sendKeys(serial);
        browser.findElement(By.id("challengePhrase")).sendKeys(PHRASE);
        browser.manage().deleteCookieNamed("egov_csrf");
        browser.findElement(By.cssSelector("#revoke-form button")).click();
        assertThat(browser.findElement(By.id("csrf-refused")).isDisplayed()).isTrue();
        shot("csrf-refused");

        String form = "serial=" + serial + "&challengePhrase=" + URLEncoder.encode(PHRASE, StandardCharsets.UTF_8)
                + "&reason=HOLDER_REQUEST";
        assertThat(postForm("/revoke", null, form).statusCode()).as("no token, no cookie").isEqualTo(403);
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/revoke")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        assertThat(postForm("/revoke", cookie, form + "&csrf=forged").statusCode()).as("forged token").isEqualTo(403);
        assertStatus("有效");
    }

    @Test
    @Order(6)
    void theRightPhraseRevokesThroughTheFormAndTheLookupSaysRevoked() {
        browser.get(base + "/revoke?lang=en");
        browser.findElement(By.id("serial")).sendKeys(serial);
        browser.findElement(By.id("challengePhrase")).sendKeys(PHRASE);
        new Select(browser.findElement(By.id("reason"))).selectByValue("KEY_COMPROMISE");
        shot("revoke-form");
        browser.findElement(By.cssSelector("#revoke-form button")).click();
        assertThat(browser.findElement(By.id("revoked")).getText()).contains(serial).contains("key compromise");
        shot("revoked");

        browser.findElement(By.partialLinkText("Look up this certificate")).click();
        WebElement row = resultRow();
        assertThat(row.getText()).contains(serial).contains("revoked").doesNotContain(HOST);
        shot("lookup-revoked");
        browser.get(base + "/?lang=zh");
    }

    @Test
    @Order(7)
    void theRecoveredKeyFormRefusesAnUnknownRecoveryClearly() {
        browser.get(base + "/recover");
        shot("recover-form");
        browser.findElement(By.id("recovery")).sendKeys("no-such-recovery");
        browser.findElement(By.id("challengeCode")).sendKeys("12345678");
        browser.findElement(By.id("publicKey")).sendKeys("not a key");
        browser.findElement(By.cssSelector("#recover-form button")).click();
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isTrue();
        assertThat(browser.getPageSource()).doesNotContain("12345678");
    }

    // ---- helpers ----

    /** Skips, or fails in CI, when Debian's chromium or chromedriver is missing. */
    private static void waitFor(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(condition);
    }

    private static String htmlLang() {
        return browser.findElement(By.tagName("html")).getDomAttribute("lang");
    }

    private static WebElement resultRow() {
        return browser.findElement(By.cssSelector("#results-table tbody tr"));
    }

    private static void assertStatus(String status) {
        browser.get(base + "/lookup?serial=" + serial + "&lang=zh");
        assertThat(resultRow().getText()).contains(status);
    }

    private static void shot(String name) {
        HeadlessChromium.shot(browser, name);
    }

    private static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> postForm(String path, String cookie, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate parse(byte[] bytes) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509", BouncyCastle.PROVIDER)
                .generateCertificate(new ByteArrayInputStream(bytes));
    }

    private static String cpsUri(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.certificatePolicies.getId());
        CertificatePolicies policies = CertificatePolicies.getInstance(ASN1OctetString.getInstance(value).getOctets());
        for (var policy : policies.getPolicyInformation()) {
            for (int i = 0; policy.getPolicyQualifiers() != null && i < policy.getPolicyQualifiers().size(); i++) {
                PolicyQualifierInfo qualifier = PolicyQualifierInfo.getInstance(policy.getPolicyQualifiers().getObjectAt(i));
                if (qualifier.getQualifier() instanceof ASN1IA5String uri) {
                    return uri.getString();
                }
            }
        }
        throw new AssertionError("no CPS URI in the certificate");
    }

    private static String issueDevice() throws Exception {
        KeyPair key = KeyAlgorithm.SM2.generate(RANDOM);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("csr", Base64.getEncoder().encodeToString(new JcaPKCS10CertificationRequestBuilder(
                new X500Principal("CN=" + HOST + ",O=Tax Bureau,C=CN"), key.getPublic()).build(
                new JcaContentSignerBuilder("SM3WITHSM2").setProvider(BouncyCastle.PROVIDER)
                        .build(key.getPrivate())).getEncoded()));
        body.put("profile", "device");
        body.put("businessType", "tax");
        ObjectNode registration = body.putObject("registration");
        registration.putArray("hostNames").add(HOST);
        registration.put("owner", "Tax Bureau IT");
        body.put("challengePhrase", PHRASE);
        body.put("agreementAccepted", true);
        JsonNode submitted = api.postJson("clerk1", "/api/v1/requests", body, 201);
        JsonNode approved = api.postJson("reviewer1", "/api/v1/requests/" + submitted.path("id").asText() + "/approve",
                Map.of(), 200);
        return approved.path("serials").get(0).asText();
    }
}
