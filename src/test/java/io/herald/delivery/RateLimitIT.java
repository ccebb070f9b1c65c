package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.herald.testsupport.ScriptedHeraldTest;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import tools.jackson.databind.JsonNode;

/** herald.delivery.rate-per-sec paces the worker: 8 messages at 4/s cannot all go out at once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=4",
})
class RateLimitIT extends ScriptedHeraldTest {

    @Test
    void sendsAreSpreadOverTimeAtTheConfiguredRate() throws InterruptedException {
        long id = api.post("/campaigns", "{\"name\":\"paced\",\"template\":\"Hi\",\"segment_rule\":\"vip\"}").json().get("id").asLong();
        api.post("/campaigns/" + id + "/send");
        api.waitForStats(id, stats -> stats.get("status").asString().equals("COMPLETED"));
        List<Instant> sentAt = new ArrayList<>();
        for (JsonNode m : api.get("/campaigns/" + id + "/messages").json().get("items")) {
            sentAt.add(Instant.parse(m.get("sent_at").asString()));
        }
        assertThat(sentAt).hasSize(8);
        // A bucket of 4 tokens refilled at 4/s: 4 at once, then one every 250 ms -> the last about 1 s after the first.
        Duration span = Duration.between(Collections.min(sentAt), Collections.max(sentAt));
        assertThat(span).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }
}
