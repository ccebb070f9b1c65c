package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.testsupport.Api;
import io.herald.testsupport.Browser;
import io.herald.testsupport.ScriptedConsoleTest;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * An A/B campaign made in the console in a real headless Chromium (H2, in-process queue, the scripted provider that
 * keeps each body): two variant tabs with their subjects and bodies, the automatic winner on half the segment after
 * a short wait; sent from its page, the variant comparison shows both variants in the test, the wait, then, after
 * variant B's recipients click their tracked links, B as the winner with the rest of the segment. Screenshots go to
 * target/screenshots/ab-*.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.scheduler.poll-interval=200ms",
})
class AbVariantsConsoleE2EIT extends ScriptedConsoleTest {
    private static final int RECIPIENTS = 60;
    private static final Pattern LINK = Pattern.compile("href=\"https?://[^/\"]+(/l/[^\"]+)\"");

    @Test
    void anAbCampaignMadeInTheConsoleShowsTheVariantComparisonAndTheWinner() throws Exception {
        importRecipients();

        browser.open("/ui/campaigns/new");
        browser.byTestId("campaign-name").sendKeys("Spring A/B");
        browser.byTestId("campaign-subject").sendKeys("Spring is here, {{name}}");
        browser.byTestId("campaign-template").sendKeys("<p>Hi {{name}}, variant A: <a href=\"https://shop.example.com/a\">shop</a></p>");
        browser.click("ab-toggle");
        assertThat(browser.allByTestId("campaign-subject")).isEmpty();
        assertThat(browser.byTestId("variant-subject").getDomProperty("value")).isEqualTo("Spring is here, {{name}}");

        browser.click("variant-tab-1");
        WebElement subject = browser.byTestId("variant-subject");
        subject.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Only today, {{name}}: 20 % off");
        WebElement body = browser.byTestId("variant-template");
        body.sendKeys(Keys.chord(Keys.CONTROL, "a"), "<p>Hi {{name}}, variant B: <a href=\"https://shop.example.com/b\">20 % off</a></p>");
        WebElement share = browser.byTestId("ab-share");
        share.sendKeys(Keys.chord(Keys.CONTROL, "a"), "50");
        new Select(browser.byTestId("ab-metric")).selectByValue("clicks");
        browser.byTestId("ab-wait").sendKeys(Keys.chord(Keys.CONTROL, "a"), "PT6S");
        browser.byTestId("campaign-segment").sendKeys("abtest");
        // The preview renders the open tab's variant.
        browser.until(d -> browser.allByTestId("email-preview-subject").size() == 1
                && browser.byTestId("email-preview-subject").getText().startsWith("Only today,"));
        browser.screenshot("ab-01-variant-tabs");

        browser.click("campaign-submit");
        browser.until(d -> browser.path().matches("/ui/campaigns/\\d+"));
        String path = browser.path();
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        JsonNode stored = api.get("/campaigns/" + id).json();
        assertThat(stored.path("variants").findValuesAsString("name")).containsExactly("A", "B");
        assertThat(stored.path("ab_test").path("share").asInt()).isEqualTo(50);
        assertThat(stored.path("ab_test").path("wait").asString()).isEqualTo("PT6S");
        browser.byTestId("variant-comparison");
        assertThat(browser.allByTestId("variant-row")).hasSize(2);
        assertThat(browser.byTestId("ab-phase").getText()).contains("Not sent yet");

        browser.click("send-button");
        browser.click("confirm-button");
        JsonNode waiting = waitForCampaign(id, "WAITING");
        // B's recipients in the test click their link (A's do not), so B wins by clicks per sent message.
        int clicks = 0;
        for (JsonNode m : api.get("/campaigns/" + id + "/messages?variant=B&limit=1000").json().path("items")) {
            String sent = provider.bodies.get("herald-" + id + "-" + m.path("recipient").path("id").asLong());
            Matcher link = LINK.matcher(sent);
            assertThat(link.find()).as(sent).isTrue();
            assertThat(api.get(link.group(1)).status()).isEqualTo(302);
            clicks++;
        }
        assertThat(clicks).isPositive();
        assertThat(waiting.path("winner").isNull()).isTrue();
        browser.until(d -> "WAITING".equals(browser.byTestId("ab-phase").getDomAttribute("data-phase")));
        browser.until(d -> !browser.byTestId("variant-row").findElement(Browser.testId("variant-sent")).getText().equals("0"));
        assertThat(browser.allByTestId("winner-badge")).isEmpty();
        browser.screenshot("ab-02-comparison-waiting");

        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")),
                java.time.Duration.ofSeconds(40));
        browser.until(d -> browser.allByTestId("winner-badge").size() == 1);
        browser.waitForText("ab-winner", "B");
        List<WebElement> rows = browser.allByTestId("variant-row");
        assertThat(rows.get(1).getDomAttribute("data-variant")).isEqualTo("B");
        assertThat(rows.get(1).findElements(Browser.testId("winner-badge"))).hasSize(1);
        JsonNode byVariant = api.get("/campaigns/" + id + "/stats?by=variant").json();
        for (int i = 0; i < 2; i++) {
            JsonNode v = byVariant.path("variants").get(i);
            String expected = v.path("sent").asString();
            int row = i;
            // the comparison's last poll may predate the final counts by one interval
            browser.until(d -> browser.allByTestId("variant-row").get(row).findElement(Browser.testId("variant-sent")).getText()
                    .equals(expected));
        }
        assertThat(byVariant.path("variants").get(1).path("clicks").asLong()).isEqualTo(clicks);
        assertThat(byVariant.path("variants").get(0).path("sent").asLong() + byVariant.path("variants").get(1).path("sent").asLong())
                .isEqualTo(RECIPIENTS);
        assertThat(browser.byTestId("variant-row").findElement(Browser.testId("variant-clicks")).getText()).isEqualTo("0");
        assertThat(browser.byTestId("ab-timeline").getText()).contains("winner B (clicks per sent:");
        // The messages table names each message's variant.
        browser.until(d -> !browser.allByTestId("message-variant").isEmpty());
        List<String> shownVariants = new ArrayList<>();
        browser.allByTestId("message-variant").forEach(e -> shownVariants.add(e.getText()));
        assertThat(shownVariants).allMatch(t -> t.equals("variant A") || t.equals("variant B"));
        browser.scrollIntoView(browser.byTestId("variant-comparison"));
        browser.screenshot("ab-03-comparison-winner");
    }

    private JsonNode waitForCampaign(long id, String phase) {
        return api.waitFor("/campaigns/" + id, c -> phase.equals(c.path("ab_phase").asString()), java.time.Duration.ofSeconds(30));
    }

    private void importRecipients() {
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            csv.append("Reader ").append(i).append(",reader").append(i).append("@ab.test,abtest\n");
        }
        Api.Response upload = api.upload("/recipients/import", "ab.csv", csv.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(api.awaitImport(upload).path("imported").asLong()).isEqualTo(RECIPIENTS);
    }
}
