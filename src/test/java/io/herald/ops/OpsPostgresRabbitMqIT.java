package io.herald.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.ChildHerald;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 on PostgreSQL + RabbitMQ with real worker processes: a campaign sent while no worker runs waits in the
 * work queue (the summary and the Prometheus gauge show it), two worker JVMs register and beat, deliver it, report
 * what they handled in the last minute, the queue drains to 0 and the throughput shows every message; a worker
 * SIGKILLed becomes "lost" after {@code lost-after}, one stopped with SIGTERM becomes "stopped".
 */
class OpsPostgresRabbitMqIT {
    private static final int RECIPIENTS = 300;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void workersRegisterDeliverAndAreSeenLostOrStopped() throws Exception {
        String channel = "herald.ops." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = new HashMap<>(TestDatabase.POSTGRES.create());
        props.putAll(BrokerSupport.properties("rabbitmq", channel));
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.failure-rate", "0");
        props.put("herald.scheduler.supervise-interval", "200ms");
        props.put("herald.ops.heartbeat-interval", "1s");
        props.put("herald.ops.lost-after", "5s");
        props.put("herald.ops.queue-depth-cache", "500ms");
        List<ChildHerald> workers = new ArrayList<>();
        try (HeraldProcess api = HeraldProcess.start("api,scheduler", props)) {
            assertThat(api.get("/workers").json().get("items")).isEmpty();
            JsonNode paths = api.get("/v3/api-docs").json().get("paths");
            assertThat(paths.has("/workers")).isTrue();
            assertThat(paths.has("/ops/summary")).isTrue();
            List<NewRecipient> people = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                people.add(new NewRecipient("Ops " + i, "ops" + i + "@example.com", null, List.of("ops"), Map.of()));
            }
            api.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
            long id = api.post("/campaigns", Map.of("name", "Ops watch", "template", "Hi {{name}}", "segment_rule", "ops"))
                    .json().get("id").asLong();
            assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);

            // No worker yet: the tasks wait in the work queue, 100 to an AMQP message.
            JsonNode waiting = await(api, "/ops/summary", s -> depth(s, channel) == RECIPIENTS / 100, Duration.ofSeconds(30));
            Set<String> queues = new java.util.HashSet<>();
            waiting.get("queues").forEach(q -> {
                assertThat(q.get("transport").asString()).isEqualTo("rabbitmq");
                assertThat(q.get("kind").asString()).isEqualTo("depth");
                queues.add(q.get("queue").asString());
            });
            assertThat(queues).contains(channel, channel + ".dlq", channel + ".retry-500ms", channel + ".retry-256000ms")
                    .hasSize(12);
            JsonNode sending = waiting.get("campaigns_sending");
            assertThat(sending).hasSize(1);
            assertThat(sending.get(0).get("id").asLong()).isEqualTo(id);
            assertThat(sending.get(0).get("name").asString()).isEqualTo("Ops watch");
            assertThat(sending.get(0).get("total").asLong()).isEqualTo(RECIPIENTS);
            assertThat(sending.get(0).get("sent").asLong()).isZero();
            assertThat(waiting.get("workers").get("alive").asLong()).isZero();
            String metrics = prometheus(api);
            assertThat(metrics).contains("herald_queue_depth{queue=\"" + channel + "\",transport=\"rabbitmq\"} 3.0")
                    .contains("herald_campaigns{status=\"SENDING\"} 1.0")
                    .contains("herald_workers{state=\"alive\"} 0.0")
                    .contains("herald_circuit_breaker_state{channel=\"email\",provider=\"mock\"} 0.0");

            for (int i = 1; i <= 2; i++) {
                workers.add(ChildHerald.start("ops-worker-" + i, "worker", null, props));
            }
            JsonNode listed = await(api, "/workers", w -> alive(w).size() == 2, Duration.ofSeconds(120));
            Set<Long> pids = workers.stream().map(ChildHerald::pid).collect(Collectors.toSet());
            for (JsonNode worker : listed.get("items")) {
                assertThat(worker.get("id").asString()).isNotBlank();
                assertThat(worker.get("host").asString()).isNotBlank();
                assertThat(pids).contains(worker.get("pid").asLong());
                assertThat(worker.get("transport").asString()).isEqualTo("rabbitmq");
                assertThat(worker.get("roles")).hasSize(1);
                assertThat(worker.get("roles").get(0).asString()).isEqualTo("worker");
                assertThat(worker.get("started_at").asString()).endsWith("Z");
                assertThat(worker.get("last_heartbeat_at").asString()).endsWith("Z");
            }
            // newest first
            assertThat(listed.get("items").get(0).get("started_at").asString())
                    .isGreaterThanOrEqualTo(listed.get("items").get(1).get("started_at").asString());

