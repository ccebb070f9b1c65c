package io.herald.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.KafkaTestBroker;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the broker: a Kafka broker of the test's own (in this JVM, so the machine's shared services are
 * left alone) is shut down and started again under a running Herald. Meanwhile the consumer-group lag of a campaign
 * that no worker consumes is exactly its message count, has no value while the broker is down (and the summary
 * still answers), and is back afterwards; liveness never changes.
 */
class BrokerReadinessKafkaIT {
    private static final int RECIPIENTS = 50;
    private static final int TASKS_PER_RECORD = 10;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void readinessIsDownWhileTheBrokerIsAwayAndUpWhenItIsBack() throws Exception {
        String topic = "herald.ready." + UUID.randomUUID().toString().substring(0, 8);
        KafkaTestBroker broker = KafkaTestBroker.startDedicated();
        Map<String, String> props = new HashMap<>(TestDatabase.H2.create());
        props.put("herald.transport", "kafka");
        props.put("herald.kafka.topic", topic);
        props.put("herald.kafka.group", topic + ".workers");
        props.put("spring.kafka.bootstrap-servers", broker.address());
        props.put("herald.demo-data", "false");
        props.put("herald.ops.queue-depth-cache", "500ms");
        props.put("herald.ops.broker-timeout", "1s");
        // Lag counts records; 10 tasks a record makes the 50 published tasks 5 records.
        props.put("herald.kafka.tasks-per-record", Integer.toString(TASKS_PER_RECORD));
        // api and scheduler only: nobody consumes, so the lag stays what the fan-out published
        try (HeraldProcess api = HeraldProcess.start("api,scheduler", props)) {
            List<NewRecipient> people = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                people.add(new NewRecipient("Lag " + i, "lag" + i + "@example.com", null, List.of("lag"), Map.of()));
            }
            api.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
            long id = api.post("/campaigns", Map.of("name", "Lag", "template", "Hi {{name}}", "segment_rule", "lag"))
                    .json().get("id").asLong();
            assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);

            JsonNode summary = await(api, "/ops/summary", 200, s -> lag(s, topic) == RECIPIENTS / TASKS_PER_RECORD, Duration.ofSeconds(30));
            assertThat(summary.get("queues")).hasSize(12);
            for (JsonNode q : summary.get("queues")) {
                String name = q.get("queue").asString();
                assertThat(q.get("transport").asString()).isEqualTo("kafka");
                assertThat(q.get("kind").asString()).isEqualTo(name.endsWith(".dlt") ? "depth" : "lag");
                if (!name.equals(topic)) {
                    assertThat(q.get("depth").asLong()).as(name).isZero();
                }
            }

            JsonNode ready = await(api, "/actuator/health/readiness", 200, h -> true, Duration.ofSeconds(5));
            assertThat(ready.get("status").asString()).isEqualTo("UP");
            assertThat(ready.get("components").get("broker").get("status").asString()).isEqualTo("UP");
            assertThat(ready.get("components").get("db").get("status").asString()).isEqualTo("UP");
            assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);

            broker.pause();
            JsonNode down = await(api, "/actuator/health/readiness", 503, h -> true, Duration.ofSeconds(30));
            assertThat(down.get("status").asString()).isEqualTo("DOWN");
            assertThat(down.get("components").get("broker").get("status").asString()).isEqualTo("DOWN");
            assertThat(down.get("components").get("db").get("status").asString()).isEqualTo("UP");
            assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
            // no value rather than an error or a stale number
            await(api, "/ops/summary", 200, s -> s.get("queues").isEmpty(), Duration.ofSeconds(30));

            broker.resume();
            JsonNode up = await(api, "/actuator/health/readiness", 200, h -> true, Duration.ofSeconds(60));
            assertThat(up.get("components").get("broker").get("status").asString()).isEqualTo("UP");
            await(api, "/ops/summary", 200, s -> lag(s, topic) == RECIPIENTS / TASKS_PER_RECORD, Duration.ofSeconds(30));
        } finally {
            broker.close();
        }
    }

    private static long lag(JsonNode summary, String topic) {
        for (JsonNode q : summary.get("queues")) {
            if (q.get("queue").asString().equals(topic)) {
                return q.get("depth").asLong();
            }
        }
        return -1;
    }

    private static JsonNode await(HeraldProcess api, String path, int status, Predicate<JsonNode> condition,
                                  Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        HeraldProcess.Response last;
        while (true) {
            last = api.get(path);
            if (last.status() == status && condition.test(last.json())) {
                return last.json();
            }
            assertThat(System.currentTimeMillis()).as("GET %s never answered %d as expected; last: %d %s", path, status,
                    last.status(), last.json()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }
}
