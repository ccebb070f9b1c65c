package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.ScriptedHeraldTest;
import io.herald.transport.DeliveryTask;
import io.herald.transport.FlakyTransport;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.JsonNode;

/**
 * The fan-out publishes a page while it reads and inserts the next one. Pages still go out one at a time and in
 * order, and the run's published cursor never covers a page whose publish has not finished (a crash resumes from
 * it, so a page recorded too early would be stranded).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "herald.transport=flaky",
        "herald.provider.type=scripted",
        "herald.delivery.rate-per-sec=0",
        "herald.dispatch.batch-size=500",
})
class PipelinedPublishIT extends ScriptedHeraldTest {
    static final int RECIPIENTS = 3_000;
    static final List<Page> pages = Collections.synchronizedList(new ArrayList<>());
    static final AtomicInteger inFlight = new AtomicInteger();
    static final AtomicInteger mostInFlight = new AtomicInteger();
    static volatile JdbcTemplate db;

    /** One publish as the transport saw it: its tasks' recipient range and the run row at the end of the publish. */
    record Page(long firstRecipient, long lastRecipient, long dispatchCursor, long publishedCursor) {
    }

    @TestConfiguration
    static class Beans {
        @Bean
        FlakyTransport flakyTransport() {
            return FlakyTransport.pacedAndObserved(Duration.ofMillis(250), PipelinedPublishIT::observe);
        }
    }

    static void observe(List<DeliveryTask> tasks) {
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try {
            long campaign = tasks.get(0).campaignId();
            Map<String, Object> run = db.queryForMap(
                    "SELECT dispatch_cursor, published_cursor FROM dispatch_runs WHERE campaign_id = ?", campaign);
            long first = tasks.stream().mapToLong(DeliveryTask::recipientId).min().orElseThrow();
            long last = tasks.stream().mapToLong(DeliveryTask::recipientId).max().orElseThrow();
            pages.add(new Page(first, last, ((Number) run.get("dispatch_cursor")).longValue(),
                    ((Number) run.get("published_cursor")).longValue()));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Autowired
    AudienceService audience;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void pagesArePublishedInOrderWhileTheNextPageIsInsertedAndRecordedOnlyOncePublished() {
        db = jdbc;
        List<NewRecipient> people = new ArrayList<>(RECIPIENTS);
        for (int i = 0; i < RECIPIENTS; i++) {
            people.add(new NewRecipient("Pipe " + i, "pipe" + i + "@pipe.test", null, List.of("pipe"), Map.of()));
        }
        audience.insertAll(people, System.currentTimeMillis());
        long id = api.post("/campaigns", "{\"name\":\"pipe\",\"template\":\"Hi {{name}}\",\"segment_rule\":\"pipe\"}")
                .json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        JsonNode stats = api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(60));

        List<Page> seen = List.copyOf(pages);
        assertThat(seen).hasSize(RECIPIENTS / 500);
        assertThat(mostInFlight.get()).as("publishes of one fan-out at a time").isEqualTo(1);
        for (int i = 0; i < seen.size(); i++) {
            Page page = seen.get(i);
            long previousLast = i == 0 ? 0 : seen.get(i - 1).lastRecipient();
            assertThat(page.firstRecipient()).as("page %d follows page %d", i, i - 1).isGreaterThan(previousLast);
            assertThat(page.publishedCursor()).as("published cursor while page %d is publishing", i).isEqualTo(previousLast);
        }
        // While a page was publishing, the next one was already inserted (the run's cursor had moved past it).
        long overlapped = seen.stream().filter(p -> p.dispatchCursor() > p.lastRecipient()).count();
        assertThat(overlapped).as("pages whose successor was inserted during their publish").isGreaterThanOrEqualTo(seen.size() - 2);

        Map<String, Object> run = jdbc.queryForMap(
                "SELECT dispatch_cursor, published_cursor FROM dispatch_runs WHERE campaign_id = ?", id);
        assertThat(((Number) run.get("published_cursor")).longValue()).isEqualTo(((Number) run.get("dispatch_cursor")).longValue());
        assertThat(stats.get("sent").asLong()).isEqualTo(RECIPIENTS);
        assertThat(provider.delivered).hasSize(RECIPIENTS).allSatisfy((key, n) -> assertThat(n.get()).isEqualTo(1));
    }
}
