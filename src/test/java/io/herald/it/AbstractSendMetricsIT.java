package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.Api;
import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.PrometheusText;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * What {@code /actuator/prometheus} says after real work equals what the API says: herald_messages_total by outcome
 * equals the campaigns' stats (sent, failed, retries, cancelled), herald_fanout_messages_total their totals,
 * herald_provider_call_seconds_count the provider calls, herald_import_rows_total an import's counts; and the
 * framework's HTTP, JVM, connection pool and (with a broker) broker-client metrics are there. The mock provider
 * fails 30 % of calls with two attempts per message, so every outcome but cancel happens; a second campaign is
 * cancelled part-way. Every check compares differences between two scrapes, so test order does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSendMetricsIT {
    private static final Map<String, String> EMAIL_MOCK = Map.of("channel", "email", "provider", "mock");

    private final TestDatabase database;
    private final String transport;
    private final String channel = "herald.metrics." + UUID.randomUUID().toString().substring(0, 8);
    protected HeraldProcess herald;
    protected Api api;

    AbstractSendMetricsIT(TestDatabase database, String transport) {
        this.database = database;
        this.transport = transport;
    }

    @BeforeAll
    void start() {
        Map<String, String> props = new HashMap<>(database.create());
        props.putAll(BrokerSupport.properties(transport, channel));
        props.put("herald.demo-data", "false");
        // slow enough that the second campaign is still sending when it is cancelled, fast enough for the first
        props.put("herald.delivery.rate-per-sec", "150");
        props.put("herald.provider.failure-rate", "0.3");
        props.put("herald.provider.latency-min", "1ms");
        props.put("herald.provider.latency-max", "4ms");
        // every failure is a retry or a dead letter (no deferral), so provider calls = sent + retries + failed
        props.put("herald.delivery.circuit-breaker.enabled", "false");
        props.put("herald.delivery.max-attempts", "2");
        props.put("herald.delivery.initial-backoff", "50ms");
        props.put("herald.scheduler.supervise-interval", "200ms");
        herald = HeraldProcess.start("api,worker,scheduler", props);
        api = new Api(Integer.parseInt(herald.context().getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    void stop() {
        if (herald != null) {
            herald.close();
        }
        BrokerSupport.cleanUp(transport, channel);
    }

    protected PrometheusText scrape() {
        Api.Response response = api.get("/actuator/prometheus");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        return PrometheusText.parse(response.body());
    }

    protected void addRecipients(String tag, int count) {
        List<NewRecipient> people = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            people.add(new NewRecipient("M " + tag + " " + i, tag + "." + i + "@metrics.test", null, List.of(tag), Map.of()));
        }
        herald.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
    }

    protected long createAndSend(String tag) {
        Api.Response created = api.post("/campaigns", Map.of("name", "Metrics " + tag, "template", "Hi {{name}}",
                "segment_rule", tag));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
        return id;
    }

    protected JsonNode awaitStatus(long id, String status) {
        return api.waitForStats(id, s -> s.get("status").asString().equals(status), java.time.Duration.ofSeconds(120));
    }

    @Test
    void sendCountersEqualTheCampaignStats() {
        String tag = "m" + UUID.randomUUID().toString().substring(0, 6);
        String big = tag + "big";
        addRecipients(tag, 120);
        addRecipients(big, 3000);
        PrometheusText before = scrape();

        long first = createAndSend(tag);
        JsonNode stats = awaitStatus(first, "COMPLETED");
        assertThat(stats.get("retries").asLong()).as("30 %% failures cause retries").isPositive();
        assertThat(stats.get("failed").asLong()).as("two attempts at 30 %% failures leave dead letters").isPositive();
        PrometheusText after = scrape();
        assertThat(delta(before, after, "herald_messages_total", outcome("sent"))).isEqualTo(stats.get("sent").asLong());
        assertThat(delta(before, after, "herald_messages_total", outcome("failed"))).isEqualTo(stats.get("failed").asLong());
        assertThat(delta(before, after, "herald_messages_total", outcome("retried"))).isEqualTo(stats.get("retries").asLong());
        assertThat(delta(before, after, "herald_messages_total", outcome("cancelled"))).isZero();
        assertThat(delta(before, after, "herald_fanout_messages_total", Map.of())).isEqualTo(120);
        assertThat(stats.get("total").asLong()).isEqualTo(120);
        long calls = stats.get("sent").asLong() + stats.get("retries").asLong() + stats.get("failed").asLong();
        assertThat(delta(before, after, "herald_provider_call_seconds_count", EMAIL_MOCK)).isEqualTo(calls);
        assertThat(delta(before, after, "herald_provider_call_seconds_bucket", Map.of("channel", "email", "le", "+Inf")))
                .isEqualTo(calls);
        assertThat(after.sum("herald_provider_call_seconds_sum", EMAIL_MOCK))
                .as("each call sleeps at least 1 ms").isGreaterThanOrEqualTo(calls * 0.001);

        // A campaign cancelled part-way: the messages it had queued count as cancelled, in the counter as in its stats.
        long second = createAndSend(big);
        api.waitForStats(second, s -> s.get("total").asLong() == 3000 && s.get("sent").asLong() > 0);
        assertThat(api.post("/campaigns/" + second + "/cancel").status()).isEqualTo(200);
        JsonNode cancelled = awaitStatus(second, "CANCELLED");
        // outcomes of calls in flight at the cancel are not written (the rows were cancelled first): let them land
        sleep(1500);
        cancelled = api.get("/campaigns/" + second + "/stats").json();
        assertThat(cancelled.get("cancelled").asLong()).as("the cancel caught messages still queued").isPositive();
        PrometheusText end = scrape();
        for (String[] pair : new String[][]{{"sent", "sent"}, {"failed", "failed"}, {"retried", "retries"}, {"cancelled", "cancelled"}}) {
            assertThat(delta(before, end, "herald_messages_total", outcome(pair[0])))
                    .as("herald_messages_total{outcome=%s}", pair[0])
                    .isEqualTo(stats.get(pair[1]).asLong() + cancelled.get(pair[1]).asLong());
        }
        assertThat(delta(before, end, "herald_fanout_messages_total", Map.of())).isEqualTo(120 + 3000);
    }

    @Test
    void importRowsCounterEqualsTheImportCounts() {
        String tag = "i" + UUID.randomUUID().toString().substring(0, 6);
        addRecipients(tag, 2);
        PrometheusText before = scrape();
        String csv = "name,email,tags\n"
                + "New One," + tag + ".new1@metrics.test," + tag + "\n"
                + "New Two," + tag + ".new2@metrics.test," + tag + "\n"
                + "New Three," + tag + ".new3@metrics.test," + tag + "\n"
                + "Renamed," + tag + ".0@metrics.test," + tag + "\n"
                + "Broken,not-an-email," + tag + "\n"
                + "Twice," + tag + ".new1@metrics.test," + tag + "\n";
        Api.Response upload = api.upload("/recipients/import", "metrics.csv", csv.getBytes(StandardCharsets.UTF_8), Map.of());
        JsonNode result = awaitImport(upload);
        assertThat(result.get("imported").asLong()).isEqualTo(3);
        assertThat(result.get("updated").asLong()).isEqualTo(1);
        assertThat(result.get("skipped").asLong()).isEqualTo(2);
        PrometheusText after = scrape();
        for (String kind : List.of("imported", "updated", "skipped")) {
            assertThat(delta(before, after, "herald_import_rows_total", Map.of("result", kind)))
                    .as("herald_import_rows_total{result=%s}", kind).isEqualTo(result.get(kind).asLong());
        }

        // A dry run stores nothing and counts nothing.
        Api.Response dry = api.upload("/recipients/import", "dry.csv",
                ("name,email\nDry," + tag + ".dry@metrics.test\n").getBytes(StandardCharsets.UTF_8), Map.of("dry_run", "true"));
        assertThat(awaitImport(dry).get("imported").asLong()).isEqualTo(1);
        PrometheusText afterDry = scrape();
        assertThat(delta(after, afterDry, "herald_import_rows_total", Map.of())).isZero();
    }

    @Test
    void frameworkMetricsAreExported() {
        api.get("/campaigns");
        PrometheusText scrape = scrape();
        assertThat(scrape.sampleNames()).contains("http_server_requests_seconds_count", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_cpu_usage", "hikaricp_connections_active", "hikaricp_connections_max");
        assertThat(scrape.sum("http_server_requests_seconds_count", Map.of("uri", "/campaigns", "method", "GET")))
                .isGreaterThanOrEqualTo(1);
        // no campaign id or recipient as a label
        for (PrometheusText.Sample sample : scrape.samples()) {
            if (sample.name().startsWith("herald_")) {
                assertThat(sample.labels().keySet()).doesNotContain("campaign", "campaign_id", "recipient", "recipient_id");
            }
        }
    }

    private JsonNode awaitImport(Api.Response accepted) {
        assertThat(accepted.status()).as(accepted.body()).isBetween(200, 202);
        JsonNode body = accepted.json();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"COMPLETED".equals(body.path("status").asString())) {
            assertThat(System.currentTimeMillis()).as(body.toString()).isLessThan(deadline);
            sleep(100);
            body = api.get("/imports/" + body.path("id").asLong()).json();
        }
        return body;
    }

    private static Map<String, String> outcome(String outcome) {
        return Map.of("channel", "email", "provider", "mock", "outcome", outcome);
    }

    protected static long delta(PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
        return Math.round(after.sum(name, labels) - before.sum(name, labels));
    }

    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
