package org.egovpki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The operators' pages in a real browser (headless chromium through /usr/bin/chromedriver) against
 * the real server jar: a wrong password, a CA admin's login with the keyboard, the statistics with
 * the revoked count changing after a revocation, the CSV download equal to the API's, and an
 * application admin seeing only its business type and a 404 for another type's serial. Screenshots
 * go to {@code target/screenshots/operator-*.png}. In CI a missing browser fails; elsewhere it skips.
 */
class OperatorPagesIT {

    private static final String PASSWORD = "Root2026pass";

    @TempDir
    static Path tmp;

    private static ServerProcess server;
    private static ApiClient api;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.require();
        Path config = ServerProcess.config(tmp,
                yaml -> yaml.replace("    - algorithm: EC\n      enabled: false", "    - algorithm: EC\n      enabled: true"),
                yaml -> yaml.replace("  # initialAdminPassword: ...", "  initialAdminPassword: " + PASSWORD),
                yaml -> yaml.replace("  refreshSeconds: 60", "  refreshSeconds: 2"),
                yaml -> yaml.replace("profiles:\n", "profiles:\n"
                        + "  - name: device-ec\n    type: DEVICE\n    issuer: ec-issuing\n    validityMonths: 12\n"
                        + "    identityExtensions: NONE\n    extendedKeyUsages: [serverAuth]\n"));
        Path data = tmp.resolve("data");
        server = ServerProcess.serve(data, "--config", config.toString());
        base = server.baseUrl();
        api = server.api(PASSWORD);
        Path passwordFile = tmp.resolve("password");
        Files.writeString(passwordFile, PASSWORD);
        server.addOperator(config, "clerk1", "ENTRY_CLERK", passwordFile);
        server.addOperator(config, "reviewer1", "REVIEWER", passwordFile);
        ServerProcess add = server.cli("operator", "add", "--config", config.toString(), "--data", data.toString(),
                "--ldap-port", "0", "--uid", "taxadmin", "--name", "Tax application admin", "--role",
                "APPLICATION_ADMIN", "--business-type", "tax", "--password-file", passwordFile.toString());
        assertThat(add.awaitExit(Duration.ofSeconds(60))).as(add.output()).isZero();

        browser = HeadlessChromium.start("1280,1400", "en");
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
    void operatorsLogInSeeTheStatisticsAndAnApplicationAdminOnlyItsCertificates() throws Exception {
        String tax = DeviceRequests.issueEc(api, "tax", "a.tax.example.gov.cn");
        String health = DeviceRequests.issueEc(api, "health", "c.health.example.gov.cn");
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        String query = "from=" + today + "&to=" + today + "&period=day&groupBy=none";

        // A wrong password: the clear message, no session.
        login("admin", "wrong-password");
        assertThat(browser.findElement(By.id("login-error")).getText()).isEqualTo("Wrong login or password.");
        assertThat(browser.manage().getCookieNamed("egov_session")).isNull();
        shot("operator-login-wrong");

        // The CA admin logs in with the keyboard alone (Tab, Enter).
        login("admin", PASSWORD);
        browser.get(base + "/statistics?" + query);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(cell("issued")).isEqualTo("2");
        });
        assertThat(cell("revoked")).isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("figure svg"))).hasSize(1);

        ObjectNode revoke = ApiClient.JSON.createObjectNode();
        revoke.put("reason", "KEY_COMPROMISE");
        revoke.put("requester", "AUTHORISED_REPRESENTATIVE");
        api.postJson("admin", "/api/v1/certificates/" + tax + "/revoke", revoke, 200);
        // The statistics route recomputes today every statistics.refreshSeconds (2 s here).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.navigate().refresh();
            assertThat(cell("revoked")).isEqualTo("1");
        });
        shot("operator-statistics");

        String csvLink = browser.findElement(By.id("stats-csv")).getDomAttribute("href");
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + csvLink))
                .header("Cookie", "egov_session=" + browser.manage().getCookieNamed("egov_session").getValue())
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).isEqualTo(new String(api.bytes("admin", "/api/v1/statistics/certificates?" + query
                + "&format=csv"), StandardCharsets.UTF_8));
        browser.findElement(By.cssSelector("#logout-form button")).click();
        assertThat(browser.findElement(By.id("login-form")).isDisplayed()).isTrue();

        // The application admin: its business type only; the other's serial is as absent as one never issued.
        login("taxadmin", PASSWORD);
        browser.get(base + "/my/certificates");
        String table = browser.findElement(By.id("my-table")).getText();
        assertThat(table).contains(tax).doesNotContain(health);
        shot("operator-my-certificates");
        browser.get(base + "/my/certificates/" + health + ".pem");
        String other = browser.findElement(By.id("error")).getText();
        browser.get(base + "/my/certificates/ffff0000ffff.pem");
        assertThat(other.replace(health, "X")).isEqualTo(browser.findElement(By.id("error")).getText()
                .replace("ffff0000ffff", "X"));
        shot("operator-my-certificates-404");
    }

    private static void login(String uid, String password) {
        browser.get(base + "/login?lang=en");
        org.openqa.selenium.WebElement form = browser.findElement(By.id("login-form"));
        browser.findElement(By.id("uid")).click();
        browser.switchTo().activeElement().sendKeys(uid + Keys.TAB);
        browser.switchTo().activeElement().sendKeys(password + Keys.ENTER);
        // The form's POST answers with a new page (the next one, or the form again with the error): wait
        // for it, so that a browser.get right after does not cancel the login still under way.
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(form));
    }

    /** The figure in the table's first row, or "" while the table has no row yet (today not yet computed). */
    private static String cell(String column) {
        List<org.openqa.selenium.WebElement> cells = browser.findElements(
                By.cssSelector("#stats-table tbody tr td[data-column='" + column + "']"));
        return cells.isEmpty() ? "" : cells.get(0).getText();
    }

    private static void shot(String name) {
        HeadlessChromium.shot(browser, name);
    }

}
