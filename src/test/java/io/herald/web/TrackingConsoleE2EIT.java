package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.herald.testsupport.Api;
import io.herald.testsupport.Browser;
import io.herald.testsupport.Ports;
import io.herald.testsupport.TestDatabase;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Click and open tracking in the web console, in headless Chromium on embedded H2: the new-campaign form's
 * "Track opens" / "Track clicks" checkboxes (on by default for email, off again and on), an HTML campaign with two
 * links sent through a real SMTP server (GreenMail), then the rewritten links and pixels read from the received
 * messages are followed over HTTP while the campaign page is open, and the page shows, without a reload, the open
 * and click rates, the clicks per link and the curve. Screenshots go to target/screenshots/tracking-*.png.
 *
 * <p>Four recipients: ada clicks the offer twice and the news once, bob clicks the offer once, ada, bob and cy
 * open (ada twice), dee does nothing: 3 of 4 opened (75 %), 2 of 4 clicked (50 %), the offer has 3 clicks by
 * 2 recipients, the news 1 by 1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {
        "herald.demo-data=false",
        "herald.channels.email.provider=smtp",
        "spring.mail.host=127.0.0.1",
        "herald.email.from=news@herald.test",
        "herald.delivery.rate-per-sec=0",
})
class TrackingConsoleE2EIT {
    private static final String OFFER = "https://shop.example.com/offer?a=1&b=2";
    private static final String NEWS = "http://news.example.com/today";
    private static final Duration LIVE = Duration.ofSeconds(40);
    private static final int PORT = Ports.free();
    static final GreenMail SMTP = startSmtp();

