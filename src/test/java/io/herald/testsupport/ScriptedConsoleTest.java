package io.herald.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@link ScriptedHeraldTest} that drives the built console in headless Chromium: {@link #browser} is opened on
 * the app before each test and closed after it. A failed test leaves a screenshot ({@code FAILED-<class>-<test>})
 * and the page's text; a script error in the page's console fails the test (the 400s and 409s a test provokes
 * on purpose are logged by Chromium as failed requests and are fine). Skipped, or failed when {@code CI=true},
 * without Chromium or when the console was not built ({@code -Dskip.ui=true} on a clean tree).
 */
public abstract class ScriptedConsoleTest extends ScriptedHeraldTest {

    @RegisterExtension
    final AfterTestExecutionCallback onFailure = Browser.onFailure("FAILED-" + getClass().getSimpleName() + "-", () -> this.browser);

    protected Browser browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.startConsole("http://127.0.0.1:" + port);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.closeCheckingScriptErrors();
        }
    }
}
