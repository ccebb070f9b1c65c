package io.herald.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.HeraldProcess.Response;
import io.herald.testsupport.TestDatabase;
import io.herald.transport.DeliveryTask;
import io.herald.transport.Transport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000's flow (create, preview, send, stats, messages, dead letters, re-drive) on one database and
 * one transport. With a broker, the API+scheduler and the worker are separate Spring contexts that share
 * only the database and the broker, as separate processes do. Subclasses pick the pair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSeedFlowIT {
    private static final int TARGETS = 200;
    private static final int OTHERS = 50;

    private final TestDatabase database;
    private final String transport;
    private final String channel = "herald.it." + UUID.randomUUID().toString().substring(0, 8);
    private HeraldProcess api;
    private HeraldProcess worker;

    AbstractSeedFlowIT(TestDatabase database, String transport) {
        this.database = database;
        this.transport = transport;
    }

    @BeforeAll
    void startProcesses() {
        Map<String, String> props = new HashMap<>(database.create());
        props.putAll(BrokerSupport.properties(transport, channel));
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.failure-rate", "0.3");
        // 30 % random failures are there to burn attempts into dead letters; the circuit breaker would (rightly)
        // call such a provider unhealthy now and then and hold messages back. The fault suite (AbstractFaultSuiteIT) tests the breaker.
        props.put("herald.delivery.circuit-breaker.enabled", "false");
        props.put("herald.delivery.max-attempts", "2");
        props.put("herald.delivery.initial-backoff", "100ms");
        props.put("herald.scheduler.supervise-interval", "200ms");
        if (transport.equals("inmemory")) {
            api = HeraldProcess.start("api,worker,scheduler", props);
        } else {
            api = HeraldProcess.start("api,scheduler", props);
            worker = HeraldProcess.start("worker", props);
        }
    }

    @AfterAll
    void stopProcesses() {
        if (worker != null) {
            worker.close();
        }
        if (api != null) {
            api.close();
        }
        BrokerSupport.cleanUp(transport, channel);
    }

    @Test
    void seed000FlowDeliversEveryTargetOnceAndRedrivesDeadLetters() {
        // A task for a message no database knows (a stale queue): logged and dropped, never redelivered.
        api.bean(Transport.class).publish(List.of(new DeliveryTask(987_654_321L, 987_654_321L, 1L, 0)));

        List<NewRecipient> people = new ArrayList<>();
        for (int i = 0; i < TARGETS + OTHERS; i++) {
            List<String> tags = i < TARGETS ? List.of("vip", "tw") : List.of("tw");
            people.add(new NewRecipient("User " + i, "user" + i + "@example.com", null, tags, Map.of()));
        }
        api.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());

        Response created = api.post("/campaigns", Map.of("name", "Welcome Back",
                "template", "Hi {{name}}, we miss you!", "segment_rule", "vip"));
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();

        Response preview = api.get("/campaigns/" + id + "/preview");
        assertThat(preview.json().get("total_targets").asLong()).isEqualTo(TARGETS);
        assertThat(preview.json().get("items")).hasSize(10);
        assertThat(preview.json().get("items").get(0).get("rendered").asString()).isEqualTo("Hi User 0, we miss you!");

        assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
        assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(409);

        JsonNode stats = awaitCompleted(id);
        long failed = stats.get("failed").asLong();
        assertThat(stats.get("total").asLong()).isEqualTo(TARGETS);
        assertThat(stats.get("queued").asLong()).isZero();
        assertThat(stats.get("sent").asLong() + failed).isEqualTo(TARGETS);
        assertThat(stats.get("retries").asLong()).as("30 %% failures must cause retries").isPositive();
        assertThat(failed).as("with 2 attempts at 30 %% failures about 9 %% fail for good").isPositive();
        assertThat(stats.get("p95_ms").asLong()).isGreaterThanOrEqualTo(stats.get("p50_ms").asLong());
        assertCountersEqualRows(id);
        // the throughput series (flushed by the workers about once a second) adds up to the counters
        long sentFirst = stats.get("sent").asLong();
        awaitTrue(() -> java.util.Arrays.equals(throughputTotals(id), new long[]{sentFirst, failed}), Duration.ofSeconds(10),
                "the throughput series should add up to " + sentFirst + " sent and " + failed + " failed");

        Response deadLetters = api.get("/campaigns/" + id + "/messages?status=FAILED&limit=200");
        assertThat(deadLetters.json().get("items")).hasSize((int) failed);
        for (JsonNode message : deadLetters.json().get("items")) {
            assertThat(message.get("status").asString()).isEqualTo("FAILED");
            assertThat(message.get("attempts").asInt()).isEqualTo(2);
            assertThat(message.get("last_error").asString()).contains("simulated failure");
        }
        assertThat(BrokerSupport.deadLettered(transport, channel)).isIn(-1L, failed);

        Response redrive = api.post("/campaigns/" + id + "/retry-failed", null);
        assertThat(redrive.status()).isEqualTo(200);
        assertThat(redrive.json().get("requeued").asLong()).isEqualTo(failed);
        JsonNode after = awaitCompleted(id);
        assertThat(after.get("sent").asLong()).isGreaterThan(stats.get("sent").asLong());
        assertThat(after.get("sent").asLong() + after.get("failed").asLong()).isEqualTo(TARGETS);
        assertCountersEqualRows(id);
        awaitTrue(() -> throughputTotals(id)[0] == after.get("sent").asLong(), Duration.ofSeconds(10),
                "the throughput series should count every sent message once");

        awaitTrue(() -> BrokerSupport.drained(transport, channel, api), Duration.ofSeconds(30),
                "the work queue/topic should be fully consumed, including the stale task");
    }

    private JsonNode awaitCompleted(long id) {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            JsonNode stats = api.get("/campaigns/" + id + "/stats").json();
            if (stats.get("status").asString().equals("COMPLETED")) {
                return stats;
            }
            assertThat(System.currentTimeMillis()).as("campaign %d not completed in time: %s", id, stats).isLessThan(deadline);
            sleep(200);
        }
    }

    /** {sent, failed} summed over GET /campaigns/{id}/stats/throughput. */
    private long[] throughputTotals(long id) {
        JsonNode series = api.get("/campaigns/" + id + "/stats/throughput?points=5").json();
        assertThat(series.get("bucket_seconds").asLong()).isPositive();
        assertThat(series.get("points").size()).isLessThanOrEqualTo(5);
        long sent = 0;
        long failed = 0;
        for (JsonNode point : series.get("points")) {
            sent += point.get("sent").asLong();
            failed += point.get("failed").asLong();
        }
        return new long[]{sent, failed};
    }

    private void assertCountersEqualRows(long id) {
        JdbcTemplate jdbc = api.bean(JdbcTemplate.class);
        Map<String, Long> rows = new HashMap<>();
        jdbc.query("SELECT status, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY status",
                rs -> {
                    rows.put(rs.getString(1), rs.getLong(2));
                }, id);
        Map<String, Object> counters = jdbc.queryForMap(
                "SELECT total, queued, sent, failed FROM campaign_stats WHERE campaign_id = ?", id);
        assertThat(((Number) counters.get("sent")).longValue()).isEqualTo(rows.getOrDefault("SENT", 0L));
        assertThat(((Number) counters.get("failed")).longValue()).isEqualTo(rows.getOrDefault("FAILED", 0L));
        assertThat(((Number) counters.get("queued")).longValue())
                .isEqualTo(rows.getOrDefault("QUEUED", 0L) + rows.getOrDefault("RETRYING", 0L));
        assertThat(rows.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TARGETS);
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            sleep(250);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
