package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.herald.testsupport.Api;
import io.herald.testsupport.Browser;
import io.herald.testsupport.TestDatabase;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An email campaign made and sent in the web console, in headless Chromium, delivered through a real SMTP
 * server the test starts (GreenMail on 127.0.0.1, a free port): the form's live preview renders the HTML of a
 * sample recipient in a sandboxed iframe (and its text part), the campaign is saved, sent from its page and
 * watched to COMPLETED, and the SMTP server holds one personalised message per targeted recipient and none
 * for anyone else. Screenshots go to target/screenshots/email-*.png.
 *
 * <p>Audience: the 20 demo recipients, of whom "vip,tw" selects Alice Chen, Chloé Dubois and Emma Wilson,
 * plus one vip,tw recipient with a phone and no email address, created through the API, whom the preview
 * counts as unreachable and nobody mails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.demo-data=true",
        "herald.channels.email.provider=smtp",
        "spring.mail.host=127.0.0.1",
        "spring.mail.properties.mail.smtp.connectiontimeout=2000",
        "spring.mail.properties.mail.smtp.timeout=5000",
        "herald.email.from=news@herald.test",
        "herald.delivery.rate-per-sec=0",
})
class EmailConsoleE2EIT {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> TARGETS = List.of("alice@example.com", "chloe@example.com", "emma@example.com");

    static final GreenMail SMTP = startSmtp();

    static GreenMail startSmtp() {
        GreenMail server = new GreenMail(new ServerSetup(io.herald.testsupport.Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }


    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
    }

    @AfterAll
    static void stopSmtp() {
        SMTP.stop();
    }

    @RegisterExtension
    final AfterTestExecutionCallback onFailure = Browser.onFailure("email-FAILED-", () -> this.browser);

    @LocalServerPort
    int port;
    Api api;
    Browser browser;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        browser = Browser.startConsole("http://127.0.0.1:" + port);
    }

    @AfterEach
    void tearDown() {
        if (browser != null) {
            browser.closeCheckingScriptErrors();
        }
    }

    @Test
    void anEmailCampaignMadeInTheConsoleArrivesPersonalisedOverSmtp() throws Exception {
        // A vip,tw recipient the email channel cannot reach.
        Api.Response nomail = api.post("/recipients", Api.json(Map.of("name", "Nadia Nomail", "phone", "+886912000099",
                "tags", List.of("vip", "tw"))));
        assertThat(nomail.status()).as(nomail.body()).isEqualTo(201);

        browser.open("/ui/campaigns/new");
        browser.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid='tag-suggestion'][data-tag='vip']")));
        // Email is the default channel, with its fields; nothing to preview yet.
        assertThat(new Select(browser.byTestId("campaign-channel")).getFirstSelectedOption().getDomProperty("value")).isEqualTo("email");
        assertThat(new Select(browser.byTestId("campaign-content-type")).getFirstSelectedOption().getDomProperty("value")).isEqualTo("html");
        browser.byTestId("draft-preview-hint");

