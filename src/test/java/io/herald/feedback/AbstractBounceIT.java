package io.herald.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bounces and complaints end to end: through the generic webhook (hard, soft ×3, complaint, a repeated event) and
 * through Amazon SES notifications delivered by SNS, signed with a test certificate that an in-test server hands out
 * as SNS would (SubscriptionConfirmation, Bounce Permanent/Transient, Complaint, a redelivery, a tampered message, a
 * foreign certificate URL), on each database. The recipients end BOUNCED or UNSUBSCRIBED, their addresses on the suppression list; the
 * campaign counts bounces and complaints; the next campaign excludes them; an import or the API cannot bring them back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AbstractBounceIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger confirmations = new AtomicInteger();
    static final HttpServer sns = startSns();
    static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:herald-ses-feedback";

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    Api api;

    @org.junit.jupiter.api.BeforeEach
    void client() {
        api = new Api(port);
    }

    /** The database under test: its {@link TestDatabase} properties. */
    static void register(DynamicPropertyRegistry registry, TestDatabase database) {
        database.create().forEach((k, v) -> registry.add(k, () -> v));
    }

    /**
     * Hands out the test signing certificate and records subscription confirmations, as SNS's endpoints do. One
     * server for the JVM: each database's subclass uses it.
     */
    static HttpServer startSns() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            byte[] certificate = resource("/sns/test-signing-cert.pem");
            server.createContext("/SimpleNotificationService-test.pem", exchange -> {
                exchange.sendResponseHeaders(200, certificate.length);
                exchange.getResponseBody().write(certificate);
                exchange.close();
            });
            server.createContext("/confirm", exchange -> {
                if (exchange.getRequestURI().getQuery().contains("Token=token-1")) {
                    confirmations.incrementAndGet();
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String snsBase() {
        return "http://127.0.0.1:" + sns.getAddress().getPort();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.delivery.rate-per-sec", () -> "0");
        registry.add("herald.provider.failure-rate", () -> "0");
        // Production accepts only https://sns.<region>.amazonaws.com; the test's SNS stand-in is on 127.0.0.1.
        registry.add("herald.webhooks.ses.sns-url-pattern", () -> "http://127\\.0\\.0\\.1:" + sns.getAddress().getPort() + "/.*");
        registry.add("herald.webhooks.ses.topic-arns", () -> TOPIC);
    }

    @Test
    void bouncesAndComplaintsTakeRecipientsOutAndKeepThemOut() throws Exception {
        for (String who : List.of("hard", "soft", "complaint", "ses-hard", "ses-complaint", "ses-soft", "fine")) {
            Response created = api.post("/recipients", Map.of("name", who, "email", who + "@fb.test", "tags", List.of("fb")));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
        }
        long campaign = api.post("/campaigns", Map.of("name", "Feedback", "channel", "email", "subject", "Hello",
                "template", "Hi {{name}}", "content_type", "text", "segment_rule", "fb")).json().path("id").asLong();
        api.post("/campaigns/" + campaign + "/send");
        api.waitForStats(campaign, s -> "COMPLETED".equals(s.path("status").asString()));

        // Generic webhook: a hard bounce.
        JsonNode hard = bounce(Map.of("email", "HARD@fb.test", "type", "hard", "campaign_id", campaign,
                "reason", "550 5.1.1 user unknown"));
        assertThat(hard.path("recipient_status").asString()).isEqualTo("BOUNCED");
        assertThat(hard.path("suppressed").asBoolean()).isTrue();
        assertThat(hard.path("message_id").isNull()).isFalse();
        JsonNode hardRecipient = recipient("hard@fb.test");
        assertThat(hardRecipient.path("status_reason").asString()).contains("550 5.1.1");

        // Soft bounces quoting the email's Message-ID: the third within the window bounces the recipient.
        long softId = recipient("soft@fb.test").path("id").asLong();
        String messageId = "<herald-" + campaign + "-" + softId + "@localhost>";
        for (int i = 1; i <= 3; i++) {
            JsonNode soft = bounce(Map.of("email", "soft@fb.test", "type", "soft", "message_id", messageId,
                    "reason", "452 mailbox full", "event_id", "soft-" + i));
            assertThat(soft.path("recipient_status").asString()).isEqualTo(i < 3 ? "ACTIVE" : "BOUNCED");
            assertThat(soft.path("campaign_id").asLong()).isEqualTo(campaign);
        }
        // The same event again counts once.
        JsonNode repeat = bounce(Map.of("email", "soft@fb.test", "type", "soft", "message_id", messageId, "event_id", "soft-3"));
        assertThat(repeat.path("duplicate").asBoolean()).isTrue();

        // A complaint by recipient id.
        long complainer = recipient("complaint@fb.test").path("id").asLong();
        JsonNode complaint = bounce(Map.of("recipient_id", complainer, "type", "complaint", "campaign_id", campaign));
        assertThat(complaint.path("recipient_status").asString()).isEqualTo("UNSUBSCRIBED");
        assertThat(recipient("complaint@fb.test").path("status_reason").asString()).isEqualTo("complaint");

        // Bad reports are problem+json naming the field, and change nothing.
        Response badType = api.post("/webhooks/bounce", Map.of("email", "fine@fb.test", "type", "bounced"));
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().path("errors").get(0).path("field").asString()).isEqualTo("type");
        assertThat(api.post("/webhooks/bounce", Map.of("type", "hard")).json().path("errors").get(0).path("field").asString())
                .isEqualTo("email");
        assertThat(api.post("/webhooks/bounce", Map.of("recipient_id", 987654321, "type", "hard")).status()).isEqualTo(404);
        assertThat(api.post("/webhooks/bounce", Map.of("email", "not an address", "type", "hard")).status()).isEqualTo(400);
        assertThat(recipient("fine@fb.test").path("status").asString()).isEqualTo("ACTIVE");

        // Amazon SES through SNS: the subscription is confirmed once its signature checks out (SignatureVersion 1).
        ObjectNode subscribe = snsMessage("SubscriptionConfirmation", "You have chosen to subscribe to the topic " + TOPIC);
        subscribe.put("Token", "token-1");
        subscribe.put("SubscribeURL", snsBase() + "/confirm?Action=ConfirmSubscription&TopicArn=" + TOPIC + "&Token=token-1");
        signed(subscribe, "1");
        int confirmed = confirmations.get();
        assertThat(ses(subscribe).status()).isEqualTo(200);
        assertThat(confirmations.get()).isEqualTo(confirmed + 1);

        long sesHardId = recipient("ses-hard@fb.test").path("id").asLong();
        ObjectNode permanent = snsMessage("Notification", JSON.writeValueAsString(Map.of(
                "notificationType", "Bounce",
                "bounce", Map.of("bounceType", "Permanent", "bounceSubType", "General", "feedbackId", "fb-1",
                        "bouncedRecipients", List.of(Map.of("emailAddress", "ses-hard@fb.test", "action", "failed",
                                "status", "5.1.1", "diagnosticCode", "smtp; 550 5.1.1 user unknown"))),
                "mail", Map.of("messageId", "0100018c-ses-id", "source", "news@herald.test",
                        "destination", List.of("ses-hard@fb.test"),
                        "commonHeaders", Map.of("messageId", "<herald-" + campaign + "-" + sesHardId + "@localhost>"),
                        "headers", List.of(Map.of("name", "X-Herald-Campaign", "value", Long.toString(campaign)))))));
        signed(permanent, "2");
        Response sesBounce = ses(permanent);
        assertThat(sesBounce.status()).as(sesBounce.body()).isEqualTo(200);
        assertThat(sesBounce.json().path("reports").get(0).path("recipient_status").asString()).isEqualTo("BOUNCED");
        // SNS delivers at least once: the same notification again changes nothing.
        JsonNode again = ses(permanent).json();
        assertThat(again.path("reports").get(0).path("duplicate").asBoolean()).isTrue();

        ObjectNode sesComplaint = snsMessage("Notification", JSON.writeValueAsString(Map.of(
                "notificationType", "Complaint",
                "complaint", Map.of("complaintFeedbackType", "abuse", "feedbackId", "fb-2",
                        "complainedRecipients", List.of(Map.of("emailAddress", "ses-complaint <ses-complaint@fb.test>"))),
                "mail", Map.of("messageId", "0100018c-ses-id-2", "headers",
                        List.of(Map.of("name", "X-Herald-Campaign", "value", Long.toString(campaign)))))));
        signed(sesComplaint, "2");
        assertThat(ses(sesComplaint).status()).isEqualTo(200);
        assertThat(recipient("ses-complaint@fb.test").path("status").asString()).isEqualTo("UNSUBSCRIBED");

        ObjectNode transient1 = snsMessage("Notification", JSON.writeValueAsString(Map.of(
                "notificationType", "Bounce",
                "bounce", Map.of("bounceType", "Transient", "bounceSubType", "MailboxFull",
                        "bouncedRecipients", List.of(Map.of("emailAddress", "ses-soft@fb.test"))),
                "mail", Map.of("messageId", "0100018c-ses-id-3", "headers",
                        List.of(Map.of("name", "X-Herald-Campaign", "value", Long.toString(campaign)))))));
        signed(transient1, "2");
        assertThat(ses(transient1).status()).isEqualTo(200);
        assertThat(recipient("ses-soft@fb.test").path("status").asString()).isEqualTo("ACTIVE");

        // Tampered after signing, unsigned, or signed with a certificate from elsewhere: 403, nothing changes.
        ObjectNode tampered = permanent.deepCopy();
        tampered.put("MessageId", UUID.randomUUID().toString());
        tampered.put("Message", permanent.path("Message").asString().replace("ses-hard@fb.test", "fine@fb.test"));
        assertThat(ses(tampered).status()).isEqualTo(403);
        ObjectNode foreign = snsMessage("Notification", tampered.path("Message").asString());
        signed(foreign, "2");
        foreign.put("SigningCertURL", "https://attacker.example/SimpleNotificationService-test.pem");
        Response foreignAnswer = ses(foreign);
        assertThat(foreignAnswer.status()).isEqualTo(403);
        assertThat(foreignAnswer.contentType()).startsWith("application/problem+json");
        ObjectNode unsigned = foreign.deepCopy();
        unsigned.remove("Signature");
        assertThat(ses(unsigned).status()).isEqualTo(403);
        assertThat(recipient("fine@fb.test").path("status").asString()).isEqualTo("ACTIVE");

        // The campaign counts each bounced message once (hard, soft, ses-hard, ses-soft) and both complaints.
        JsonNode stats = api.get("/campaigns/" + campaign + "/stats").json();
        assertThat(stats.path("bounced").asLong()).isEqualTo(4);
        assertThat(stats.path("complaints").asLong()).isEqualTo(2);
        Map<String, String> shown = new LinkedHashMap<>();
        for (JsonNode m : api.get("/campaigns/" + campaign + "/messages").json().path("items")) {
            shown.put(m.path("recipient").path("email").asString(), m.path("delivery_status").asString(null));
        }
        assertThat(shown).containsEntry("hard@fb.test", "bounced").containsEntry("soft@fb.test", "soft_bounced")
                .containsEntry("complaint@fb.test", "complained").containsEntry("ses-hard@fb.test", "bounced")
                .containsEntry("ses-complaint@fb.test", "complained").containsEntry("ses-soft@fb.test", "soft_bounced")
                .containsEntry("fine@fb.test", null);

        // The suppression list holds the five addresses, newest first, filterable by reason.
        JsonNode listed = api.get("/suppressions?q=@fb.test").json().path("items");
        assertThat(listed).hasSize(5);
        assertThat(api.get("/suppressions?reason=complaint&q=@fb.test").json().path("items")).hasSize(2);
        assertThat(api.get("/suppressions?reason=nope").status()).isEqualTo(400);

        // The next campaign reaches only the two still active.
        long next = api.post("/campaigns", Map.of("name", "Next", "channel", "email", "subject", "Again",
                "template", "Hi again", "content_type", "text", "segment_rule", "fb")).json().path("id").asLong();
        assertThat(api.get("/campaigns/" + next + "/preview").json().path("total_targets").asLong()).isEqualTo(2);

        // Neither the API nor an import brings a suppressed address back, even after the recipient is deleted.
        api.delete("/recipients/" + recipient("hard@fb.test").path("id").asLong());
        Response recreate = api.post("/recipients", Map.of("name", "Back", "email", "hard@fb.test"));
        assertThat(recreate.status()).isEqualTo(409);
        assertThat(recreate.json().path("errors").get(0).path("field").asString()).isEqualTo("email");
        String csv = "name,email,tags\nBack,hard@fb.test,fb\nAlso back,ses-complaint@fb.test,fb\nNew,new@fb.test,fb\n";
        Response imported = api.upload("/recipients/import", "back.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode result = waitForImport(imported);
        assertThat(result.path("imported").asLong()).isEqualTo(1);
        assertThat(result.path("skipped").asLong()).isEqualTo(2);
        assertThat(result.path("errors").toString()).contains("hard@fb.test is on the suppression list (hard_bounce)")
                .contains("ses-complaint@fb.test is on the suppression list (complaint)");
        assertThat(recipient("ses-complaint@fb.test").path("status").asString()).isEqualTo("UNSUBSCRIBED");

        // By hand: add (the recipient is unsubscribed), 409 the second time, remove (active again).
        Response added = api.post("/suppressions", Map.of("address", "FINE@fb.test", "detail", "asked by phone"));
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().path("reason").asString()).isEqualTo("manual");
        assertThat(recipient("fine@fb.test").path("status").asString()).isEqualTo("UNSUBSCRIBED");
        Response twice = api.post("/suppressions", Map.of("address", "fine@fb.test"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().path("errors").get(0).path("field").asString()).isEqualTo("address");
        assertThat(api.post("/suppressions", Map.of("address", "12")).status()).isEqualTo(400);
        assertThat(api.delete("/suppressions/" + added.json().path("id").asLong()).status()).isEqualTo(204);
        assertThat(recipient("fine@fb.test").path("status").asString()).isEqualTo("ACTIVE");
        assertThat(api.delete("/suppressions/" + added.json().path("id").asLong()).status()).isEqualTo(404);

        JsonNode audit = api.get("/audit?action=recipient.bounce").json().path("items");
        assertThat(audit.toString()).contains("provider:ses").contains("ses-hard@fb.test");
    }

    private JsonNode bounce(Map<String, Object> body) {
        Response response = api.post("/webhooks/bounce", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private JsonNode recipient(String email) {
        List<JsonNode> exact = new java.util.ArrayList<>();
        api.get("/recipients?q=" + email).json().path("items").forEach(r -> {
            if (r.path("email").asString().equals(email)) {
                exact.add(r);
            }
        });
        assertThat(exact).as(email).hasSize(1);
        return exact.get(0);
    }

    private Response ses(ObjectNode message) throws Exception {
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/webhooks/ses"))
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", message.path("Type").asString())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message))));
    }

    private JsonNode waitForImport(Response accepted) throws InterruptedException {
        assertThat(accepted.status()).as(accepted.body()).isBetween(200, 202);
        JsonNode body = accepted.json();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"COMPLETED".equals(body.path("status").asString())) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(100);
            body = api.get("/imports/" + body.path("id").asLong()).json();
        }
        return body;
    }

    static ObjectNode snsMessage(String type, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("Type", type);
        node.put("MessageId", UUID.randomUUID().toString());
        node.put("TopicArn", TOPIC);
        node.put("Message", message);
        node.put("Timestamp", "2026-12-01T08:00:00.000Z");
        node.put("SigningCertURL", snsBase() + "/SimpleNotificationService-test.pem");
        return node;
    }

    /** Signs as SNS does: the fields AWS lists for the type, each "name\nvalue\n", with the test key. */
    static void signed(ObjectNode message, String version) throws Exception {
        List<String> fields = "Notification".equals(message.path("Type").asString())
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            if (message.has(field)) {
                text.append(field).append('\n').append(message.path(field).asString()).append('\n');
            }
        }
        String pem = new String(resource("/sns/test-signing-key.pem"), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Signature signature = Signature.getInstance("1".equals(version) ? "SHA1withRSA" : "SHA256withRSA");
        signature.initSign(key);
        signature.update(text.toString().getBytes(StandardCharsets.UTF_8));
        message.put("SignatureVersion", version);
        message.put("Signature", Base64.getEncoder().encodeToString(signature.sign()));
    }

    static byte[] resource(String name) {
        try (InputStream in = AbstractBounceIT.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