            await(api, "/campaigns/" + id + "/stats", s -> s.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(90));
            // every message handled once, reported by the workers' heartbeats
            JsonNode reported = await(api, "/workers", w -> sum(w, "messages_last_minute") == RECIPIENTS, Duration.ofSeconds(20));
            assertThat(sum(reported, "batches_last_minute")).isBetween(1L, (long) RECIPIENTS);

            JsonNode done = await(api, "/ops/summary", s -> depth(s, channel) == 0 && sentInLastHour(s) == RECIPIENTS,
                    Duration.ofSeconds(20));
            assertThat(done.get("throughput")).hasSize(60);
            assertThat(done.get("throughput").get(59).get("at").asString()).endsWith(":00Z");
            assertThat(done.get("messages_per_second").asDouble()).isBetween(0.0, RECIPIENTS / 10.0);
            assertThat(done.get("dead_letters").asLong()).isZero();
            assertThat(done.get("campaigns_sending")).isEmpty();
            assertThat(done.get("workers").get("alive").asLong()).isEqualTo(2);
            assertThat(done.get("failures_per_minute").toString()).contains("{\"channel\":\"email\",\"provider\":\"mock\",\"failures\":0}");
            assertThat(done.get("providers").toString()).contains("{\"channel\":\"email\",\"provider\":\"mock\",\"state\":\"CLOSED\"}");

            // SIGKILL: no goodbye; after lost-after it is lost, the other one stays alive
            ChildHerald killed = workers.get(0);
            killed.kill();
            JsonNode afterKill = await(api, "/workers", w -> state(w, killed.pid()).equals("lost"), Duration.ofSeconds(30));
            assertThat(state(afterKill, workers.get(1).pid())).isEqualTo("alive");
            assertThat(api.get("/ops/summary").json().get("workers").toString()).isEqualTo("{\"alive\":1,\"lost\":1}");
            awaitMetrics(api, "herald_workers{state=\"lost\"} 1.0");

            // SIGTERM: a clean shutdown marks the row stopped
            assertThat(workers.get(1).stop(Duration.ofSeconds(60))).isTrue();
            await(api, "/workers", w -> state(w, workers.get(1).pid()).equals("stopped"), Duration.ofSeconds(10));
        } finally {
            for (ChildHerald worker : workers) {
                worker.close();
            }
            BrokerSupport.cleanUp("rabbitmq", channel);
        }
    }

    private static long depth(JsonNode summary, String queue) {
        for (JsonNode q : summary.get("queues")) {
            if (q.get("queue").asString().equals(queue)) {
                return q.get("depth").asLong();
            }
        }
        return -1;
    }

    private static long sentInLastHour(JsonNode summary) {
        long sent = 0;
        for (JsonNode minute : summary.get("throughput")) {
            sent += minute.get("sent").asLong();
            assertThat(minute.get("failed").asLong()).isZero();
        }
        return sent;
    }

    private static List<JsonNode> alive(JsonNode workers) {
        List<JsonNode> alive = new ArrayList<>();
        workers.get("items").forEach(w -> {
            if (w.get("state").asString().equals("alive")) {
                alive.add(w);
            }
        });
        return alive;
    }

    private static long sum(JsonNode workers, String field) {
        long sum = 0;
        for (JsonNode w : workers.get("items")) {
            sum += w.get(field).asLong();
        }
        return sum;
    }

    private static String state(JsonNode workers, long pid) {
        for (JsonNode w : workers.get("items")) {
            if (w.get("pid").asLong() == pid) {
                return w.get("state").asString();
            }
        }
        return "absent";
    }

    private static String prometheus(HeraldProcess api) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/actuator/prometheus")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void awaitMetrics(HeraldProcess api, String line) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        String metrics = prometheus(api);
        while (!metrics.contains(line)) {
            assertThat(System.currentTimeMillis()).as("no '%s' in /actuator/prometheus", line).isLessThan(deadline);
            Thread.sleep(250);
            metrics = prometheus(api);
        }
    }

    static JsonNode await(HeraldProcess api, String path, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        JsonNode last;
        while (true) {
            HeraldProcess.Response response = api.get(path);
            assertThat(response.status()).as("GET %s", path).isEqualTo(200);
            last = response.json();
            if (condition.test(last)) {
                return last;
            }
            assertThat(System.currentTimeMillis()).as("GET %s never matched; last: %s", path, last).isLessThan(deadline);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
