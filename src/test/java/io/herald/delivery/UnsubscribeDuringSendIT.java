package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/**
 * A recipient who unsubscribes (or is deleted) while a campaign's message to them is still queued or waiting
 * for a retry is not sent it: the message ends CANCELLED, the provider is not called again, the counters add
 * up and the campaign completes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        // long enough that the test can unsubscribe the recipient between the failed attempt and the retry
        "herald.delivery.initial-backoff=2s",
        "herald.delivery.max-backoff=2s",
        "herald.demo-data=false",
})
class UnsubscribeDuringSendIT extends ScriptedHeraldTest {

    String tag;

    @BeforeEach
    void newTag() {
        tag = "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void unsubscribedAndDeletedRecipientsAreNotSentTheirQueuedMessages() {
        recipient("Amy", "amy");
        long zed = recipient("Zed", "zed");
        long yan = recipient("Yan", "yan");
        provider.alwaysFail.add("Zed");
        provider.alwaysFail.add("Yan");

        Api.Response created = api.post("/campaigns", Api.json(Map.of("name", "News", "template", "Hi {{name}}",
                "segment_rule", tag)));
        long campaign = created.json().get("id").asLong();
        assertThat(api.post("/campaigns/" + campaign + "/send").status()).isEqualTo(202);

        // Zed's and Yan's first attempts fail; while their retries wait, one unsubscribes and one is deleted.
        awaitStatus(campaign, zed, "RETRYING");
        awaitStatus(campaign, yan, "RETRYING");
        assertThat(api.post("/recipients/" + zed + "/unsubscribe").status()).isEqualTo(200);
        assertThat(api.delete("/recipients/" + yan).status()).isEqualTo(204);

        JsonNode stats = api.waitForStats(campaign, s -> s.get("status").asString().equals("COMPLETED"));
        assertThat(stats.get("sent").asLong()).isEqualTo(1);
        assertThat(stats.get("cancelled").asLong()).isEqualTo(2);
        assertThat(stats.get("failed").asLong()).isZero();
        assertThat(stats.get("queued").asLong()).isZero();
        for (long id : List.of(zed, yan)) {
            JsonNode message = message(campaign, id);
            assertThat(message.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(message.get("attempts").asInt()).as("only the failed attempt was made").isEqualTo(1);
            assertThat(message.get("last_error").asString()).contains("unsubscribed or was deleted");
            assertThat(provider.calls.get(message.get("idempotency_key").asString()).get()).isEqualTo(1);
        }
    }

    private long recipient(String name, String local) {
        Api.Response r = api.post("/recipients", Api.json(Map.of("name", name, "email", local + "." + tag + "@example.com",
                "tags", List.of(tag))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private JsonNode message(long campaign, long recipientId) {
        List<JsonNode> items = new ArrayList<>();
        api.get("/campaigns/" + campaign + "/messages?limit=100").json().get("items").forEach(items::add);
        return items.stream().filter(m -> m.get("recipient").get("id").asLong() == recipientId).findFirst()
                .orElseThrow(() -> new AssertionError("no message for recipient " + recipientId + " in " + items));
    }

    private void awaitStatus(long campaign, long recipientId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (message(campaign, recipientId).get("status").asString().equals(status)) {
                    return;
                }
            } catch (AssertionError notYetQueued) {
                // the fan-out has not written the message yet
            }
            sleep(50);
        }
        throw new AssertionError("message to recipient " + recipientId + " never reached " + status);
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
