package io.herald.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.testsupport.Ports;
import io.herald.testsupport.TestDatabase;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Click and open tracking end to end, on each database: an HTML campaign with two links, a mailto link and
 * {@code {{unsubscribe_url}}} is sent through a real SMTP server (GreenMail); the links read back from the received
 * messages redirect (302) to the original URLs and count once per recipient, the pixel counts opens, altered
 * tokens are 404s that count nothing, the unsubscribe and mailto links are untouched, the stats, the links and the
 * curve show it, and no client IP is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
abstract class AbstractTrackingIT {
    static final String OFFER = "https://shop.example.com/offer?a=1&b=2";
    static final String NEWS = "http://news.example.com/today";

    static GreenMail smtp;
    static int httpPort;

    @Autowired
    JdbcClient jdbc;
    Api api;

    /** Starts the SMTP server and points Herald at it and at {@code database}. */
    static void register(DynamicPropertyRegistry registry, TestDatabase database) {
        httpPort = Ports.free();
        int smtpPort = Ports.free();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        database.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("server.port", () -> httpPort);
        registry.add("herald.public-url", () -> "http://127.0.0.1:" + httpPort);
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.delivery.rate-per-sec", () -> "0");
        registry.add("herald.channels.email.provider", () -> "smtp");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtpPort);
        registry.add("herald.email.from", () -> "Herald News <news@herald.test>");
    }

    @AfterAll
    static void stopSmtp() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    @BeforeEach
    void client() {
        api = new Api(httpPort);
    }

    @Test
    void linksRedirectAndCountOncePerRecipientThePixelCountsOpensAndForgedTokensAre404s() throws Exception {
        for (String name : List.of("ada", "bob", "cy")) {
            Response r = api.post("/recipients", Map.of("name", name, "email", name + "@track.test", "tags", List.of("track")));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Tracked");
        body.put("channel", "email");
        body.put("subject", "Hi {{name}}");
        body.put("template", "<html><body><p>Hi {{name}}, <a href=\"https://shop.example.com/offer?a=1&amp;b=2\">the offer</a>"
                + " and <a href='" + NEWS + "'>the news</a>, <a href=\"mailto:help@herald.test\">write to us</a>,"
                + " <a href=\"#top\">top</a>.</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p></body></html>");
        body.put("segment_rule", "track");
        Response created = api.post("/campaigns", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("track_clicks").asBoolean()).as("on by default for email").isTrue();
        assertThat(created.json().path("track_opens").asBoolean()).isTrue();
        long campaignId = created.json().path("id").asLong();
        api.post("/campaigns/" + campaignId + "/send");
        JsonNode done = api.waitForStats(campaignId, s -> "COMPLETED".equals(s.path("status").asText()), Duration.ofSeconds(60));
        assertThat(done.path("sent").asLong()).isEqualTo(3);
        assertThat(done.path("opens").asLong()).isZero();
        assertThat(done.path("clicks").asLong()).isZero();

        Map<String, MimeMessage> received = received(campaignId);
        assertThat(received).hasSize(3);
        String base = "http://127.0.0.1:" + httpPort;
        Map<String, Document> html = new LinkedHashMap<>();
        for (Map.Entry<String, MimeMessage> e : received.entrySet()) {
            MimeMultipart parts = (MimeMultipart) e.getValue().getContent();
            html.put(e.getKey(), Jsoup.parse((String) parts.getBodyPart(1).getContent()));
        }
        Document ada = html.get("ada@track.test");
        List<String> hrefs = ada.select("a[href]").eachAttr("href");
        assertThat(hrefs).hasSize(5);
        String offerLink = hrefs.get(0);
        String newsLink = hrefs.get(1);
        assertThat(offerLink).startsWith(base + "/l/");
        assertThat(newsLink).startsWith(base + "/l/").isNotEqualTo(offerLink);
        assertThat(hrefs.get(2)).isEqualTo("mailto:help@herald.test");
        assertThat(hrefs.get(3)).isEqualTo("#top");
        // The unsubscribe link is the message's own, untouched.
        String listUnsubscribe = received.get("ada@track.test").getHeader("List-Unsubscribe", null);
        assertThat(hrefs.get(4)).startsWith(base + "/u/").isEqualTo(listUnsubscribe.substring(1, listUnsubscribe.length() - 1));
        List<String> pixels = ada.select("img[width=1][height=1]").eachAttr("src");
        assertThat(pixels).hasSize(1);
        String adaPixel = pixels.get(0);
        assertThat(adaPixel).startsWith(base + "/o/").endsWith(".gif");
        Document bob = html.get("bob@track.test");
        String bobOffer = bob.select("a[href]").get(0).attr("href");
        String bobPixel = bob.select("img[width=1][height=1]").attr("src");
        assertThat(bobOffer).as("tokens are per message").isNotEqualTo(offerLink);

        // Clicks: ada twice on the offer and once on the news, bob once on the offer. cy does nothing.
        assertRedirect(offerLink, OFFER);
        assertRedirect(offerLink, OFFER);
        assertRedirect(newsLink, NEWS);
        assertRedirect(bobOffer, OFFER);
        // Opens: ada twice, bob once.
        for (String pixel : List.of(adaPixel, adaPixel, bobPixel)) {
            Response gif = fetch(pixel);
            assertThat(gif.status()).isEqualTo(200);
            assertThat(gif.contentType()).isEqualTo("image/gif");
            assertThat(gif.header("Cache-Control")).contains("no-store");
        }

        JsonNode stats = api.waitForStats(campaignId, s -> s.path("opens").asLong() == 2 && s.path("clicks").asLong() == 2,
                Duration.ofSeconds(10));
        assertThat(stats.path("open_rate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stats.path("click_rate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode links = api.get("/campaigns/" + campaignId + "/links").json().path("items");
        assertThat(links).hasSize(2);
        assertThat(links.get(0).path("url").asText()).isEqualTo(OFFER);
        assertThat(links.get(0).path("clicks").asLong()).isEqualTo(3);
        assertThat(links.get(0).path("unique_clicks").asLong()).isEqualTo(2);
        assertThat(links.get(1).path("url").asText()).isEqualTo(NEWS);
        assertThat(links.get(1).path("clicks").asLong()).isEqualTo(1);
        assertThat(links.get(1).path("unique_clicks").asLong()).isEqualTo(1);
        JsonNode curve = api.get("/campaigns/" + campaignId + "/stats/engagement").json();
        long curveOpens = 0;
        long curveClicks = 0;
        for (JsonNode point : curve.path("points")) {
            curveOpens += point.path("opens").asLong();
            curveClicks += point.path("clicks").asLong();
        }
        assertThat(curveOpens).isEqualTo(2);
        assertThat(curveClicks).isEqualTo(2);

        // Forged and altered tokens: 404, and nothing is counted.
        String token = offerLink.substring((base + "/l/").length());
        String[] parts = token.split("\\.");
        String mac = parts[3];
        String otherMac = (mac.charAt(0) == 'A' ? "B" : "A") + mac.substring(1);
        assertThat(fetch(base + "/l/" + parts[0] + "." + parts[1] + "." + parts[2] + "." + otherMac).status()).isEqualTo(404);
        assertThat(fetch(base + "/l/" + parts[0] + "." + parts[1] + ".1." + mac).status()).as("other link").isEqualTo(404);
        assertThat(fetch(base + "/l/" + (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2] + "." + mac).status())
                .as("other message").isEqualTo(404);
        assertThat(fetch(base + "/l/" + parts[0] + "." + parts[1] + "." + parts[2] + ".7." + mac).status()).isEqualTo(404);
        assertThat(fetch(base + "/l/garbage").status()).isEqualTo(404);
        String openToken = adaPixel.substring((base + "/o/").length(), adaPixel.length() - ".gif".length());
        assertThat(fetch(base + "/l/" + openToken).status()).as("an open token is no click token").isEqualTo(404);
        String cyPixel = html.get("cy@track.test").select("img[width=1][height=1]").attr("src");
        String cyToken = cyPixel.substring((base + "/o/").length(), cyPixel.length() - ".gif".length());
        String[] cyParts = cyToken.split("\\.");
        assertThat(fetch(base + "/o/" + cyParts[0] + "." + cyParts[1] + "." + otherMac + ".gif").status()).isEqualTo(404);
        assertThat(fetch(base + "/o/" + cyParts[0] + "." + (Long.parseLong(cyParts[1]) + 1) + "." + cyParts[2] + ".gif").status())
                .isEqualTo(404);
        Thread.sleep(1_000); // more than the writer's flush interval
        JsonNode after = api.get("/campaigns/" + campaignId + "/stats").json();
        assertThat(after.path("opens").asLong()).isEqualTo(2);
        assertThat(after.path("clicks").asLong()).isEqualTo(2);
        assertThat(api.get("/campaigns/" + campaignId + "/links").json().path("items").get(0).path("clicks").asLong()).isEqualTo(3);

        // Privacy: no client IP without herald.tracking.store-ip=true; the user agent is kept.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM tracking_events WHERE campaign_id = ? AND ip IS NOT NULL").param(campaignId)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM tracking_events WHERE campaign_id = ? AND user_agent IS NOT NULL")
                .param(campaignId).query(Long.class).single()).isPositive();

        // The unsubscribe link still works as before.
        Response unsubscribe = api.send(HttpRequest.newBuilder(URI.create(hrefs.get(4)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")));
        assertThat(unsubscribe.status()).isEqualTo(200);
        assertThat(api.get("/campaigns/" + campaignId + "/stats").json().path("unsubscribed").asLong()).isEqualTo(1);
    }

    @Test
    void aCampaignThatTracksNothingIsSentAsWrittenAndSmsIsNeverTracked() throws Exception {
        Response r = api.post("/recipients", Map.of("name", "dee", "email", "dee@plain.test", "phone", "+14155550123",
                "tags", List.of("plain")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Untracked");
        body.put("channel", "email");
        body.put("subject", "Plain");
        body.put("template", "<p><a href=\"" + NEWS + "\">news</a></p>");
        body.put("segment_rule", "plain");
        body.put("track_clicks", false);
        body.put("track_opens", false);
        Response created = api.post("/campaigns", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long campaignId = created.json().path("id").asLong();
        assertThat(created.json().path("track_clicks").asBoolean()).isFalse();
        // PATCH turns opens back on: the pixel comes, the links stay as written.
        Response patched = api.patch("/campaigns/" + campaignId, Map.of("track_opens", true));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("track_opens").asBoolean()).isTrue();
        assertThat(patched.json().path("track_clicks").asBoolean()).isFalse();
        Response wrongType = api.patch("/campaigns/" + campaignId, Map.of("track_clicks", "perhaps"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body()).contains("track_clicks");
        api.post("/campaigns/" + campaignId + "/send");
        api.waitForStats(campaignId, s -> "COMPLETED".equals(s.path("status").asText()), Duration.ofSeconds(60));
        MimeMessage message = received(campaignId).get("dee@plain.test");
        Document doc = Jsoup.parse((String) ((MimeMultipart) message.getContent()).getBodyPart(1).getContent());
        assertThat(doc.select("a").attr("href")).isEqualTo(NEWS);
        assertThat(doc.select("img").attr("src")).startsWith("http://127.0.0.1:" + httpPort + "/o/");
        assertThat(api.get("/campaigns/" + campaignId + "/links").json().path("items")).isEmpty();

        Response sms = api.post("/campaigns", Map.of("name", "Sms", "channel", "sms", "template", "Hi {{name}} " + NEWS,
                "segment_rule", "plain", "track_clicks", true));
        assertThat(sms.status()).as(sms.body()).isEqualTo(201);
        assertThat(sms.json().path("track_clicks").asBoolean()).isFalse();
        assertThat(sms.json().path("track_opens").asBoolean()).isFalse();
    }

    private void assertRedirect(String link, String expected) {
        Response r = fetch(link);
        assertThat(r.status()).as(link).isEqualTo(302);
        assertThat(r.location()).isEqualTo(expected);
    }

    private Response fetch(String url) {
        return api.send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", "TrackingIT/1.0").GET());
    }

    private static Map<String, MimeMessage> received(long campaignId) throws Exception {
        Map<String, MimeMessage> byRecipient = new LinkedHashMap<>();
        List<MimeMessage> all = new ArrayList<>(List.of(smtp.getReceivedMessages()));
        for (MimeMessage m : all) {
            if (Long.toString(campaignId).equals(m.getHeader("X-Herald-Campaign", null))) {
                byRecipient.put(((InternetAddress) m.getRecipients(Message.RecipientType.TO)[0]).getAddress(), m);
            }
        }
        return byRecipient;
    }
}
