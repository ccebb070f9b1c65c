package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.herald.testsupport.Api;
import io.herald.testsupport.ExternalService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in secure mode, in a real headless Chromium: signing in with an API key and with a
 * username/password, wrong keys, what a viewer does not see, a send through the session (CSRF) and logout.
 */
class SecureConsoleE2EIT extends SecureHeraldTestBase {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static WebDriver driver;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "Chromium or ChromeDriver is missing (apt-get install -y chromium chromium-driver)";
            if (ExternalService.ci()) {
                throw new AssertionError(message + " (CI=true: browser tests must not skip)");
            }
            System.err.println("SKIPPING: " + message);
            Assumptions.abort(message);
        }
        // Never let Selenium Manager download a browser or driver.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--window-size=1280,900");
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @BeforeEach
    void freshSession() {
        driver.manage().deleteAllCookies();
    }

    private WebElement find(String testId) {
        return new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid='" + testId + "']")));
    }

    private boolean present(String testId) {
        return !driver.findElements(By.cssSelector("[data-testid='" + testId + "']")).isEmpty();
    }

    private void open(String path) {
        driver.get("http://127.0.0.1:" + port + path);
    }

    private void logInWithKey(String key) {
        open("/ui/");
        find("login-key").sendKeys(key);
        find("login-submit").click();
    }

    private String createKey(String name, String role) {
        Api.Response created = SecureClient.withKey(port, ADMIN_KEY).post("/api-keys", Api.json(Map.of("name", name, "role", role)));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("key").asString();
    }

    private long createCampaign(String name) {
        Api.Response created = SecureClient.withKey(port, ADMIN_KEY).post("/campaigns",
                Api.json(Map.of("name", name, "template", "Hi {{name}}", "segment_rule", "vip,tw")));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    @Test
    void adminSignsInWithAKeySeesEverythingAndLogsOut() {
        open("/ui/");
        find("login-key").sendKeys("hk_this-key-does-not-exist-000000000000000000");
        find("login-submit").click();
        assertThat(find("login-error").getText()).contains("not valid");

        driver.findElement(By.cssSelector("[data-testid='login-key']")).clear();
        find("login-key").sendKeys(ADMIN_KEY);
        find("login-submit").click();
        assertThat(find("user-role").getText()).isEqualToIgnoringCase("admin");
        assertThat(find("campaigns-new").isDisplayed()).isTrue();
        assertThat(present("nav-new-campaign")).isTrue();
        // The session cookie is HttpOnly: the page cannot read it, only the CSRF cookie.
        assertThat(String.valueOf(((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.cookie")))
                .contains("XSRF-TOKEN").doesNotContain("HERALD_SESSION");

        find("logout-button").click();
        assertThat(find("login-key").isDisplayed()).isTrue();
        open("/ui/");
        assertThat(find("login-key").isDisplayed()).as("still logged out after a reload").isTrue();
    }

    @Test
    void viewerSeesCampaignsButNoActions() {
        long id = createCampaign("Viewer can look");
        logInWithKey(createKey("e2e-viewer", "viewer"));
        assertThat(find("user-role").getText()).isEqualToIgnoringCase("viewer");
        find("campaigns-list");
        assertThat(present("campaigns-new")).isFalse();
        assertThat(present("nav-new-campaign")).isFalse();

        open("/ui/campaigns/" + id);
        assertThat(find("campaign-name-heading").getText()).isEqualTo("Viewer can look");
        find("preview-list");
        assertThat(present("send-button")).isFalse();
        assertThat(present("cancel-button")).isFalse();

        open("/ui/recipients");
        find("recipients-search");
        assertThat(present("import-dropzone")).isFalse();
    }

    @Test
    void editorSignsInWithPasswordAndSendsThroughTheSession() {
        long id = createCampaign("Sent from the browser");
        open("/ui/");
        find("login-mode-password").click();
        find("login-username").sendKeys("alice");
        find("login-password").sendKeys(ALICE_PASSWORD);
        find("login-submit").click();
        assertThat(find("user-name").getText()).isEqualTo("alice");

        open("/ui/campaigns/" + id);
        find("send-button").click();
        find("confirm-button").click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> {
            String status = d.findElement(By.cssSelector("[data-testid='campaign-status']")).getAttribute("data-status");
            return "SENDING".equals(status) || "COMPLETED".equals(status);
        });
        assertThat(present("action-error")).isFalse();

        Api.Response audit = SecureClient.withKey(port, ADMIN_KEY).get("/audit?actor=user:alice&action=campaign.send");
        assertThat(audit.json().get("items").get(0).get("target_id").asString()).isEqualTo(Long.toString(id));
    }
}
