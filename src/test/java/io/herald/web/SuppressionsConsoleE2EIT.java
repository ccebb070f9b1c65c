package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.herald.feedback.TwilioSignature;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * What providers report back, seen in the web console in a real headless Chromium (H2, in-process queue, the 20
 * demo recipients, local mode so no key is needed): the Suppressions page (add an address, the 409 when adding
 * it again and the 400 for a non-address shown under the field, remove it after confirming, the recipient
 * UNSUBSCRIBED then ACTIVE again); an SMS campaign whose preview says UCS-2 and 2 segments, sent from its page,
 * then given signed delivery receipts (delivered, undelivered 30003) and a hard bounce, which the stats panel
 * picks up after the send finished and the messages table shows; and a bounced recipient on the recipients
 * page (BOUNCED badge and filter, the reason) and on the suppression list. Screenshots go to
 * target/screenshots/feedback-*.png.
 *
 * <p>The scripted provider accepts every message and names it like an SMS gateway ({@code SM} + the
 * idempotency key), so receipts can name the sid. Receipts are signed as the gateway signs them: HMAC-SHA1 with
 * {@code herald.sms.auth-token} over the public URL and the form fields.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.demo-data=true",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.sms.auth-token=" + SuppressionsConsoleE2EIT.AUTH_TOKEN,
        "herald.public-url=" + SuppressionsConsoleE2EIT.PUBLIC_URL,
})
// One app and database for the three: the suppressions test leaves the list empty again before the campaign
// (Alice, vip, must be ACTIVE for it), whose bounce of Hiro the recipients test then finds too.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuppressionsConsoleE2EIT extends ScriptedConsoleTest {
    static final String AUTH_TOKEN = "e2e-gateway-token";
    static final String PUBLIC_URL = "https://herald.example.test";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** The stats panel re-reads a finished campaign's counters every 10 s. */
    private static final Duration FEEDBACK_TIMEOUT = Duration.ofSeconds(25);
    // 😀 makes it UCS-2 (70 per SMS); at 80-odd UTF-16 units with any demo name it is sent as 2 parts of 67.
    private static final String TEMPLATE = "Hi {{name}} \uD83D\uDE00 our spring sale starts today: 20% off everything until Sunday!";

    @Test
    @Order(1)
    void addsAndRemovesAnAddressOnTheSuppressionsPage() {
        browser.open("/ui/");
        browser.click("nav-suppressions");
        browser.until(d -> browser.path().equals("/ui/suppressions"));
        assertThat(browser.byTestId("suppressions-empty").getText()).contains("Nothing is suppressed yet");
        browser.screenshot("feedback-01-suppressions-empty");

        // Alice (a demo recipient) by hand, typed in capitals: the server lists her address in lower case.
        WebElement address = browser.byTestId("suppression-address-input");
        address.sendKeys("Alice@Example.com");
        browser.byTestId("suppression-detail-input").sendKeys("asked by phone not to be contacted");
        browser.click("suppression-add-submit");
        browser.waitForText("suppressions-notice", "alice@example.com added to the suppression list.");
        browser.until(d -> browser.allByTestId("suppression-row").size() == 1);
        WebElement row = browser.byTestId("suppression-row");
        assertThat(row.findElement(Browser.testId("suppression-row-address")).getText()).isEqualTo("alice@example.com");
        assertThat(row.findElement(Browser.testId("suppression-reason")).getDomAttribute("data-reason")).isEqualTo("manual");
        assertThat(row.findElement(Browser.testId("suppression-detail")).getText()).isEqualTo("asked by phone not to be contacted");
        assertThat(row.getText()).contains("local", "Email");
        assertThat(address.getDomProperty("value")).isEmpty();
        assertThat(recipientStatus("alice")).isEqualTo("UNSUBSCRIBED");

        // The same address again: the 409's message under the field, nothing added.
        address.sendKeys("alice@example.com");
        browser.click("suppression-add-submit");
        WebElement conflict = browser.byTestId("field-error-address");
        assertThat(conflict.getText()).contains("alice@example.com is already on the suppression list (manual)");
        assertThat(address.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.allByTestId("suppression-row")).hasSize(1);
        browser.screenshot("feedback-02-suppressions-409");

        // Not an address at all: the 400's message, in the same place.
        address.sendKeys(Keys.chord(Keys.CONTROL, "a"), "nope");
        browser.until(d -> browser.allByTestId("field-error-address").isEmpty());
        browser.click("suppression-add-submit");
        browser.until(d -> browser.byTestId("field-error-address").getText().contains("\"nope\" is not a phone number"));

        // Phone width: the table stacks, nothing scrolls sideways.
        browser.phone();
        browser.byTestId("suppression-row");
        assertThat(browser.overflowsHorizontally()).as("suppressions page scrolls sideways at phone width").isFalse();
        browser.screenshot("feedback-03-suppressions-phone");
        browser.laptop();

        // Remove it, after confirming: Alice is ACTIVE again.
        browser.click("suppression-remove");
        WebElement dialog = browser.byTestId("confirm-dialog");
        assertThat(dialog.getText()).contains("alice@example.com will be messaged again", "ACTIVE again");
        browser.screenshot("feedback-04-suppression-remove-confirm");
        browser.click("confirm-button");
        browser.until(ExpectedConditions.invisibilityOfElementLocated(Browser.testId("confirm-dialog")));
        browser.waitForText("suppressions-notice", "alice@example.com removed from the suppression list.");
        browser.byTestId("suppressions-empty");
        assertThat(api.get("/suppressions").json().get("items").size()).isZero();
        assertThat(recipientStatus("alice")).isEqualTo("ACTIVE");
    }

    @Test
    @Order(2)
    void smsCampaignShowsSegmentsReceiptsAndBounces() {
        provider.sidPrefix = "SM";
        Api.Response created = api.post("/campaigns", Api.json(Map.of("name", "Spring sale SMS", "channel", "sms",
                "template", TEMPLATE, "segment_rule", "vip")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        // The draft's preview: every text is UCS-2 because of the emoji, in 2 segments.
        browser.open("/ui/campaigns/" + id);
        browser.waitForText("campaign-name-heading", "Spring sale SMS");
        browser.until(d -> browser.allByTestId("preview-item").size() == 8);
        List<WebElement> lengths = browser.allByTestId("preview-sms-length");
        assertThat(lengths).hasSize(8).allSatisfy(l -> {
            assertThat(l.getDomAttribute("data-encoding")).isEqualTo("UCS-2");
            assertThat(l.getDomAttribute("data-segments")).isEqualTo("2");
            assertThat(l.getText()).matches("UCS-2 · \\d+ characters · 2 segments");
        });
        assertThat(browser.byTestId("preview-ucs2-hint").getText()).contains("UCS-2", "70 characters per SMS");
        browser.scrollIntoView(browser.byTestId("preview"));
        browser.screenshot("feedback-05-sms-preview-ucs2");

        // Send it from the page.
        browser.click("send-button");
        browser.click("confirm-button");
        browser.waitForText("action-notice", "Queued 8 messages.");
        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")), SEND_TIMEOUT);
        browser.until(d -> number("stat-sent") == 8);
        assertThat(number("stat-segments")).isEqualTo(16);
        assertThat(browser.byTestId("stat-segments-per-message").getText()).isEqualTo("2 per message");
        assertThat(number("stat-delivered")).isZero();
        assertThat(browser.byTestId("stat-delivered-rate").getText()).isEqualTo("0% of sent");

        // After the send: the gateway's receipts for Alice (delivered) and Bob (undelivered), a hard bounce of Hiro.
        Map<String, JsonNode> messages = messagesByRecipient(id);
        assertThat(receipt(id, messages.get("Alice Chen"), "delivered", null)).isEqualTo("applied");
        assertThat(receipt(id, messages.get("Bob Martin"), "undelivered", "30003")).isEqualTo("applied");
        Api.Response bounce = api.post("/webhooks/bounce", Api.json(Map.of("email", "hiro@example.com", "type", "hard",
                "campaign_id", id, "reason", "550 5.1.1 user unknown")));
        assertThat(bounce.status()).as(bounce.body()).isEqualTo(200);

        // The finished campaign's panel picks them up by itself (re-read every 10 s), without a reload.
        browser.script("window.__heraldNoReload = true");
        browser.until(d -> number("stat-delivered") == 1 && number("stat-undelivered") == 1 && number("stat-bounced") == 1,
                FEEDBACK_TIMEOUT);
        assertThat(browser.byTestId("stat-delivered-rate").getText()).isEqualTo("12.5% of sent");
        assertThat(browser.byTestId("stat-undelivered-rate").getText()).isEqualTo("12.5% of sent");
        assertThat(browser.byTestId("stat-bounced-rate").getText()).isEqualTo("12.5% of sent");
        assertThat(number("stat-complaints")).isZero();
        assertThat(browser.script("return window.__heraldNoReload")).as("the page was not reloaded").isEqualTo(true);

        // The messages table: segments and encoding, the provider's sid, each report and its error.
        browser.click("messages-refresh");
        browser.until(d -> browser.allByTestId("message-row").stream().anyMatch(r -> r.getText().contains("Alice Chen")
                && !r.findElements(Browser.testId("message-delivery-status")).isEmpty()));
        WebElement alice = row("Alice Chen");
        assertThat(alice.findElement(Browser.testId("message-delivery-status")).getDomAttribute("data-status")).isEqualTo("delivered");
        assertThat(alice.findElement(Browser.testId("message-delivered-at")).getText()).isNotBlank();
        assertThat(alice.findElement(Browser.testId("message-provider-id")).getText())
                .isEqualTo(messages.get("Alice Chen").get("provider_message_id").asString()).startsWith("SM");
        WebElement segments = alice.findElement(Browser.testId("message-segments"));
        assertThat(segments.getText()).isEqualTo("UCS-2 · 2 segments");
        assertThat(segments.getDomAttribute("data-encoding")).isEqualTo("UCS-2");
        WebElement bob = row("Bob Martin");
        assertThat(bob.findElement(Browser.testId("message-delivery-status")).getDomAttribute("data-status")).isEqualTo("undelivered");
        assertThat(bob.findElement(Browser.testId("message-delivery-error")).getText()).contains("30003");
        WebElement hiro = row("Hiro Tanaka");
        assertThat(hiro.findElement(Browser.testId("message-delivery-status")).getDomAttribute("data-status")).isEqualTo("bounced");
        assertThat(hiro.findElement(Browser.testId("message-delivery-error")).getText()).contains("550 5.1.1 user unknown");
        WebElement david = row("David Kim");
        assertThat(david.findElements(Browser.testId("message-delivery-status"))).isEmpty();
        assertThat(david.findElement(Browser.testId("message-provider-id")).getText()).startsWith("SM");
        browser.scrollIntoView(browser.byTestId("stats-feedback"));
        browser.screenshot("feedback-06-sms-campaign-receipts");

        // Phone width: once the charts have followed the window (a resize is seen a frame or two late), nothing
        // scrolls sideways; a page that keeps overflowing fails the wait.
        browser.phone();
        browser.until(d -> browser.allByTestId("message-row").size() == 8);
        browser.untilNoHorizontalOverflow();
        browser.screenshot("feedback-07-sms-campaign-phone");
    }

    @Test
    @Order(3)
    void bouncedRecipientOnTheRecipientsAndSuppressionsPages() {
        Api.Response bounce = api.post("/webhooks/bounce", Api.json(Map.of("email", "tom@example.com", "type", "hard",
                "reason", "550 5.1.1 mailbox does not exist")));
        assertThat(bounce.status()).as(bounce.body()).isEqualTo(200);
        assertThat(bounce.json().get("recipient_status").asString()).isEqualTo("BOUNCED");

        browser.open("/ui/recipients");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 20);
        WebElement tom = recipientRow("Tom Becker");
        WebElement badge = tom.findElement(Browser.testId("recipient-status"));
        assertThat(badge.getDomAttribute("data-status")).isEqualTo("BOUNCED");
        assertThat(badge.getText()).isEqualTo("BOUNCED");
        assertThat(tom.findElement(Browser.testId("recipient-status-reason")).getText())
                .isEqualTo("hard bounce: 550 5.1.1 mailbox does not exist");

        // The status filter: Tom, and Hiro whom the campaign's bounce took out.
        new Select(browser.byTestId("recipients-status-filter")).selectByValue("BOUNCED");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 2);
        assertThat(browser.allByTestId("recipient-status")).allSatisfy(b -> assertThat(b.getDomAttribute("data-status")).isEqualTo("BOUNCED"));
        assertThat(browser.byTestId("recipients-table").getText()).contains("Tom Becker", "Hiro Tanaka").doesNotContain("Alice Chen");
        browser.screenshot("feedback-08-recipients-bounced");

        // Both addresses are on the suppression list as hard bounces; Hiro's names the campaign.
        browser.open("/ui/suppressions?reason=hard_bounce");
        browser.until(d -> browser.allByTestId("suppression-row").size() == 2);
        assertThat(new Select(browser.byTestId("suppressions-reason-filter")).getFirstSelectedOption().getDomProperty("value"))
                .isEqualTo("hard_bounce");
        assertThat(browser.allByTestId("suppression-row-address")).extracting(WebElement::getText)
                .containsExactly("tom@example.com", "hiro@example.com");
        assertThat(browser.allByTestId("suppression-campaign-link")).hasSize(1);
        browser.screenshot("feedback-09-suppressions-hard-bounces");
        browser.byTestId("suppressions-search").sendKeys("tom");
        browser.until(d -> browser.allByTestId("suppression-row").size() == 1);
        browser.click("suppression-remove");
        browser.click("confirm-button");
        browser.waitForText("suppressions-notice", "tom@example.com removed from the suppression list.");
        assertThat(recipientStatus("tom")).isEqualTo("ACTIVE");
    }

    /** Signs and posts a Twilio-format status callback for a message, as the gateway would; returns the result. */
    private String receipt(long campaignId, JsonNode message, String status, String errorCode) {
        String path = "/webhooks/sms/status?c=" + campaignId + "&m=" + message.get("id").asLong();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", message.get("provider_message_id").asString());
        form.put("MessageStatus", status);
        if (errorCode != null) {
            form.put("ErrorCode", errorCode);
            form.put("ErrorMessage", "Unreachable destination handset");
        }
        Map<String, List<String>> fields = new HashMap<>();
        form.forEach((k, v) -> fields.put(k, List.of(v)));
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Api.Response response = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSignature.sign(AUTH_TOKEN, PUBLIC_URL + path, fields))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("result").asString();
    }

    private Map<String, JsonNode> messagesByRecipient(long campaignId) {
        Map<String, JsonNode> byName = new HashMap<>();
        api.get("/campaigns/" + campaignId + "/messages?limit=50").json().get("items")
                .forEach(m -> byName.put(m.get("recipient").get("name").asString(), m));
        assertThat(byName).hasSize(8);
        return byName;
    }

    private String recipientStatus(String q) {
        JsonNode items = api.get("/recipients?q=" + q).json().get("items");
        assertThat(items.size()).isEqualTo(1);
        return items.get(0).get("status").asString();
    }

    private long number(String testId) {
        String text = browser.byTestId(testId).getText().replace(",", "").trim();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private WebElement row(String recipient) {
        return browser.allByTestId("message-row").stream().filter(r -> r.getText().contains(recipient)).findFirst()
                .orElseThrow(() -> new AssertionError("no message row for " + recipient + "\n" + browser.describe()));
    }

    private WebElement recipientRow(String name) {
        return browser.driver().findElements(By.cssSelector("[data-testid='recipient-row']")).stream()
                .filter(r -> r.getText().contains(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no recipient row for " + name + "\n" + browser.describe()));
    }
}
