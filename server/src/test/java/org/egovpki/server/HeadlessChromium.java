package org.egovpki.server;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, through its chromedriver: the browser of the page ITs. Missing, it fails the
 * test in CI (which installs it) and skips it elsewhere. Screenshots go to {@code target/screenshots}.
 */
final class HeadlessChromium {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    static final Path SHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    /** Fails in CI, skips elsewhere, when chromium or chromedriver is missing. */
    static void require() {
        boolean present = new File(CHROMEDRIVER).canExecute() && new File(CHROMIUM).canExecute();
        String missing = CHROMEDRIVER + " or " + CHROMIUM + " is missing: install Debian's 'chromium' and "
                + "'chromium-driver' packages (.ci/run does)";
        if (!present && System.getenv("CI") != null) {
            fail(missing + " -- CI must run the browser tests");
        }
        assumeTrue(present, missing + "; skipping the browser tests on this machine");
    }

    /**
     * A browser with the window size ({@code "1280,1100"}) and language ({@code "zh-CN"}) given. A click on a
     * link or a submit button returns before the next page is there: look for what only the next page has.
     */
    static WebDriver start(String windowSize, String language) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + windowSize, "--lang=" + language);
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build(), options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        Files.createDirectories(SHOTS);
        return browser;
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}, a build artifact. */
    static void shot(WebDriver browser, String name) {
        try {
            Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
