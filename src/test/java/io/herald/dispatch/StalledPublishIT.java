package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.ScriptedHeraldTest;
import io.herald.transport.FlakyTransport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

/**
 * A fan-out whose first publish hangs past its lease (a broker that blocks the producer while it is away, then
 * answers slowly). The supervisor sees the lease run out; it must not start a second fan-out of the campaign beside
 * the live one in this process, and if one ever runs (the guard in {@code DispatchRuns.advance} for that case),
 * only one may go on. The counters must equal the rows: they once counted the pages both threads walked (28,000
 * "queued" for 20,000 recipients, and the campaign never completed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.transport=flaky",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=400", // slower than fan-out, so pages walked twice still hold QUEUED rows
        "herald.dispatch.lease=1s",
        "herald.dispatch.batch-size=500",
})
class StalledPublishIT extends ScriptedHeraldTest {
    static final int RECIPIENTS = 4_000;

    @TestConfiguration
    static class Beans {
        @Bean
        FlakyTransport flakyTransport() {
            return FlakyTransport.stallingFirstPublish(Duration.ofMillis(2_500), Duration.ofMillis(300));
        }
    }

    @Autowired
    AudienceService audience;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aFanOutStuckPastItsLeaseAndItsTakeOverCountEachMessageOnce() {
        List<NewRecipient> people = new ArrayList<>(RECIPIENTS);
        for (int i = 0; i < RECIPIENTS; i++) {
            people.add(new NewRecipient("Stall " + i, "stall" + i + "@stall.test", null, List.of("stall"), Map.of()));
        }
        audience.insertAll(people, System.currentTimeMillis());
        long id = api.post("/campaigns", "{\"name\":\"stall\",\"template\":\"Hi {{name}}\",\"segment_rule\":\"stall\"}")
                .json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        JsonNode stats = api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(60));
        // Let the stalled thread wake and try its next page: it must change nothing.
        sleep(5_000);
        stats = api.get("/campaigns/" + id + "/stats").json();
        Long rows = jdbc.queryForObject("SELECT COUNT(*) FROM messages WHERE campaign_id = ?", Long.class, id);
        assertThat(rows).isEqualTo(RECIPIENTS);
        assertThat(stats.get("total").asLong()).isEqualTo(RECIPIENTS);
        assertThat(stats.get("queued").asLong()).isZero();
        assertThat(stats.get("sent").asLong()).isEqualTo(RECIPIENTS);
        assertThat(provider.delivered).hasSize(RECIPIENTS).allSatisfy((key, n) -> assertThat(n.get()).isEqualTo(1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
