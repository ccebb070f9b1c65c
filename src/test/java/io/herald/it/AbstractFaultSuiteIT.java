package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.ChildHerald;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;
import io.herald.testsupport.WebhookReceiver;

import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Faults only real processes have, each on a fresh database with the webhook provider and an in-test receiver
 * that counts idempotency keys: the API/scheduler process that runs a fan-out is SIGKILLed half-way and another
 * takes over; a worker is frozen with SIGSTOP while another takes over its tasks, then resumed; PostgreSQL restarts;
 * the broker dies and comes back; the provider is down for a long outage; the provider is slow. Every scenario
 * ends with each recipient delivered, every row SENT and the counters equal to the rows; messages lost (must be
 * 0), repeated provider calls (same key) and the time to recover go to {@code target/fault-report.json}.
 *
 * <p>The scenarios are methods here; each transport's subclass declares them as tests. Those that already run in CI
 * on the other transport are tagged {@value #ON_DEMAND} there (run them with {@code -Pall-faults}), so that every
 * fault kind runs in {@code ./mvnw verify} and the full matrix stays one command away.
 */
abstract class AbstractFaultSuiteIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** JUnit tag of scenarios excluded from {@code ./mvnw verify} unless {@code -Pall-faults}. */
    static final String ON_DEMAND = "on-demand";

    private final TestDatabase database;
    private final String transport;

    AbstractFaultSuiteIT(TestDatabase database, String transport) {
        this.database = database;
        this.transport = transport;
    }

    /** Extra settings for this transport (e.g. a short heartbeat so a frozen consumer is noticed). */
    Map<String, String> transportSettings() {
        return Map.of();
    }

    /** Queue/topic names and broker address for one scenario's {@code channel}. */
    Map<String, String> brokerProperties(String channel) {
        return BrokerSupport.properties(transport, channel);
    }

    /** Takes the broker away the way this transport's fault kind does (SIGKILL, stop). */
    abstract void takeBrokerDown() throws Exception;

    /** Brings the broker back and waits until it accepts connections. */
    abstract void bringBrokerBack() throws Exception;

    /** What {@link #takeBrokerDown()} does, for the report. */
    abstract String brokerFault();

    void theProcessRunningAFanOutIsKilledAndAnotherOneFinishesIt() throws Exception {
        int recipients = 30_000;
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        List<ChildHerald> children = new ArrayList<>();
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess observer = HeraldProcess.start("api", withWebhook(props, webhook))) {
            insertRecipients(observer, recipients, "fanout");
            children.add(ChildHerald.start("fault-worker-" + transport + "-1", "worker", null, withWebhook(props, webhook)));
            ChildHerald first = ChildHerald.start("fault-scheduler-" + transport + "-1", "api,scheduler", io.herald.testsupport.Ports.free(),
                    withWebhook(props, webhook));
            children.add(first);
            first.awaitHttp(Duration.ofSeconds(90));
            long id = first.post("/campaigns", Map.of("name", "Fan-out kill", "channel", "email", "subject", "Hi",
                    "template", "Hello {{name}}", "segment_rule", "fanout")).json().get("id").asLong();
            assertThat(first.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
            long total = awaitTotal(observer, id, 5_000);
            first.kill();
            long killedAt = System.nanoTime();
            long totalAtKill = stats(observer, id).get("total").asLong();
            assertThat(totalAtKill).as("killed in the middle of the fan-out (not after it)").isLessThan(recipients);
            ChildHerald second = ChildHerald.start("fault-scheduler-" + transport + "-2", "api,scheduler", io.herald.testsupport.Ports.free(),
                    withWebhook(props, webhook));
            children.add(second);
            awaitTotal(observer, id, totalAtKill + 1);
            double resumedAfter = (System.nanoTime() - killedAt) / 1e9;
            JsonNode done = awaitCompleted(observer, id, Duration.ofMinutes(3));
            report("scheduler SIGKILL mid fan-out", id, recipients, webhook, observer, done,
                    Map.of("total_at_kill", totalAtKill, "fan_out_resumed_after_s", round(resumedAfter),
                            "first_seen_total", total));
        } finally {
            for (ChildHerald child : children) {
                child.close();
            }
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    void aFrozenWorkerLosesItsTasksToAnotherAndChangesNothingWhenItWakes() throws Exception {
        int recipients = 20_000;
        int frozenSeconds = Integer.getInteger("herald.test.freeze-seconds", 60);
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        List<ChildHerald> children = new ArrayList<>();
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess api = HeraldProcess.start("api,scheduler", withWebhook(props, webhook))) {
            webhook.latency(Duration.ofMillis(20)); // so the frozen worker has calls in flight
            insertRecipients(api, recipients, "freeze");
            ChildHerald frozen = ChildHerald.start("fault-worker-" + transport + "-frozen", "worker", null, withWebhook(props, webhook));
            children.add(frozen);
            HeraldProcess.Response created = api.post("/campaigns", Map.of("name", "Freeze", "channel", "email",
                    "subject", "Hi", "template", "Hello {{name}}", "segment_rule", "freeze"));
            long id = created.json().get("id").asLong();
            api.post("/campaigns/" + id + "/send", null);
            awaitKeys(webhook, 2_000);
            frozen.freeze();
            long frozenAt = System.nanoTime();
            int keysAtFreeze = webhook.distinctKeys();
            ChildHerald other = ChildHerald.start("fault-worker-" + transport + "-other", "worker", null, withWebhook(props, webhook));
            children.add(other);
            // The other worker takes over: first the queue's untaken tasks, then (once the broker gives up on the
            // frozen consumer) the ones it held.
            awaitKeys(webhook, keysAtFreeze + 1_000);
            double takeOver = (System.nanoTime() - frozenAt) / 1e9;
            long sleepMs = frozenSeconds * 1000L - (System.nanoTime() - frozenAt) / 1_000_000;
            Thread.sleep(Math.max(0, sleepMs));
            long requestsBeforeThaw = webhook.requests();
            frozen.thaw();
            JsonNode done = awaitCompleted(api, id, Duration.ofMinutes(3));
            Thread.sleep(3_000); // let the woken worker finish its stale batch: it must change nothing
            JsonNode after = stats(api, id);
            assertThat(after.get("sent").asLong()).isEqualTo(recipients);
            report("worker SIGSTOP " + frozenSeconds + " s", id, recipients, webhook, api, after,
                    Map.of("keys_at_freeze", keysAtFreeze, "other_worker_took_over_after_s", round(takeOver),
                            "requests_at_thaw", requestsBeforeThaw, "completed_sent", done.get("sent").asLong()));
        } finally {
            for (ChildHerald child : children) {
                child.close();
            }
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    void postgresRestartsMidSendAndEveryProcessRecoversByItself() throws Exception {
        int recipients = 20_000;
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess herald = HeraldProcess.start("api,scheduler,worker", withWebhook(props, webhook))) {
            webhook.latency(Duration.ofMillis(5));
            insertRecipients(herald, recipients, "pgrestart");
            long id = herald.post("/campaigns", Map.of("name", "PostgreSQL restart", "channel", "email", "subject", "Hi",
                    "template", "Hello {{name}}", "segment_rule", "pgrestart")).json().get("id").asLong();
            herald.post("/campaigns/" + id + "/send", null);
            awaitKeys(webhook, 3_000);
            int keysAtRestart = webhook.distinctKeys();
            long restartedAt = System.nanoTime();
            restartPostgres();
            double databaseBackAfter = (System.nanoTime() - restartedAt) / 1e9;
            awaitKeys(webhook, keysAtRestart + 2_000);
            double deliveringAgainAfter = (System.nanoTime() - restartedAt) / 1e9;
            JsonNode done = awaitCompleted(herald, id, Duration.ofMinutes(3));
            report("PostgreSQL restart mid-send", id, recipients, webhook, herald, done,
                    Map.of("keys_at_restart", keysAtRestart, "database_back_after_s", round(databaseBackAfter),
                            "delivering_again_after_s", round(deliveringAgainAfter)));
        } finally {
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    void aSlowProviderIsServedAtTheConcurrencyTheReadmeRecommends() throws Exception {
        int recipients = 2_000;
        // README: concurrency = wanted rate x provider latency (100 msg/s x 2 s = 200 calls in flight).
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        props.put("herald.delivery.concurrency", "200");
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess herald = HeraldProcess.start("api,scheduler,worker", withWebhook(props, webhook))) {
            webhook.latency(Duration.ofSeconds(2));
            insertRecipients(herald, recipients, "slow");
            long id = herald.post("/campaigns", Map.of("name", "Slow provider", "channel", "email", "subject", "Hi",
                    "template", "Hello {{name}}", "segment_rule", "slow")).json().get("id").asLong();
            long start = System.nanoTime();
            herald.post("/campaigns/" + id + "/send", null);
            JsonNode done = awaitCompleted(herald, id, Duration.ofMinutes(3));
            double seconds = (System.nanoTime() - start) / 1e9;
            report("provider slow (2 s per call), concurrency 200", id, recipients, webhook, herald, done,
                    Map.of("seconds", round(seconds), "msg_per_s", Math.round(recipients / seconds)));
            // 200 calls in flight at 2 s each: about 100 msg/s; well above what 32 would give (16 msg/s).
            assertThat(recipients / seconds).isGreaterThan(60);
            assertThat(done.get("retries").asLong()).isZero();
        } finally {
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    void theBrokerDiesMidSendAndComesBack() throws Exception {
        int recipients = 20_000;
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess herald = HeraldProcess.start("api,scheduler,worker", withWebhook(props, webhook))) {
            webhook.latency(Duration.ofMillis(5));
            insertRecipients(herald, recipients, "brokerdown");
            long id = herald.post("/campaigns", Map.of("name", "Broker down", "channel", "email", "subject", "Hi",
                    "template", "Hello {{name}}", "segment_rule", "brokerdown")).json().get("id").asLong();
            herald.post("/campaigns/" + id + "/send", null);
            awaitKeys(webhook, 3_000);
            long downAt = System.nanoTime();
            int keysAtFault;
            try {
                takeBrokerDown();
                keysAtFault = webhook.distinctKeys();
                Thread.sleep(3_000);
            } finally {
                bringBrokerBack();
            }
            double brokerBackAfter = (System.nanoTime() - downAt) / 1e9;
            awaitKeys(webhook, keysAtFault + 1_000);
            double deliveringAgainAfter = (System.nanoTime() - downAt) / 1e9;
            JsonNode done = awaitCompleted(herald, id, Duration.ofMinutes(4));
            report(brokerFault(), id, recipients, webhook, herald, done,
                    Map.of("keys_at_fault", keysAtFault, "broker_back_after_s", round(brokerBackAfter),
                            "delivering_again_after_s", round(deliveringAgainAfter)));
        } finally {
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    /**
     * The provider answers 503 for {@code herald.test.outage-seconds} (20 by default; 600 for the 10-minute
     * outage) starting two seconds into the send: the breaker opens, messages wait without spending attempts, a few
     * probes test the provider, and the campaign ends with every message SENT once and none FAILED. The console
     * shows the outage as a banner with the provider's error while it lasts.
     */
    void aLongProviderOutageEndsWithEveryMessageSentOnce() throws Exception {
        int recipients = 20_000;
        int outageSeconds = Integer.getInteger("herald.test.outage-seconds", 20);
        String channel = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> props = baseProps(channel);
        // About 20 s of sending at full speed, so the outage falls in the middle of it.
        props.put("herald.delivery.rate-per-sec", "1000");
        props.put("herald.delivery.circuit-breaker.wait-in-open-state", "10s");
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess herald = HeraldProcess.start("api,scheduler,worker", withWebhook(props, webhook))) {
            insertRecipients(herald, recipients, "outage");
            long id = herald.post("/campaigns", Map.of("name", "Provider outage", "channel", "email", "subject", "Hi",
                    "template", "Hello {{name}}", "segment_rule", "outage")).json().get("id").asLong();
            herald.post("/campaigns/" + id + "/send", null);
            awaitKeys(webhook, 2_000);
            webhook.down(true);
            long downAt = System.nanoTime();
            int keysAtOutage = webhook.distinctKeys();
            JsonNode open = awaitStats(herald, id, s -> "OPEN".equals(s.path("provider_state").asString()), Duration.ofSeconds(30));
            double openedAfter = (System.nanoTime() - downAt) / 1e9;
            // The calls that opened the breaker: a window's worth plus every call already in flight then.
            long openingCalls = webhook.refusedWhileDown();
            assertThat(open.path("provider").asString()).isEqualTo("webhook");
            assertThat(open.path("provider_last_error").asString()).contains("503");
            assertThat(open.path("provider_state_since").isNull()).isFalse();
            assertThat(open.path("failed").asLong()).isZero();
            io.herald.testsupport.Browser.require();
            try (io.herald.testsupport.Browser browser = io.herald.testsupport.Browser.start(herald.baseUrl())) {
                browser.open("/ui/campaigns/" + id);
                browser.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                        io.herald.testsupport.Browser.testId("provider-outage"), "Provider webhook is unavailable since"));
                browser.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                        io.herald.testsupport.Browser.testId("provider-last-error"), "webhook answered 503: maintenance"));
                browser.screenshot("provider-outage-banner-" + transport);
            }
            Thread.sleep(Math.max(0, outageSeconds * 1000L - (System.nanoTime() - downAt) / 1_000_000));
            long refused = webhook.refusedWhileDown();
            webhook.down(false);
            long upAt = System.nanoTime();
            JsonNode done = awaitCompleted(herald, id, Duration.ofMinutes(4));
            double recovered = (System.nanoTime() - upAt) / 1e9;
            Integer maxAttempts = herald.bean(JdbcTemplate.class).queryForObject(
                    "SELECT MAX(attempts) FROM messages WHERE campaign_id = ?", Integer.class, id);
            report("provider down (503) for " + outageSeconds + " s", id, recipients, webhook, herald, done,
                    Map.of("keys_at_outage", keysAtOutage, "breaker_open_after_s", round(openedAfter),
                            "calls_while_down", refused, "calls_while_down_per_min", refused * 60 / outageSeconds,
                            "calls_opening_breaker", openingCalls,
                            "completed_after_back_s", round(recovered), "max_attempts", maxAttempts));
            assertThat(done.path("provider_state").asString()).isEqualTo("CLOSED");
            // Opening the breaker costs the calls in flight when the provider went down (bounded by the workers'
            // concurrency, not by the number of waiting messages); after that only 3 probes per 10 s open period
            // (twice that, plus one period, as slack for a loaded machine): a handful per minute, not thousands.
            assertThat(openingCalls).isLessThan(250);
            assertThat(refused - openingCalls).isLessThanOrEqualTo(3 * 2 * (outageSeconds / 10 + 1));
            // Waiting out the outage spent no attempts (at most the call that hit the outage and its retry).
            assertThat(maxAttempts).isLessThanOrEqualTo(2);
        } finally {
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    /** Restarts the machine's PostgreSQL cluster (pg_ctlcluster), waiting until it accepts connections again. */
    static void restartPostgres() throws Exception {
        String[] versions = new java.io.File("/etc/postgresql").list();
        assertThat(versions).as("a PostgreSQL cluster in /etc/postgresql").isNotEmpty();
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart")
                .inheritIO().start();
        assertThat(restart.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(restart.exitValue()).as("pg_ctlcluster restart").isZero();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!io.herald.testsupport.ExternalService.reachable(5432)) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private Map<String, String> baseProps(String channel) {
        Map<String, String> props = new HashMap<>(database.create());
        props.putAll(brokerProperties(channel));
        props.putAll(transportSettings());
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.type", "webhook");
        props.put("herald.dispatch.lease", "5s");
        props.put("herald.dispatch.batch-size", "500");
        return props;
    }

    private static Map<String, String> withWebhook(Map<String, String> props, WebhookReceiver webhook) {
        Map<String, String> all = new HashMap<>(props);
        all.put("herald.provider.webhook.url", webhook.url());
        return all;
    }

    private static void insertRecipients(HeraldProcess process, int n, String tag) {
        List<NewRecipient> people = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            people.add(new NewRecipient("Fault " + i, tag + i + "@fault.test", null, List.of(tag), Map.of()));
        }
        AudienceService audience = process.bean(AudienceService.class);
        for (int from = 0; from < n; from += 5_000) {
            audience.insertAll(people.subList(from, Math.min(n, from + 5_000)), System.currentTimeMillis());
        }
    }

    private void report(String scenario, long id, int recipients, WebhookReceiver webhook, HeraldProcess process,
                        JsonNode stats, Map<String, Object> extra) throws Exception {
        Map<String, Long> rows = new HashMap<>();
        process.bean(JdbcTemplate.class).query("SELECT status, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY status",
                rs -> {
                    rows.put(rs.getString(1), rs.getLong(2));
                }, id);
        long lost = recipients - webhook.distinctKeys();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("scenario", scenario);
        entry.put("database", database.name().toLowerCase());
        entry.put("transport", transport);
        entry.put("recipients", recipients);
        entry.put("lost", lost);
        entry.put("repeated_provider_calls", webhook.requests() - webhook.distinctKeys());
        entry.put("rows", rows);
        entry.putAll(extra);
        appendReport(entry);
        System.out.println("[fault-suite] " + JSON.writeValueAsString(entry));

        assertThat(webhook.mismatches()).isZero();
        assertThat(lost).as("messages lost").isZero();
        assertThat(rows).containsOnlyKeys("SENT");
        assertThat(rows.get("SENT")).isEqualTo(recipients);
        assertThat(stats.get("sent").asLong()).isEqualTo(recipients);
        assertThat(stats.get("total").asLong()).isEqualTo(recipients);
        assertThat(stats.get("queued").asLong()).isZero();
        assertThat(stats.get("failed").asLong()).isZero();
    }

    /** Adds one scenario's figures to target/fault-report.json (a JSON array). */
    static synchronized void appendReport(Map<String, Object> entry) throws Exception {
        Path file = Path.of("target", "fault-report.json");
        // the two transports' suites may run in two test JVMs at once
        try (FileChannel lock = FileChannel.open(Path.of("target", "fault-report.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            List<Object> entries = new ArrayList<>();
            if (Files.exists(file)) {
                JSON.readTree(Files.readString(file)).forEach(entries::add);
            }
            entries.add(JSON.valueToTree(entry));
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(entries));
        }
    }

    private static JsonNode stats(HeraldProcess process, long id) {
        return process.get("/campaigns/" + id + "/stats").json();
    }

    private static JsonNode awaitStats(HeraldProcess process, long id, java.util.function.Predicate<JsonNode> condition,
                                       Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true) {
            JsonNode stats = stats(process, id);
            if (condition.test(stats)) {
                return stats;
            }
            assertThat(System.currentTimeMillis()).as("stats as expected in time: %s", stats).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long awaitTotal(HeraldProcess process, long id, long atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            long total = stats(process, id).get("total").asLong();
            if (total >= atLeast) {
                return total;
            }
            assertThat(System.currentTimeMillis()).as("fan-out reached %d messages", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static void awaitKeys(WebhookReceiver webhook, int keys) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (webhook.distinctKeys() < keys) {
            assertThat(System.currentTimeMillis()).as("webhook saw %d keys", keys).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    static JsonNode awaitCompleted(HeraldProcess process, long id, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true) {
            JsonNode stats = stats(process, id);
            if ("COMPLETED".equals(stats.get("status").asString())) {
                return stats;
            }
            assertThat(System.currentTimeMillis()).as("campaign completed in time: %s", stats).isLessThan(deadline);
            Thread.sleep(250);
        }
    }


    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
