package io.herald.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for end-to-end tests of the web console, driven through Debian's chromedriver
 * (never Selenium Manager, so nothing is downloaded). Like {@link ExternalService}: when chromium or
 * chromedriver is missing the test is skipped, loudly, on a laptop and fails under CI ({@code CI=true}).
 *
 * <pre>{@code
 * try (Browser browser = Browser.start("http://127.0.0.1:" + port)) {
 *     browser.open("/ui/");
 *     browser.byTestId("campaigns-empty");
 *     browser.screenshot("01-empty");
 * }
 * }</pre>
 *
 * Paths can be overridden with {@code -Dbrowser.chromium=...} and {@code -Dbrowser.chromedriver=...}.
 */
public final class Browser implements AutoCloseable {
    /** Where {@link #screenshot} writes PNGs (relative to the module directory, i.e. target/screenshots). */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");
    public static final Dimension LAPTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static final String CHROMIUM = System.getProperty("browser.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");
    // Full-page screenshots grow the window to the page height, up to this many pixels.
    private static final int MAX_SCREENSHOT_HEIGHT = 6000;

    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;

    private Browser(ChromeDriver driver, Path profile, String baseUrl) {
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
    }

    /** Starts a fresh headless browser (own temporary profile, laptop-sized window) for {@code baseUrl}. */
    public static Browser start(String baseUrl) {
        require();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile;
        try {
            profile = Files.createTempDirectory("herald-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--disable-extensions", "--lang=en-US",
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height,
                "--user-data-dir=" + profile.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(LAPTOP);
        return new Browser(driver, profile, baseUrl.replaceAll("/+$", ""));
    }

    /**
     * {@link #start} for a test of the web console: also skips (laptop) or fails (CI) when the console was not
     * built into the classpath ({@code -Dskip.ui=true}).
     */
    public static Browser startConsole(String baseUrl) {
        requireConsole();
        return start(baseUrl);
    }

    /**
     * For {@code @RegisterExtension}: when a test fails, a screenshot ({@code prefix} + the test's name) and the
     * page's text, taken before the browser closes.
     */
    public static AfterTestExecutionCallback onFailure(String prefix, Supplier<Browser> browser) {
        return context -> {
            Browser b = browser.get();
            if (context.getExecutionException().isPresent() && b != null) {
                b.screenshot(prefix + context.getRequiredTestMethod().getName());
                System.out.println("page at failure: " + b.describe());
            }
        };
    }

    /**
     * Prints the browser console's errors and closes the browser; a script error fails the test (failed API calls a
     * test provokes on purpose are logged too, and are fine).
     */
    public void closeCheckingScriptErrors() {
        try {
            List<String> errors = consoleErrors();
            errors.forEach(e -> System.out.println("browser console: " + e));
            if (errors.stream().anyMatch(e -> e.contains("Uncaught") || e.contains("TypeError"))) {
                throw new AssertionError("script errors in the browser console: " + errors);
            }
        } finally {
            close();
        }
    }

    /** Skips (laptop) or fails (CI) unless both chromium and chromedriver are installed. */
    public static void require() {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                String message = binary + " is not installed (apt-get install chromium chromium-driver)";
                if (ExternalService.ci()) {
                    throw new AssertionError(message + " (CI=true: browser tests must not skip)");
                }
                System.err.println("SKIPPING: " + message);
                Assumptions.abort(message);
            }
        }
    }

