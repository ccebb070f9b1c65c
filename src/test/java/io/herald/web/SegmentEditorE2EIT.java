package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.testsupport.Api;
import io.herald.testsupport.Browser;
import io.herald.testsupport.ScriptedConsoleTest;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * The segment editor in a real headless Chromium (H2, in-process queue, recipients made here through the API):
 * an expression typed into the new-campaign form shows the same live count as {@code GET /recipients/count}; a
 * broken one is marked in place, under the very characters the API's column names; once fixed, the campaign is
 * created with the expression. The recipients page filters by an expression too. Screenshots go to
 * target/screenshots/segment-*.png.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.demo-data=false",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        // a context (and H2 database) of its own: the counts here assume no one else's recipients
        "herald.test.context=segment-editor",
})
class SegmentEditorE2EIT extends ScriptedConsoleTest {
    private static final String GOOD = "vip and (tw or jp) and not churned";
    private static final String BROKEN = "vip and or tw";
    private static final String FIXED = "vip and (tw or jp) and not city = \"Tainan\"";

    /** Both tests share one application and database: the recipients are made once. */
    private static boolean created;

    private synchronized void createRecipients() {
        if (created) {
            return;
        }
        created = true;
        String[] cities = {"Taipei", "Tainan", "Kaohsiung"};
        for (int i = 0; i < 24; i++) {
            List<String> tags = new ArrayList<>();
            if (i % 2 == 0) tags.add("vip");
            if (i % 3 == 0) tags.add("tw");
            if (i % 4 == 1) tags.add("jp");
            if (i % 5 == 0) tags.add("churned");
            Api.Response r = api.post("/recipients", Api.json(Map.of("name", "Reader %02d".formatted(i),
                    "email", "reader%02d@example.com".formatted(i), "tags", tags, "attributes", Map.of("city", cities[i % 3]))));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
    }

    private long apiCount(String segment) {
        Api.Response r = api.get("/recipients/count?segment=" + URLEncoder.encode(segment, StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("count").asLong();
    }

    /** Replaces the field's text the way a user would: select all, type. */
    private static void retype(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        input.sendKeys(text);
    }

    private void waitForCount(long expected) {
        browser.until(d -> {
            WebElement count = browser.byTestId("segment-count");
            return String.valueOf(expected).equals(count.getDomAttribute("data-count"))
                    && count.getText().endsWith(expected == 1 ? "recipient matches" : "recipients match");
        });
    }

    @Test
    void theSegmentEditorCountsLiveMarksTheErrorColumnAndCreatesTheCampaign() {
        createRecipients();
        long good = apiCount(GOOD);
        long fixed = apiCount(FIXED);
        assertThat(good).isPositive().isNotEqualTo(fixed);
        assertThat(fixed).isPositive();

        browser.open("/ui/campaigns/new");
        browser.byTestId("campaign-name").sendKeys("Segmented news");
        browser.byTestId("campaign-subject").sendKeys("Hello {{name}}");
        browser.byTestId("campaign-template").sendKeys("<p>Hi {{name}} in {{city}}</p>");
        assertThat(browser.byTestId("segment-hint").getText()).contains("and", "or", "not", "city = \"Taipei\"", "has(phone)", "ends_with");

        // A valid expression: the live count is the API's.
        WebElement segment = browser.byTestId("campaign-segment");
        segment.sendKeys(GOOD);
        waitForCount(good);
        assertThat(segment.getDomAttribute("aria-invalid")).isEqualTo("false");
        assertThat(browser.allByTestId("segment-error-mark")).isEmpty();
        browser.screenshot("segment-01-live-count");

        // A broken one: the API says column 9, and the "or" there is marked where it is drawn in the field.
        retype(segment, BROKEN);
        WebElement mark = browser.until(d -> browser.allByTestId("segment-error-mark").stream().findFirst().orElse(null));
        assertThat(mark.getDomAttribute("data-column")).isEqualTo("9");
        assertThat(mark.getDomProperty("textContent")).isEqualTo("or");
        // The message under the field: the count's, or the draft preview's when that ran into the same error first.
        browser.until(d -> d.findElements(org.openqa.selenium.By.cssSelector(
                "[data-testid='segment-error'], [data-testid='field-error-segment_rule']")).stream()
                .anyMatch(e -> e.getText().startsWith("column 9: unexpected \"or\"")));
        assertThat(segment.getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.driver().findElement(Browser.testId("segment-count")).getDomAttribute("data-count")).isEmpty();
        // Where the mark is drawn against where the input draws "vip and " (measured in the input's own font).
        @SuppressWarnings("unchecked")
        Map<String, Object> geometry = (Map<String, Object>) browser.script("""
                const [input, mark] = arguments;
                const style = getComputedStyle(input);
                const ctx = document.createElement('canvas').getContext('2d');
                ctx.font = style.font;
                const inputBox = input.getBoundingClientRect(), markBox = mark.getBoundingClientRect();
                return {
                  expected: inputBox.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft)
                      + ctx.measureText(input.value.slice(0, 8)).width - input.scrollLeft,
                  actual: markBox.left,
                  width: markBox.width,
                  orWidth: ctx.measureText('or').width,
                  markTop: markBox.top, markBottom: markBox.bottom, inputTop: inputBox.top, inputBottom: inputBox.bottom,
                };
                """, segment, mark);
        assertThat(num(geometry, "actual")).as("mark under column 9").isCloseTo(num(geometry, "expected"), org.assertj.core.data.Offset.offset(1.5));
        assertThat(num(geometry, "width")).isCloseTo(num(geometry, "orWidth"), org.assertj.core.data.Offset.offset(1.5));
        assertThat(num(geometry, "markTop")).isGreaterThanOrEqualTo(num(geometry, "inputTop"));
        assertThat(num(geometry, "markBottom")).isLessThanOrEqualTo(num(geometry, "inputBottom"));
        browser.scrollIntoView(segment);
        browser.screenshot("segment-02-error-marked");

        // Fixed: the mark goes, the count comes back.
        retype(segment, FIXED);
        waitForCount(fixed);
        assertThat(browser.allByTestId("segment-error-mark")).isEmpty();
        assertThat(browser.allByTestId("segment-error")).isEmpty();
        browser.until(d -> browser.allByTestId("field-error-segment_rule").isEmpty());
        assertThat(segment.getDomAttribute("aria-invalid")).isEqualTo("false");
        browser.until(d -> String.valueOf(fixed).equals(browser.byTestId("preview-total").getText()));
        browser.screenshot("segment-03-fixed");

        browser.click("campaign-submit");
        browser.until(d -> browser.path().matches("/ui/campaigns/\\d+"));
        String path = browser.path();
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        browser.waitForText("campaign-name-heading", "Segmented news");
        JsonNode campaign = api.get("/campaigns/" + id).json();
        assertThat(campaign.get("segment_rule").asString()).containsIgnoringCase("not city = \"Tainan\"");
        assertThat(api.get("/campaigns/" + id + "/preview").json().get("total_targets").asLong()).isEqualTo(fixed);
        browser.screenshot("segment-04-campaign-created");
    }

    @Test
    void theRecipientsPageFiltersByAnExpression() {
        createRecipients();
        String expression = "city = \"Taipei\" and not vip";
        long expected = apiCount(expression);
        assertThat(expected).isPositive().isLessThan(24);
        browser.open("/ui/recipients");
        browser.until(d -> browser.allByTestId("recipient-row").size() == 24);
        browser.byTestId("recipients-tag-filter").sendKeys(expression);
        browser.until(d -> browser.allByTestId("recipient-row").size() == expected);
        assertThat(browser.allByTestId("recipient-row")).allMatch(r -> r.getText().contains("Reader"));

        retype(browser.byTestId("recipients-tag-filter"), "city = ");
        WebElement mark = browser.until(d -> browser.allByTestId("segment-error-mark").stream().findFirst().orElse(null));
        assertThat(mark.getDomAttribute("data-column")).isEqualTo("8");
        assertThat(browser.byTestId("recipients-error").getText()).contains("column 8");
        browser.screenshot("segment-05-recipients-filter-error");
    }

    private static double num(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).doubleValue();
    }
}