    static GreenMail startSmtp() {
        GreenMail server = new GreenMail(new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        // The links in the emails must reach this server: a fixed port, known before it starts.
        registry.add("server.port", () -> PORT);
        registry.add("herald.public-url", () -> "http://127.0.0.1:" + PORT);
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @RegisterExtension
    final AfterTestExecutionCallback onFailure = Browser.onFailure("tracking-FAILED-", () -> this.browser);

    Api api;
    Browser browser;

    @BeforeEach
    void setUp() {
        api = new Api(PORT);
        browser = Browser.startConsole("http://127.0.0.1:" + PORT);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.closeCheckingScriptErrors();
        }
    }

    @Test
    void opensAndClicksShowOnTheCampaignPageAsTheyHappen() throws Exception {
        for (String name : List.of("ada", "bob", "cy", "dee")) {
            Api.Response r = api.post("/recipients", Map.of("name", name, "email", name + "@track.test", "tags", List.of("tracked")));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }

        browser.open("/ui/campaigns/new");
        WebElement opens = browser.byTestId("campaign-track-opens");
        WebElement clicks = browser.byTestId("campaign-track-clicks");
        assertThat(opens.isSelected()).as("on by default for email").isTrue();
        assertThat(clicks.isSelected()).isTrue();
        browser.click("campaign-track-clicks");
        assertThat(clicks.isSelected()).isFalse();
        browser.byTestId("campaign-name").sendKeys("Tracked news");
        browser.byTestId("campaign-subject").sendKeys("News for {{name}}");
        browser.byTestId("campaign-template").sendKeys("<p>Hi {{name}}, <a href=\"https://shop.example.com/offer?a=1&amp;b=2\">the offer</a>"
                + " and <a href=\"" + NEWS + "\">the news</a>.</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
        browser.byTestId("campaign-segment").sendKeys("tracked");
        browser.click("campaign-track-clicks");
        assertThat(clicks.isSelected()).isTrue();
        browser.scrollIntoView(browser.byTestId("campaign-tracking"));
        browser.screenshot("tracking-01-form-checkboxes");

        browser.click("campaign-submit");
        browser.until(d -> browser.path().matches("/ui/campaigns/\\d+"));
        long id = Long.parseLong(browser.path().substring(browser.path().lastIndexOf('/') + 1));
        Api.Response created = api.get("/campaigns/" + id);
        assertThat(created.json().path("track_opens").asBoolean()).isTrue();
        assertThat(created.json().path("track_clicks").asBoolean()).isTrue();
        // In the closed "Template & timeline" section, hence its text content rather than its visible text.
        browser.until(d -> "opens, clicks".equals(d.findElement(Browser.testId("campaign-tracking-view")).getDomProperty("textContent")));

        browser.click("send-button");
        browser.click("confirm-button");
        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")), LIVE);
        browser.waitForText("stat-sent", "4");
        // Nothing opened or clicked yet; the links are known once the body was rendered.
        browser.waitForText("stat-opens", "0");
        browser.waitForText("stat-clicks", "0");
        browser.byTestId("engagement-empty");
        browser.until(d -> browser.allByTestId("link-row").size() == 2, LIVE);

        // The recipients' emails: follow the rewritten links and load the pixels, as their mail clients would.
        assertThat(SMTP.waitForIncomingEmail(10_000, 4)).isTrue();
        Map<String, Document> html = received(id);
        assertThat(html).containsOnlyKeys("ada@track.test", "bob@track.test", "cy@track.test", "dee@track.test");
        String adaOffer = link(html, "ada", 0);
        String adaNews = link(html, "ada", 1);
        String bobOffer = link(html, "bob", 0);
        String base = "http://127.0.0.1:" + PORT;
        assertThat(List.of(adaOffer, adaNews, bobOffer)).allMatch(l -> l.startsWith(base + "/l/"));
        assertThat(redirect(adaOffer)).isEqualTo(OFFER);
        assertThat(redirect(adaOffer)).isEqualTo(OFFER);
        assertThat(redirect(adaNews)).isEqualTo(NEWS);
        assertThat(redirect(bobOffer)).isEqualTo(OFFER);
        for (String who : List.of("ada", "ada", "bob", "cy")) {
            String pixel = html.get(who + "@track.test").select("img[width=1][height=1]").attr("src");
            assertThat(pixel).startsWith(base + "/o/");
            assertThat(fetch(pixel).status()).isEqualTo(200);
        }

        // The page, still open, catches up by itself (the counters are re-read after the send).
        browser.until(d -> "3".equals(browser.byTestId("stat-opens").getText())
                && "2".equals(browser.byTestId("stat-clicks").getText()), LIVE);
        assertThat(browser.byTestId("stat-opens-rate").getText()).isEqualTo("75% open rate");
        assertThat(browser.byTestId("stat-clicks-rate").getText()).isEqualTo("50% click rate");
        browser.until(d -> "3".equals(browser.allByTestId("link-clicks-count").get(0).getText()), LIVE);
        List<WebElement> rows = browser.allByTestId("link-row");
        assertThat(rows).extracting(r -> r.getDomAttribute("data-url")).containsExactly(OFFER, NEWS);
        assertThat(cell(rows.get(0), "link-clicks-count")).isEqualTo("3");
        assertThat(cell(rows.get(0), "link-unique-clicks")).isEqualTo("2");
        assertThat(cell(rows.get(0), "link-unique-rate")).isEqualTo("50%");
        assertThat(cell(rows.get(1), "link-clicks-count")).isEqualTo("1");
        assertThat(cell(rows.get(1), "link-unique-clicks")).isEqualTo("1");
        WebElement chart = browser.byTestId("engagement-chart");
        browser.until(d -> "3".equals(chart.getDomAttribute("data-opens")) && "2".equals(chart.getDomAttribute("data-clicks")), LIVE);
        assertThat(browser.byTestId("engagement-opens").getText()).isEqualTo("3");
        assertThat(browser.byTestId("engagement-clicks").getText()).isEqualTo("2");
        // Both curves are drawn (recharts renders each line as a path).
        browser.until(d -> d.findElements(By.cssSelector("[data-testid='engagement-series'] .recharts-line")).size() == 2);
        browser.scrollIntoView(browser.byTestId("stats-engagement"));
        browser.screenshot("tracking-02-campaign-engagement");
        browser.scrollIntoView(chart);
        browser.screenshot("tracking-03-links-and-curve");

        // The same numbers after a reload (nothing kept only by the page).
        browser.open("/ui/campaigns/" + id);
        browser.waitForText("stat-opens", "3");
        browser.until(d -> browser.allByTestId("link-row").size() == 2
                && "3".equals(browser.allByTestId("link-clicks-count").get(0).getText()), LIVE);
    }

    private static String cell(WebElement row, String testId) {
        return row.findElement(Browser.testId(testId)).getText();
    }

    private static String link(Map<String, Document> html, String who, int index) {
        return html.get(who + "@track.test").select("a[href]").get(index).attr("href");
    }

    private String redirect(String url) {
        Api.Response r = fetch(url);
        assertThat(r.status()).as(url).isEqualTo(302);
        return r.location();
    }

    private Api.Response fetch(String url) {
        return api.send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "TrackingConsoleE2EIT").GET());
    }

    /** The HTML part of each message of the campaign, by recipient address. */
    private static Map<String, Document> received(long campaignId) throws Exception {
        Map<String, Document> byRecipient = new LinkedHashMap<>();
        for (MimeMessage m : SMTP.getReceivedMessages()) {
            if (Long.toString(campaignId).equals(m.getHeader("X-Herald-Campaign", null))) {
                String to = ((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
                byRecipient.put(to, Jsoup.parse(htmlPart(m)));
            }
        }
        return byRecipient;
    }

    private static String htmlPart(MimeMessage message) throws Exception {
        Multipart multipart = (Multipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType("text/html")) {
                return String.valueOf(part.getContent());
            }
        }
        throw new AssertionError("no text/html part in " + message.getContentType());
    }
}
