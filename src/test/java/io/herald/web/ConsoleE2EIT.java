package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.herald.testsupport.Api;
import io.herald.testsupport.Browser;
import io.herald.testsupport.ScriptedConsoleTest;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The web console in a real headless Chromium against the running app (H2, in-process queue, the 20 demo
 * recipients): seed 000's whole flow (create a vip campaign, preview, send, watch the counters, messages,
 * re-drive a dead letter), deep links, phone width, keyboard use, and a CSV import with a bad row.
 * Screenshots of every screen go to target/screenshots/.
 *
 * <p>The scripted provider makes the outcome exact: Bob fails twice then succeeds (retries), Hiro always
 * fails (a dead letter after 3 attempts) until the test re-drives him. 4 sends/s keep the campaign in
 * SENDING for a couple of seconds, so the live counters are seen moving.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Scripted recipients fail on purpose to make dead letters; that is not a provider outage.
        "herald.delivery.circuit-breaker.enabled=false",
        "herald.demo-data=true",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=4",
        "herald.delivery.max-attempts=3",
        "herald.delivery.initial-backoff=50ms",
        "herald.delivery.max-backoff=200ms",
})
// One app and database for all three: the flow runs first (it starts from an empty campaign list), the
// import last (it checks the 20 demo recipients before adding its own).
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleE2EIT extends ScriptedConsoleTest {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    @Test
    @Order(1)
    void seed000FlowInTheBrowser() {
        provider.failTwice.add("Bob");
        provider.alwaysFail.add("Hiro");

        // A fresh install: / redirects to the console, which says what to do first.
        browser.open("/");
        browser.until(d -> browser.path().startsWith("/ui/"));
        WebElement empty = browser.byTestId("campaigns-empty");
        assertThat(empty.getText()).contains("No campaigns yet");
        browser.screenshot("01-campaigns-empty");
        browser.phone();
        browser.byTestId("campaigns-empty");
        assertThat(browser.overflowsHorizontally()).as("campaigns list scrolls sideways at phone width").isFalse();
        browser.screenshot("01-campaigns-empty-phone");
        browser.laptop();

        // New campaign: the empty form is rejected field by field, next to each field.
        browser.click("campaigns-new");
        browser.until(d -> browser.path().equals("/ui/campaigns/new"));
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid='tag-suggestion'][data-tag='vip']")));
        // Seed 000's campaign is a text message; email campaigns have their own test (EmailConsoleE2EIT).
        new Select(browser.byTestId("campaign-channel")).selectByValue("sms");
        browser.click("campaign-submit");
        assertFieldErrorBelow("campaign-name", "field-error-name");
        assertFieldErrorBelow("campaign-template", "field-error-template");
        assertFieldErrorBelow("campaign-segment", "field-error-segment_rule");
        assertThat(browser.allByTestId("form-error")).as("every error has its field").isEmpty();
        browser.screenshot("02-new-campaign-errors");

        // Name and template typed (the variable inserted by its button), but an invalid tag.
        browser.byTestId("campaign-name").sendKeys("Welcome Back");
        WebElement template = browser.byTestId("campaign-template");
        template.sendKeys("Hi ");
        assertThat(browser.allByTestId("template-variable")).extracting(WebElement::getText)
                .contains("{{name}}", "{{email}}", "{{city}}");
        browser.until(d -> browser.allByTestId("template-variable").stream()
                .filter(b -> b.getText().equals("{{name}}")).findFirst().orElse(null)).click();
        browser.until(d -> "Hi {{name}}".equals(template.getDomProperty("value")));
        template.sendKeys(Keys.END, ", we miss you!");
        assertThat(browser.allByTestId("field-error-name")).isEmpty();
        WebElement segment = browser.byTestId("campaign-segment");
        segment.sendKeys("vip!");
        browser.click("campaign-submit");
        WebElement ruleError = assertFieldErrorBelow("campaign-segment", "field-error-segment_rule");
        assertThat(ruleError.getText()).contains("vip!");
        assertThat(browser.allByTestId("field-error-name")).isEmpty();
        assertThat(browser.allByTestId("field-error-template")).isEmpty();
        assertThat(segment.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.script("return document.activeElement.dataset.testid")).as("focus moves to the bad field")
                .isEqualTo("campaign-segment");
        browser.screenshot("03-new-campaign-invalid-rule");

        // Fix the rule with a tag suggestion; the live count shows the 8 vip recipients.
        segment.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.until(d -> browser.allByTestId("field-error-segment_rule").isEmpty());
        browser.driver().findElement(By.cssSelector("[data-testid='tag-suggestion'][data-tag='vip']")).click();
        assertThat(segment.getDomProperty("value")).isEqualTo("vip");
        browser.until(ExpectedConditions.attributeToBe(Browser.testId("segment-count"), "data-count", "8"));
        assertThat(browser.byTestId("segment-count").getText()).contains("8 recipients match");
        browser.screenshot("04-new-campaign-filled");
        browser.click("campaign-submit");

        // The campaign page: the preview renders the first messages.
        browser.until(d -> browser.path().matches("/ui/campaigns/\\d+"));
        String campaignPath = browser.path();
        long id = Long.parseLong(campaignPath.substring(campaignPath.lastIndexOf('/') + 1));
        browser.waitForText("campaign-name-heading", "Welcome Back");
        assertThat(browser.byTestId("campaign-status").getDomAttribute("data-status")).isEqualTo("DRAFT");
        browser.byTestId("created-notice");
        browser.until(d -> browser.allByTestId("preview-item").size() == 8);
        assertThat(browser.byTestId("preview-total").getText()).isEqualTo("8");
        assertThat(browser.allByTestId("preview-item")).extracting(WebElement::getText)
                .anySatisfy(t -> assertThat(t).contains("Hi Alice Chen, we miss you!"))
                .noneSatisfy(t -> assertThat(t).contains("{{"));
        browser.screenshot("05-campaign-preview");

        // Send, after confirming; from here on the page must not reload.
        browser.script("window.__heraldNoReload = true");
        browser.click("send-button");
        WebElement dialog = browser.byTestId("confirm-dialog");
        assertThat(dialog.getText()).contains("Welcome Back", "vip");
        browser.screenshot("06-send-confirm");
        browser.click("confirm-button");
        browser.until(ExpectedConditions.invisibilityOfElementLocated(Browser.testId("confirm-dialog")));
        browser.waitForText("action-notice", "Queued 8 messages.");
        browser.until(d -> "SENDING".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")));
        browser.until(d -> number("stat-sent") > 0 && number("stat-sent") < 8);
        browser.screenshot("07-campaign-sending");

        // The counters reach the total live (SSE or 1 s polling), then the status turns COMPLETED.
        browser.until(d -> number("stat-total") == 8 && number("stat-sent") + number("stat-failed") == 8, SEND_TIMEOUT);
        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")), SEND_TIMEOUT);
        assertThat(number("stat-sent")).isEqualTo(7);
        assertThat(number("stat-failed")).isEqualTo(1);
        assertThat(number("stat-queued")).isZero();
        assertThat(number("stat-retries")).isEqualTo(2 + 2);
        assertThat(browser.byTestId("stat-p50").getText()).matches("[\\d,.]+ ?m?s");
        assertThat(browser.byTestId("stats-mode").getDomAttribute("data-mode")).isEqualTo("stopped");
        assertThat(browser.byTestId("campaign-progress").getDomAttribute("aria-valuenow")).isEqualTo("7");
        assertThat(browser.script("return window.__heraldNoReload")).as("the page was not reloaded").isEqualTo(true);
        // Both charts are drawn by the charting library (SVG lines), not placeholders.
        browser.until(d -> !d.findElements(By.cssSelector("[data-testid='throughput-chart'] .recharts-line path")).isEmpty());
        browser.until(d -> d.findElements(By.cssSelector("[data-testid='latency-chart'] .recharts-line path")).size() >= 3);
        browser.screenshot("08-campaign-completed");

        // Messages: final statuses without pressing Refresh; attempts and the dead letter's last error.
        browser.until(d -> browser.allByTestId("message-row").size() == 8
                && browser.allByTestId("message-row").stream().noneMatch(r -> "QUEUED".equals(r.getDomAttribute("data-status"))
                        || "RETRYING".equals(r.getDomAttribute("data-status"))));
        WebElement bob = row("Bob Martin");
        assertThat(bob.getDomAttribute("data-status")).isEqualTo("SENT");
        assertThat(bob.findElement(Browser.testId("message-attempts")).getText()).isEqualTo("3");
        WebElement hiro = row("Hiro Tanaka");
        assertThat(hiro.getDomAttribute("data-status")).isEqualTo("FAILED");
        assertThat(hiro.findElement(Browser.testId("message-last-error")).getText()).contains("scripted failure");
        new Select(browser.byTestId("messages-status-filter")).selectByValue("FAILED");
        browser.until(d -> browser.allByTestId("message-row").size() == 1
                && "FAILED".equals(browser.allByTestId("message-row").get(0).getDomAttribute("data-status")));
        browser.scrollIntoView(browser.byTestId("messages-table"));
        browser.screenshot("09-messages-failed");
        new Select(browser.byTestId("messages-status-filter")).selectByValue("SENT");
        browser.until(d -> browser.allByTestId("message-row").size() == 7
                && browser.allByTestId("message-row").stream().allMatch(r -> "SENT".equals(r.getDomAttribute("data-status"))));

        // Re-drive the dead letter once the provider takes it.
        provider.alwaysFail.clear();
        browser.click("retry-failed-button");
        browser.waitForText("action-notice", "Re-queued 1 failed message.");
        browser.until(d -> number("stat-sent") == 8 && number("stat-failed") == 0, SEND_TIMEOUT);
        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")), SEND_TIMEOUT);
        assertThat(browser.allByTestId("retry-failed-button")).isEmpty();
        browser.until(d -> browser.allByTestId("message-row").size() == 8);
        assertThat(browser.script("return window.__heraldNoReload")).isEqualTo(true);

        // A deep link reloads into the same page (client-side route served by the server).
        browser.driver().navigate().refresh();
        browser.waitForText("campaign-name-heading", "Welcome Back");
        assertThat(browser.script("return window.__heraldNoReload")).as("really reloaded").isNull();
        browser.until(d -> "8".equals(browser.byTestId("stat-sent").getText()));
        browser.open("/ui/campaigns/" + id);
        browser.waitForText("campaign-name-heading", "Welcome Back");
        assertThat(browser.byTestId("campaign-status").getDomAttribute("data-status")).isEqualTo("COMPLETED");

        // Phone width: no sideways scrolling, the nav folds behind the Menu button.
        browser.phone();
        browser.until(d -> browser.allByTestId("message-row").size() == 8);
        // Opened after it finished: no live samples, so the final percentiles are drawn, and the throughput
        // over the whole run comes from the server's series (with the average rate under it).
        browser.until(d -> d.findElements(By.cssSelector("[data-testid='latency-chart'][data-final] .recharts-bar-rectangle")).size() == 3);
        browser.until(d -> "series".equals(browser.byTestId("throughput-chart").getDomAttribute("data-source"))
                && !d.findElements(By.cssSelector("[data-testid='throughput-chart'] .recharts-line path")).isEmpty());
        assertThat(browser.byTestId("throughput-chart").getText()).containsPattern("[\\d.]+/s");
        assertThat(browser.overflowsHorizontally()).as("campaign page scrolls sideways at phone width").isFalse();
        assertThat(browser.byTestId("nav-toggle").getDomAttribute("aria-expanded")).isEqualTo("false");
        assertThat(browser.driver().findElement(Browser.testId("nav-recipients")).isDisplayed()).isFalse();
        browser.screenshot("10-campaign-phone");
        browser.click("nav-toggle");
        browser.click("nav-campaigns");
        browser.until(d -> browser.allByTestId("campaign-row").size() == 1);
        assertThat(browser.overflowsHorizontally()).isFalse();
        browser.screenshot("11-campaigns-list-phone");
        browser.laptop();

        // The list: progress and status, filter by status (kept in the URL).
        WebElement row = browser.byTestId("campaign-row");
        assertThat(row.getDomAttribute("data-campaign-id")).isEqualTo(String.valueOf(id));
        assertThat(row.findElement(Browser.testId("campaign-row-status")).getDomAttribute("data-status")).isEqualTo("COMPLETED");
        assertThat(row.findElement(Browser.testId("campaign-progress")).getDomAttribute("aria-valuenow")).isEqualTo("8");
        assertThat(row.findElement(Browser.testId("campaign-progress")).getDomAttribute("aria-valuemax")).isEqualTo("8");
        browser.screenshot("12-campaigns-list");
        new Select(browser.byTestId("status-filter")).selectByValue("DRAFT");
        browser.until(d -> browser.path().endsWith("?status=DRAFT"));
        assertThat(browser.byTestId("campaigns-empty").getText()).contains("No draft campaigns");
        new Select(browser.byTestId("status-filter")).selectByValue("COMPLETED");
        browser.until(d -> browser.allByTestId("campaign-row").size() == 1);
    }

    @Test
    @Order(2)
    void keyboardOnlyCancelsADraft() {
        Api.Response created = api.post("/campaigns", Api.json(Map.of("name", "Keyboard draft", "template", "Hi {{name}}",
                "segment_rule", "vip,tw")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        browser.open("/ui/campaigns/" + id);
        browser.waitForText("campaign-name-heading", "Keyboard draft");
        browser.until(d -> browser.allByTestId("preview-item").size() == 3);

        // Tab from the top of the page to the cancel button, open the dialog with Enter, back out with Escape.
        tabTo("cancel-button");
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        browser.byTestId("confirm-dialog");
        assertThat(activeTestId()).as("focus moves into the dialog").isEqualTo("confirm-button");
        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        browser.until(ExpectedConditions.invisibilityOfElementLocated(Browser.testId("confirm-dialog")));
        assertThat(activeTestId()).as("focus returns to the opener").isEqualTo("cancel-button");

        // Tab stays inside the open dialog; Enter on the confirm button cancels the campaign.
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        browser.byTestId("confirm-dialog");
        new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        assertThat(activeTestId()).isEqualTo("confirm-dismiss");
        new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        assertThat(activeTestId()).isEqualTo("confirm-button");
        browser.screenshot("13-cancel-confirm-keyboard");
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        browser.until(d -> "CANCELLED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")));
        assertThat(browser.allByTestId("send-button")).isEmpty();
        assertThat(api.get("/campaigns/" + id).json().get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    @Order(3)
    void csvImportReportsTheBadRowByNumber() throws Exception {
        browser.open("/ui/recipients");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 20);
        browser.screenshot("20-recipients");

        // Search and tag filter narrow the list.
        browser.byTestId("recipients-search").sendKeys("alice");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 1);
        assertThat(browser.byTestId("recipient-row").getText()).contains("Alice Chen", "alice@example.com");
        browser.byTestId("recipients-search").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.driver().findElement(By.cssSelector("[data-testid='recipients-tag-chip'][data-tag='tw']")).click();
        browser.until(d -> browser.allByTestId("recipient-row").size() == 5);
        browser.driver().findElement(By.cssSelector("[data-testid='recipients-tag-chip'][data-tag='vip']")).click();
        browser.until(d -> browser.allByTestId("recipient-row").size() == 3);
        assertThat(browser.byTestId("recipients-tag-filter").getDomProperty("value")).isEqualTo("tw,vip");
        browser.byTestId("recipients-tag-filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), "nosuchtag");
        browser.until(d -> browser.allByTestId("recipients-empty").size() == 1);
        browser.byTestId("recipients-tag-filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.until(d -> browser.allByTestId("recipient-row").size() == 20);

        // Import a CSV whose third line (data row 2) has a bad email, through the file input.
        Path csv = Files.createTempFile("herald-import-", ".csv");
        Files.writeString(csv, """
                name,email,phone,tags,city
                Uma Patel,uma@example.org,,csv,Pune
                Victor Bad,not-an-email,,csv,Paris
                Wen Li,wen@example.org,+886 912 345 678,csv;tw,Taipei
                """, StandardCharsets.UTF_8);
        browser.driver().findElement(Browser.testId("import-file-input")).sendKeys(csv.toAbsolutePath().toString());
        browser.until(d -> browser.byTestId("import-dropzone").getText().contains(csv.getFileName().toString()));
        browser.byTestId("import-tags").sendKeys("spring-import");
        browser.screenshot("21-import-file-chosen");
        browser.click("import-submit");
        WebElement result = browser.byTestId("import-result");
        assertThat(result.getDomAttribute("data-status")).isEqualTo("COMPLETED");
        assertThat(browser.byTestId("import-rows").getText()).isEqualTo("3");
        assertThat(browser.byTestId("import-imported").getText()).isEqualTo("2");
        assertThat(browser.byTestId("import-skipped").getText()).isEqualTo("1");
        List<WebElement> errors = browser.allByTestId("import-error-row");
        assertThat(errors).hasSize(1);
        List<String> cells = errors.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
        assertThat(cells.get(0)).isEqualTo("3");
        assertThat(cells.get(1)).isEqualTo("email");
        assertThat(cells.get(2)).contains("not-an-email");
        browser.scrollIntoView(browser.byTestId("import-errors-table"));
        browser.screenshot("22-import-result");

        // The list refreshes with the two new recipients, tagged from the file and the form.
        browser.until(d -> browser.allByTestId("recipient-row").size() == 22);
        browser.byTestId("recipients-tag-filter").sendKeys("spring-import");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 2);
        assertThat(browser.byTestId("recipients-table").getText()).contains("Uma Patel", "Wen Li", "+886912345678")
                .doesNotContain("Victor Bad");

        // The same file dropped on the zone (synthetic drag and drop) as a dry run: nothing new is saved.
        browser.dropFile(browser.byTestId("import-dropzone"), "again.csv", "text/csv", Files.readString(csv));
        browser.until(d -> browser.byTestId("import-dropzone").getText().contains("again.csv"));
        browser.click("import-dry-run");
        browser.click("import-submit");
        browser.until(d -> browser.byTestId("import-result").getText().contains("Dry run"));
        assertThat(browser.allByTestId("import-error-row")).hasSize(1);
        assertThat(api.get("/recipients/count?tag=spring-import").json().get("count").asLong()).isEqualTo(2);

        browser.phone();
        browser.open("/ui/recipients");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 22);
        assertThat(browser.overflowsHorizontally()).as("recipients page scrolls sideways at phone width").isFalse();
        browser.screenshot("23-recipients-phone");
        Files.deleteIfExists(csv);
    }

    private WebElement assertFieldErrorBelow(String fieldId, String errorId) {
        WebElement field = browser.byTestId(fieldId);
        WebElement error = browser.byTestId(errorId);
        assertThat(error.getText()).isNotBlank();
        int gap = error.getRect().getY() - (field.getRect().getY() + field.getRect().getHeight());
        assertThat(gap).as(errorId + " sits right below " + fieldId).isBetween(0, 40);
        assertThat(field.getDomAttribute("aria-invalid")).isEqualTo("true");
        return error;
    }

    private long number(String testId) {
        String text = browser.byTestId(testId).getText().replace(",", "").trim();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private WebElement row(String recipient) {
        return browser.allByTestId("message-row").stream().filter(r -> r.getText().contains(recipient)).findFirst()
                .orElseThrow(() -> new AssertionError("no message row for " + recipient + "\n" + browser.describe()));
    }

    private String activeTestId() {
        return (String) browser.script("return document.activeElement && document.activeElement.dataset.testid || null");
    }

    private void tabTo(String testId) {
        for (int i = 0; i < 40; i++) {
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            if (testId.equals(activeTestId())) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + testId);
    }
}