        browser.byTestId("campaign-name").sendKeys("Spring news");
        // The subject is a template too: the variable button inserts into it because it was focused last.
        WebElement subject = browser.byTestId("campaign-subject");
        subject.sendKeys("Hello ");
        variableButton("{{name}}").click();
        browser.until(d -> "Hello {{name}}".equals(subject.getDomProperty("value")));
        subject.sendKeys(Keys.END, ", spring is here");
        WebElement body = browser.byTestId("campaign-template");
        body.sendKeys("<h1>Hi {{name}}</h1><p>Spring <b>news</b> for {{city}}.</p>"
                + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>");
        assertThat(subject.getDomProperty("value")).isEqualTo("Hello {{name}}, spring is here");
        browser.byTestId("campaign-segment").sendKeys("vip,tw");

        // The live preview of the unsaved draft: three reachable, one without an email address.
        browser.until(d -> "3".equals(browser.byTestId("preview-total").getText()));
        assertThat(browser.byTestId("preview-unreachable").getText()).isEqualTo("1 matches but has no email address");
        assertThat(browser.allByTestId("preview-item")).hasSize(3);
        String sample = browser.byTestId("email-preview-recipient").getText();
        assertThat(sample).isEqualTo("Alice Chen <alice@example.com>");
        browser.waitForText("email-preview-subject", "Hello Alice Chen, spring is here");
        WebElement frame = browser.byTestId("email-preview-frame");
        assertThat(frame.getTagName()).isEqualTo("iframe");
        assertThat(frame.getDomAttribute("sandbox")).as("sandbox present and empty: no scripts in the email").isEmpty();
        assertThat(frame.getDomAttribute("srcdoc")).contains("<h1>Hi Alice Chen</h1>", "for Taipei.", "<b>news</b>");
        // Inside the frame: the rendered body, as the recipient's mail client would lay it out.
        browser.driver().switchTo().frame(frame);
        try {
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Hi Alice Chen");
            assertThat(browser.driver().findElement(By.tagName("body")).getText()).contains("Spring news for Taipei.");
        } finally {
            browser.driver().switchTo().defaultContent();
        }
        browser.screenshot("email-01-new-campaign-preview");

        // The derived plain-text part.
        browser.click("email-preview-tab-text");
        assertThat(browser.byTestId("email-preview-text").getText()).contains("Hi Alice Chen", "Spring news for Taipei.");
        browser.screenshot("email-02-new-campaign-preview-text");
        browser.click("email-preview-tab-html");
        browser.byTestId("email-preview-frame");

        // Another sample recipient.
        browser.driver().findElement(By.cssSelector("[data-testid='preview-item'] button[title='emma@example.com']")).click();
        browser.waitForText("email-preview-subject", "Hello Emma Wilson, spring is here");
        browser.until(d -> String.valueOf(browser.byTestId("email-preview-frame").getDomAttribute("srcdoc")).contains("Hi Emma Wilson"));

        // Save: the campaign page shows the channel and the subject template.
        browser.click("campaign-submit");
        browser.until(d -> browser.path().matches("/ui/campaigns/\\d+"));
        String path = browser.path();
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        browser.waitForText("campaign-name-heading", "Spring news");
        assertThat(browser.byTestId("campaign-channel-badge").getDomAttribute("data-channel")).isEqualTo("email");
        assertThat(browser.byTestId("campaign-channel-badge").getText()).isEqualTo("Email");
        assertThat(browser.byTestId("campaign-subject-view").getText()).isEqualTo("Hello {{name}}, spring is here");
        assertThat(browser.byTestId("campaign-status").getDomAttribute("data-status")).isEqualTo("DRAFT");
        // The stored campaign's preview renders the same way.
        browser.until(d -> String.valueOf(browser.byTestId("email-preview-frame").getDomAttribute("srcdoc")).contains("Hi Alice Chen"));
        assertThat(browser.byTestId("email-preview-frame").getDomAttribute("sandbox")).isEmpty();
        browser.screenshot("email-03-campaign-draft");

        // Send from the campaign page, after confirming, and watch it complete.
        browser.click("send-button");
        browser.click("confirm-button");
        browser.until(d -> "COMPLETED".equals(browser.byTestId("campaign-status").getDomAttribute("data-status")), SEND_TIMEOUT);
        browser.until(ExpectedConditions.textToBe(Browser.testId("stat-sent"), "3"));
        assertThat(browser.byTestId("stat-failed").getText()).isEqualTo("0");
        assertThat(browser.byTestId("stat-unsubscribed").getText()).isEqualTo("0");
        browser.screenshot("email-04-campaign-completed");

        // What the SMTP server received: one personalised message per targeted recipient, nobody else.
        assertThat(SMTP.waitForIncomingEmail(10_000, TARGETS.size())).isTrue();
        Map<String, List<MimeMessage>> byRecipient = Arrays.stream(SMTP.getReceivedMessages())
                .collect(Collectors.groupingBy(EmailConsoleE2EIT::to));
        assertThat(byRecipient.keySet()).containsExactlyInAnyOrderElementsOf(TARGETS);
        assertThat(byRecipient.values()).allSatisfy(messages -> assertThat(messages).hasSize(1));

        MimeMessage alice = byRecipient.get("alice@example.com").get(0);
        assertThat(alice.getSubject()).isEqualTo("Hello Alice Chen, spring is here");
        assertThat(((InternetAddress) alice.getFrom()[0]).getAddress()).isEqualTo("news@herald.test");
        assertThat(alice.getHeader("X-Herald-Campaign", null)).isEqualTo(Long.toString(id));
        String html = part(alice, "text/html");
        assertThat(html).contains("<h1>Hi Alice Chen</h1>", "for Taipei.").containsPattern("href=\"[^\"]*/u/[^\"]+\"");
        assertThat(part(alice, "text/plain")).contains("Hi Alice Chen");
        MimeMessage emma = byRecipient.get("emma@example.com").get(0);
        assertThat(emma.getSubject()).isEqualTo("Hello Emma Wilson, spring is here");
        assertThat(part(emma, "text/html")).contains("<h1>Hi Emma Wilson</h1>");
    }

    private WebElement variableButton(String text) {
        return browser.until(d -> browser.allByTestId("template-variable").stream()
                .filter(b -> b.getText().equals(text)).findFirst().orElse(null));
    }

    private static String to(MimeMessage message) {
        try {
            return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first body part of this MIME type (the message itself when it is not multipart). */
    private static String part(MimeMessage message, String mimeType) throws Exception {
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(mimeType)) {
                    return String.valueOf(part.getContent());
                }
            }
            throw new AssertionError("no " + mimeType + " part in " + message.getContentType());
        }
        assertThat(message.isMimeType(mimeType)).as(message.getContentType()).isTrue();
        return String.valueOf(content);
    }
}
