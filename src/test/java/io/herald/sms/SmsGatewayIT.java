package io.herald.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.testsupport.TestDatabase;
import io.herald.testsupport.TwilioGatewayEmulator;
import io.herald.testsupport.TwilioGatewayEmulator.Script;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * SMS through a Twilio-format gateway emulator on 127.0.0.1 that checks every request as Twilio documents it and
 * posts signed status callbacks back: a 1,000-recipient campaign goes out once per number (a 429 is retried),
 * segments are counted (UCS-2 because of the emoji; long names need two parts), receipts (delivered, undelivered
 * with an error code, out of order, repeated) land in the stats and on the messages, and a callback with a missing
 * or wrong signature is refused with 403 and changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class SmsGatewayIT {
    static final int HTTP_PORT = io.herald.testsupport.Ports.free();
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "test-auth-token-0f1e2d3c";
    static final String FROM = "+15017122661";
    static final TwilioGatewayEmulator gateway = start();
    static final String TEMPLATE = "Hi {{name}} 🎉 Your table at Herald is ready, see you tonight!";

    final Api api = new Api(HTTP_PORT);

    static TwilioGatewayEmulator start() {
        try {
            return new TwilioGatewayEmulator(ACCOUNT, TOKEN, FROM);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }


    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("server.port", () -> HTTP_PORT);
        registry.add("herald.public-url", () -> "http://127.0.0.1:" + HTTP_PORT);
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.delivery.rate-per-sec", () -> "0");
        registry.add("herald.channels.sms.provider", () -> "http-sms");
        registry.add("herald.sms.base-url", gateway::baseUrl);
        registry.add("herald.sms.account-sid", () -> ACCOUNT);
        registry.add("herald.sms.auth-token", () -> TOKEN);
        registry.add("herald.sms.from", () -> FROM);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static String phone(int i) {
        return "+886912" + String.format("%06d", i);
    }

    static int index(String phone) {
        return Integer.parseInt(phone.substring(7));
    }

    @Test
    void aThousandSmsGoOutOnceEachWithSegmentsAndTheReceiptsLandInTheStats() {
        Set<String> throttled = new HashSet<>();
        for (int i = 1; i < 1000; i += 100) {
            throttled.add(phone(i));
        }
        gateway.throttleOnce(throttled);
        gateway.script(message -> {
            int i = index(message.to());
            if (i % 25 == 0) {
                return new Script(List.of("sent", "undelivered"), "30003");
            }
            if (i % 7 == 0) {
                return new Script(List.of("delivered", "sent"), null); // the delivery receipt overtakes "sent"
            }
            if (i % 11 == 0) {
                return new Script(List.of("sent", "delivered", "delivered"), null); // a receipt sent twice
            }
            return new Script(List.of("sent", "delivered"), null);
        });
        StringBuilder csv = new StringBuilder("name,phone,tags\n");
        for (int i = 0; i < 1000; i++) {
            // Every tenth name is long enough to need a second UCS-2 part (over 70 units).
            csv.append("Guest ").append(i).append(i % 10 == 0 ? " of the Very Long Family Name Society" : "")
                    .append(',').append(phone(i)).append(",sms1k\n");
        }
        Response imported = api.upload("/recipients/import", "sms.csv", csv.toString().getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(imported.status()).as(imported.body()).isBetween(200, 202);
        long deadline = System.currentTimeMillis() + 60_000;
        while (api.get("/recipients/count?tag=sms1k").json().path("count").asLong() < 1000) {
            assertThat(System.currentTimeMillis()).as("import").isLessThan(deadline);
            sleep(200);
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Table ready");
        body.put("channel", "sms");
        body.put("template", TEMPLATE);
        body.put("segment_rule", "sms1k");
        Response created = api.post("/campaigns", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().path("id").asLong();

        JsonNode preview = api.get("/campaigns/" + id + "/preview").json();
        assertThat(preview.path("total_targets").asLong()).isEqualTo(1000);
        for (JsonNode item : preview.path("items")) {
            assertThat(item.path("encoding").asString()).isEqualTo("UCS-2");
            boolean longName = item.path("name").asString().contains("Society");
            assertThat(item.path("segments").asInt()).as(item.toString()).isEqualTo(longName ? 2 : 1);
            assertThat(item.path("characters").asInt()).isEqualTo(54 + item.path("name").asString().length());
        }

        api.post("/campaigns/" + id + "/send");
        JsonNode stats = api.waitForStats(id, s -> "COMPLETED".equals(s.path("status").asString())
                && s.path("delivered").asLong() + s.path("undelivered").asLong() >= 1000, Duration.ofSeconds(120));
        assertThat(gateway.violations()).isEmpty();
        assertThat(gateway.callbackFailures()).isEmpty();
        assertThat(stats.path("sent").asLong()).isEqualTo(1000);
        assertThat(stats.path("failed").asLong()).isZero();
        assertThat(stats.path("retries").asLong()).isEqualTo(throttled.size());
        assertThat(stats.path("segments").asLong()).isEqualTo(900 + 100 * 2);
        assertThat(stats.path("undelivered").asLong()).isEqualTo(40);
        assertThat(stats.path("delivered").asLong()).isEqualTo(960);

        // Once per number, twice for the throttled ones (the 429 and the retry), and one accepted message each.
        assertThat(gateway.requestsPerNumber()).hasSize(1000);
        gateway.requestsPerNumber().forEach((number, requests) ->
                assertThat(requests).as(number).isEqualTo(throttled.contains(number) ? 2 : 1));
        Map<String, TwilioGatewayEmulator.Accepted> bySid = gateway.accepted();
        assertThat(bySid).hasSize(1000);
        TwilioGatewayEmulator.Accepted any = bySid.values().stream().filter(a -> index(a.to()) == 3).findFirst().orElseThrow();
        assertThat(any.body()).isEqualTo("Hi Guest 3 🎉 Your table at Herald is ready, see you tonight!");
        assertThat(any.statusCallback()).startsWith("http://127.0.0.1:" + HTTP_PORT + "/webhooks/sms/status?c=" + id + "&m=");

        Map<Integer, JsonNode> messages = new HashMap<>();
        for (JsonNode m : api.get("/campaigns/" + id + "/messages?limit=1000").json().path("items")) {
            TwilioGatewayEmulator.Accepted sent = bySid.get(m.path("provider_message_id").asString());
            assertThat(sent).as("message " + m).isNotNull();
            messages.put(index(sent.to()), m);
        }
        assertThat(messages).hasSize(1000);
        JsonNode undelivered = messages.get(25);
        assertThat(undelivered.path("status").asString()).isEqualTo("SENT");
        assertThat(undelivered.path("delivery_status").asString()).isEqualTo("undelivered");
        assertThat(undelivered.path("delivery_error").asString()).contains("30003");
        assertThat(undelivered.path("delivered_at").isNull()).isTrue();
        JsonNode overtaken = messages.get(7);
        assertThat(overtaken.path("delivery_status").asString()).isEqualTo("delivered");
        assertThat(overtaken.path("delivered_at").isNull()).isFalse();
        assertThat(overtaken.path("segments").asInt()).isEqualTo(1);
        assertThat(overtaken.path("encoding").asString()).isEqualTo("UCS-2");
        assertThat(messages.get(10).path("segments").asInt()).isEqualTo(2);
        assertThat(messages.get(1).path("attempts").asInt()).isEqualTo(2);

        // A forged receipt: wrong signature, then none. 403 problem+json, and the message does not move.
        TwilioGatewayEmulator.Accepted target = bySid.get(undelivered.path("provider_message_id").asString());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", target.sid());
        form.put("MessageStatus", "delivered");
        assertThat(gateway.post(target.statusCallback(), form, "bm90IHRoZSBzaWduYXR1cmU=")).isEqualTo(403);
        assertThat(gateway.post(target.statusCallback(), form, null)).isEqualTo(403);
        // Signed over another message's URL: also refused.
        assertThat(gateway.post(target.statusCallback(), form, gateway.sign(any.statusCallback(), form))).isEqualTo(403);
        // A correctly signed "delivered" after "undelivered" is accepted but changes nothing (final state).
        assertThat(gateway.post(target.statusCallback(), form, gateway.sign(target.statusCallback(), form))).isEqualTo(200);
        JsonNode after = api.get("/campaigns/" + id + "/stats").json();
        assertThat(after.path("delivered").asLong()).isEqualTo(960);
        assertThat(after.path("undelivered").asLong()).isEqualTo(40);

        Response refused = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(target.statusCallback()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("MessageSid=" + target.sid() + "&MessageStatus=delivered")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("errors").get(0).path("field").asString()).isEqualTo("signature");
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
