package io.herald.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.testsupport.TestDatabase;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Email through a real SMTP server started by the test (GreenMail on 127.0.0.1), read back from the server:
 * a 2,000-recipient campaign arrives exactly once per recipient, personalised, as multipart/alternative with
 * the RFC 8058 unsubscribe headers; the link taken from a received message unsubscribes with one POST; a
 * 550 for one address fails that message only; the server going away for 10 s mid-campaign loses nothing,
 * and repeats at most the messages whose sessions it cut mid-DATA (with the same Message-ID).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class EmailCampaignIT {
    static final int HTTP_PORT = io.herald.testsupport.Ports.free();
    static final int SMTP_PORT = io.herald.testsupport.Ports.free();
    static RejectingGreenMail smtp = start();
    /**
     * Servers stopped by the outage test (a restarted server starts with an empty store). Sessions that were
     * open when one stopped may still finish a message into its store, so they are read at the end.
     */
    static final List<com.icegreen.greenmail.Managers> stopped = new ArrayList<>();

    Api api;

    static RejectingGreenMail start() {
        RejectingGreenMail server = new RejectingGreenMail(SMTP_PORT);
        server.start();
        return server;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("server.port", () -> HTTP_PORT);
        registry.add("herald.public-url", () -> "http://127.0.0.1:" + HTTP_PORT);
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.delivery.rate-per-sec", () -> "0");
        // Ride out a 10 s outage: 0.5 s doubling, capped at 4 s, over 8 attempts is about 20 s of retries.
        registry.add("herald.delivery.max-attempts", () -> "8");
        registry.add("herald.delivery.max-backoff", () -> "4s");
        // The outage opens the circuit breaker; probing again after 5 s instead of the default 30 s keeps the test short.
        registry.add("herald.delivery.circuit-breaker.wait-in-open-state", () -> "5s");
        registry.add("herald.channels.email.provider", () -> "smtp");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP_PORT);
        registry.add("spring.mail.properties.mail.smtp.connectiontimeout", () -> "2000");
        registry.add("spring.mail.properties.mail.smtp.timeout", () -> "5000");
        registry.add("herald.email.from", () -> "Herald News <news@herald.test>");
    }

    @AfterAll
    static void stopServer() {
        smtp.stop();
    }

    @BeforeEach
    void setUp() {
        api = new Api(HTTP_PORT);
    }

    @Test
    void twoThousandRecipientsGetOneEmailEachAndTheOneClickLinkUnsubscribes() throws Exception {
        importRecipients("bulk", 2_000, "ada");
        long campaignId = createCampaign("bulk", "Hi {{name}} 💌");
        api.post("/campaigns/" + campaignId + "/send");
        JsonNode stats = api.waitForStats(campaignId, s -> "COMPLETED".equals(s.path("status").asText()),
                java.time.Duration.ofSeconds(90));
        assertThat(stats.path("sent").asLong()).isEqualTo(2_000);
        assertThat(stats.path("failed").asLong()).isZero();

        Map<String, MimeMessage> byRecipient = received(campaignId);
        assertThat(byRecipient).hasSize(2_000);
        MimeMessage zoe = byRecipient.get("ada-7@bulk.test");
        assertThat(zoe.getSubject()).isEqualTo("Hi Zoë 7 💌");
        assertThat(zoe.getFrom()[0].toString()).contains("news@herald.test");
        assertThat(((jakarta.mail.internet.InternetAddress) zoe.getRecipients(Message.RecipientType.TO)[0]).getPersonal())
                .isEqualTo("Zoë 7");
        assertThat(zoe.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) zoe.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat((String) text.getContent()).contains("Hello Zoë 7 💌").contains("see the offer (https://example.com/offer)");
        assertThat(html.getContentType()).startsWith("text/html");
        assertThat((String) html.getContent()).contains("<b>Zoë 7</b>").contains("href=\"https://example.com/offer\"");
        long recipientId = recipientId("ada-7@bulk.test");
        assertThat(zoe.getMessageID()).isEqualTo("<herald-" + campaignId + "-" + recipientId + "@herald.test>");
        assertThat(zoe.getHeader("X-Herald-Campaign", null)).isEqualTo(Long.toString(campaignId));
        assertThat(zoe.getHeader("X-Herald-Message", null)).matches("\\d+");
        assertThat(zoe.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        String listUnsubscribe = zoe.getHeader("List-Unsubscribe", null);
        assertThat(listUnsubscribe).startsWith("<http://127.0.0.1:" + HTTP_PORT + "/u/").endsWith(">");
        String link = listUnsubscribe.substring(1, listUnsubscribe.length() - 1);
        assertThat((String) html.getContent()).contains("href=\"" + link + "\"");

        // The page names the address and offers the button; it works without logging in.
        Response page = api.send(HttpRequest.newBuilder(URI.create(link)).header("Accept", "text/html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("ada-7@bulk.test").contains("<form method=\"post\"");

        // An altered token is a 404 and changes nothing.
        String altered = link.substring(0, link.length() - 2) + (link.endsWith("A") ? "BB" : "AA");
        assertThat(oneClick(altered).status()).isEqualTo(404);
        assertThat(oneClick(link.replace("/u/" + recipientId + ".", "/u/" + (recipientId + 1) + ".")).status()).isEqualTo(404);
        assertThat(api.get("/recipients/" + recipientId).json().path("status").asText()).isEqualTo("ACTIVE");

        // RFC 8058 one-click, twice: unsubscribed once, counted once.
        assertThat(oneClick(link).status()).isEqualTo(200);
        assertThat(oneClick(link).status()).isEqualTo(200);
        assertThat(api.get("/recipients/" + recipientId).json().path("status").asText()).isEqualTo("UNSUBSCRIBED");
        assertThat(api.get("/campaigns/" + campaignId + "/stats").json().path("unsubscribed").asLong()).isEqualTo(1);
        assertThat(api.get("/campaigns/" + campaignId).json().path("unsubscribed").asLong()).isEqualTo(1);
        JsonNode audit = api.get("/audit?actor=recipient:" + recipientId).json().path("items");
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).path("action").asText()).isEqualTo("recipient.unsubscribe");

        // The next campaign skips them.
        long next = createCampaign("bulk", "Second {{name}}");
        assertThat(api.get("/campaigns/" + next + "/preview").json().path("total_targets").asLong()).isEqualTo(1_999);
        api.post("/campaigns/" + next + "/send");
        JsonNode nextStats = api.waitForStats(next, s -> "COMPLETED".equals(s.path("status").asText()));
        assertThat(nextStats.path("total").asLong()).isEqualTo(1_999);
        assertThat(received(next)).hasSize(1_999).doesNotContainKey("ada-7@bulk.test");
    }

    @Test
    void anAddressTheServerRejectsFailsWithTheReplyWhileTheOthersAreSent() throws Exception {
        importRecipients("reject", 5, "ok");
        api.post("/recipients", Map.of("name", "Gone", "email", RejectingGreenMail.REJECTED_PREFIX + "-gone@reject.test",
                "tags", List.of("reject")));
        long campaignId = createCampaign("reject", "Hello {{name}}");
        api.post("/campaigns/" + campaignId + "/send");
        JsonNode stats = api.waitForStats(campaignId, s -> "COMPLETED".equals(s.path("status").asText()));
        assertThat(stats.path("sent").asLong()).isEqualTo(5);
        assertThat(stats.path("failed").asLong()).isEqualTo(1);
        assertThat(stats.path("retries").asLong()).isZero();
        JsonNode failed = api.get("/campaigns/" + campaignId + "/messages?status=FAILED").json().path("items");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get(0).path("last_error").asText()).contains("550").contains("mailbox unavailable");
        assertThat(received(campaignId)).hasSize(5);
    }

    @Test
    void theServerGoneForTenSecondsMidCampaignLosesNothing() throws Exception {
        importRecipients("outage", 2_000, "out");
        long campaignId = createCampaign("outage", "Outage test {{name}}");
        api.post("/campaigns/" + campaignId + "/send");
        api.waitForStats(campaignId, s -> s.path("sent").asLong() >= 100 || "COMPLETED".equals(s.path("status").asText()));
        synchronized (EmailCampaignIT.class) {
            // GreenMail.stop() gives the server a fresh, empty store: keep the old one to count what it received.
            stopped.add(smtp.getManagers());
            smtp.stop();
        }
        long sentWhenStopped = api.get("/campaigns/" + campaignId + "/stats").json().path("sent").asLong();
        Thread.sleep(10_000);
        synchronized (EmailCampaignIT.class) {
            smtp = start();
        }
        JsonNode stats = api.waitForStats(campaignId, s -> "COMPLETED".equals(s.path("status").asText()),
                java.time.Duration.ofSeconds(90));
        assertThat(sentWhenStopped).as("the server stopped mid-campaign").isLessThan(2_000);
        assertThat(stats.path("sent").asLong()).isEqualTo(2_000);
        assertThat(stats.path("failed").asLong()).isZero();
        assertThat(stats.path("retries").asLong()).isPositive();
        // Counted on the server: nobody lost, one Message-ID per recipient. A session cut between the end of
        // DATA and the server's 250 cannot tell whether the message was taken (RFC 1047): the retry may leave a
        // second copy with the same Message-ID, which receivers de-duplicate. At most one per open session.
        Map<String, Set<String>> messageIds = new HashMap<>();
        int copies = 0;
        for (MimeMessage m : allReceived()) {
            if (Long.toString(campaignId).equals(m.getHeader("X-Herald-Campaign", null))) {
                messageIds.computeIfAbsent(m.getRecipients(Message.RecipientType.TO)[0].toString(), k -> new HashSet<>())
                        .add(m.getMessageID());
                copies++;
            }
        }
        System.out.printf("[email-outage] %d recipients, %d messages on the server, %d repeated (same Message-ID)%n",
                messageIds.size(), copies, copies - messageIds.size());
        assertThat(messageIds).hasSize(2_000);
        assertThat(messageIds.values()).allMatch(ids -> ids.size() == 1);
        assertThat(copies - messageIds.size()).as("repeated deliveries").isLessThanOrEqualTo(4);
    }

    private Response oneClick(String link) {
        return api.send(HttpRequest.newBuilder(URI.create(link))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
    }

    private long createCampaign(String tag, String subject) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Email " + tag + " " + subject);
        body.put("channel", "email");
        body.put("subject", subject);
        body.put("template", "<html><head><style>p{color:red}</style></head><body><p>Hello <b>{{name}}</b> 💌,"
                + " <a href=\"https://example.com/offer\">see the offer</a>.</p>"
                + "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>");
        body.put("segment_rule", tag);
        // these tests check the body as written (tracking has TrackingIT)
        body.put("track_clicks", false);
        body.put("track_opens", false);
        Response created = api.post("/campaigns", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode campaign = created.json();
        assertThat(campaign.path("channel").asText()).isEqualTo("email");
        assertThat(campaign.path("content_type").asText()).isEqualTo("html");
        return campaign.path("id").asLong();
    }

    /** Imports {@code n} recipients {@code <prefix>-<i>@<tag>.test}, named "Zoë i", tagged {@code tag}. */
    private void importRecipients(String tag, int n, String prefix) {
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < n; i++) {
            csv.append("Zoë ").append(i).append(',').append(prefix).append('-').append(i).append('@').append(tag)
                    .append(".test,").append(tag).append('\n');
        }
        Response imported = api.upload("/recipients/import", tag + ".csv", csv.toString().getBytes(StandardCharsets.UTF_8),
                Map.of());
        assertThat(imported.status()).as(imported.body()).isBetween(200, 202);
        long deadline = System.currentTimeMillis() + 60_000;
        while (api.get("/recipients/count?tag=" + tag).json().path("count").asLong() < n) {
            assertThat(System.currentTimeMillis()).as("import of " + tag).isLessThan(deadline);
            sleep(200);
        }
    }

    private long recipientId(String email) {
        return api.get("/recipients?q=" + email).json().path("items").get(0).path("id").asLong();
    }

    /** The campaign's messages on the server, by recipient address; fails on a second copy. */
    private Map<String, MimeMessage> received(long campaignId) throws Exception {
        Map<String, MimeMessage> byRecipient = new HashMap<>();
        Set<String> duplicates = new HashSet<>();
        for (MimeMessage m : allReceived()) {
            if (Long.toString(campaignId).equals(m.getHeader("X-Herald-Campaign", null))) {
                String to = ((jakarta.mail.internet.InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress();
                if (byRecipient.put(to, m) != null) {
                    duplicates.add(to);
                }
            }
        }
        assertThat(duplicates).as("recipients who got the campaign twice").isEmpty();
        return byRecipient;
    }

    private static synchronized List<MimeMessage> allReceived() {
        List<MimeMessage> all = new ArrayList<>();
        for (com.icegreen.greenmail.Managers old : stopped) {
            old.getImapHostManager().getAllMessages().forEach(m -> all.add(m.getMimeMessage()));
        }
        all.addAll(List.of(smtp.getReceivedMessages()));
        return all;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