    /** {@link #require()}, and the console built into the classpath (not with {@code -Dskip.ui=true} on a clean tree). */
    public static void requireConsole() {
        require();
        if (!new org.springframework.core.io.ClassPathResource("static/ui/index.html").exists()) {
            String message = "the console is not built (static/ui/index.html missing; was -Dskip.ui=true used?)";
            if (ExternalService.ci()) {
                throw new AssertionError(message);
            }
            System.err.println("SKIPPING: " + message);
            Assumptions.abort(message);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Navigates to {@code path} on the server under test (e.g. "/ui/recipients"). */
    public void open(String path) {
        driver.get(baseUrl + path);
    }

    /** The current path (and query) without the server part. */
    public String path() {
        return driver.getCurrentUrl().substring(baseUrl.length());
    }

    public static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    /** Waits until an element with this {@code data-testid} is visible and returns it. */
    public WebElement byTestId(String id) {
        return until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
    }

    /** Every element with this {@code data-testid} right now (no wait). */
    public List<WebElement> allByTestId(String id) {
        return driver.findElements(testId(id));
    }

    /** Waits until an element with this {@code data-testid} is clickable, then clicks it. */
    public void click(String id) {
        WebElement element = until(ExpectedConditions.elementToBeClickable(testId(id)));
        scrollIntoView(element);
        element.click();
    }

    /** Waits until the element's text equals {@code text}. */
    public void waitForText(String id, String text) {
        until(ExpectedConditions.textToBe(testId(id), text));
    }

    /** Waits up to {@link #TIMEOUT} for a condition; the failure message says what was awaited. */
    public <T> T until(Function<WebDriver, T> condition) {
        return until(condition, TIMEOUT);
    }

    /**
     * React re-renders replace elements between a find and a read; a condition that touched a replaced element
     * is simply asked again rather than failing the test.
     */
    public <T> T until(Function<WebDriver, T> condition, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    public void scrollIntoView(WebElement element) {
        script("arguments[0].scrollIntoView({block: 'center'})", element);
    }

    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    public void laptop() {
        resize(LAPTOP);
    }

    /** A phone-sized window (390 x 844, an iPhone 12-15's CSS viewport). */
    public void phone() {
        resize(PHONE);
    }

    /**
     * Waits until nothing makes the page scroll sideways (charts follow a resize a frame or two late); when the
     * wait runs out, the error names the elements that stick out past the window's right edge.
     */
    public void untilNoHorizontalOverflow() {
        try {
            until(d -> !overflowsHorizontally());
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page scrolls sideways at " + driver.manage().window().getSize().width
                    + " px; sticking out: " + script("""
                    const width = document.documentElement.clientWidth;
                    return [...document.querySelectorAll('body *')]
                      .map(e => [e, e.getBoundingClientRect().right])
                      .filter(([e, right]) => right > width + 0.5)
                      .filter(([e]) => !(e.parentElement && e.parentElement.getBoundingClientRect().right > width + 0.5))
                      .slice(0, 8)
                      .map(([e, right]) => e.tagName.toLowerCase() + (e.dataset.testid ? '[' + e.dataset.testid + ']' : '')
                        + '.' + String(e.className).slice(0, 60) + ' right=' + Math.round(right))
                      .join('; ');"""), e);
        }
    }

    /** True when the page is wider than the window, i.e. the user would have to scroll sideways. */
    public boolean overflowsHorizontally() {
        Object overflow = script("return document.documentElement.scrollWidth > document.documentElement.clientWidth");
        return Boolean.TRUE.equals(overflow);
    }

    /**
     * Saves a full-page PNG as target/screenshots/{name}.png: the window grows to the page's height for
     * the shot (same width, so the layout does not change) and is restored afterwards.
     */
    public Path screenshot(String name) {
        Dimension original = driver.manage().window().getSize();
        try {
            Files.createDirectories(SCREENSHOTS);
            Object height = script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
            int page = height instanceof Number n ? n.intValue() : original.height;
            int chrome = original.height - ((Number) script("return window.innerHeight")).intValue();
            int wanted = Math.min(MAX_SCREENSHOT_HEIGHT, page + chrome);
            if (wanted > original.height) {
                driver.manage().window().setSize(new Dimension(original.width, wanted));
                // Let charts and layout settle at the new height.
                script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            }
            Path target = SCREENSHOTS.resolve(name + ".png");
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(shot);
            System.out.println("screenshot: " + target.toAbsolutePath());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!driver.manage().window().getSize().equals(original)) {
                driver.manage().window().setSize(original);
            }
        }
    }

    /** Browser console messages at SEVERE level since the last call (uncaught errors, failed requests). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Fires a synthetic drag-and-drop of a file onto the element (DataTransfer built in the page). */
    public void dropFile(WebElement target, String fileName, String mimeType, String content) {
        script("""
                const [target, name, type, content] = arguments;
                const dt = new DataTransfer();
                dt.items.add(new File([content], name, {type}));
                for (const kind of ['dragenter', 'dragover', 'drop']) {
                  target.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: dt}));
                }
                """, target, fileName, mimeType, content);
    }

    /** Key facts for a failure message: URL and the page's visible text (shortened). */
    public String describe() {
        String text = String.valueOf(script("return document.body ? document.body.innerText : ''"));
        return driver.getCurrentUrl() + "\n" + (text.length() > 2000 ? text.substring(0, 2000) + "…" : text);
    }

    public Map<String, Object> capabilities() {
        return driver.getCapabilities().asMap();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
