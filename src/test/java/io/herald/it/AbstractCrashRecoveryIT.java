package io.herald.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message lost, none left behind: a 20,000-recipient campaign through the webhook provider while the
 * worker — a real child JVM — is stopped gracefully (SIGTERM), killed (SIGKILL) and restarted, and, where
 * the subclass can, the broker is restarted. Afterwards the webhook has seen every idempotency key, nothing
 * is QUEUED or RETRYING, and the counters equal the rows. Repeated deliveries (same key) are reported.
 */
abstract class AbstractCrashRecoveryIT {
    static final int RECIPIENTS = 20_000;

    private final TestDatabase database;
    private final String transport;
    private final String channel = "herald.crash." + UUID.randomUUID().toString().substring(0, 8);
    private final List<ChildHerald> workers = new ArrayList<>();
    private Map<String, String> props;
    private int workerCount;

    AbstractCrashRecoveryIT(TestDatabase database, String transport) {
        this.database = database;
        this.transport = transport;
    }

    /** Restarts the broker while the campaign runs, and makes sure it is up again when this returns. */
    abstract void restartBroker() throws Exception;

    abstract boolean canRestartBroker();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void campaignSurvivesWorkerCrashesAndBrokerRestart() throws Exception {
        props = new HashMap<>(database.create());
        props.putAll(BrokerSupport.properties(transport, channel));
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.type", "webhook");
        props.put("herald.dispatch.lease", "5s");
        try (WebhookReceiver webhook = new WebhookReceiver();
             HeraldProcess api = startApi(webhook)) {
            List<NewRecipient> people = new ArrayList<>(RECIPIENTS);
            for (int i = 0; i < RECIPIENTS; i++) {
                people.add(new NewRecipient("Crash " + i, "crash" + i + "@example.com", null, List.of("crash"), Map.of()));
            }
            AudienceService audience = api.bean(AudienceService.class);
            for (int from = 0; from < RECIPIENTS; from += 5_000) {
                audience.insertAll(people.subList(from, from + 5_000), System.currentTimeMillis());
            }
            startWorker(webhook);

            HeraldProcess.Response created = api.post("/campaigns", Map.of("name", "Crash test",
                    "template", "Hello {{name}}", "segment_rule", "crash"));
            long id = created.json().get("id").asLong();
            assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);

            awaitKeys(webhook, 2_000);
            ChildHerald graceful = workers.get(workers.size() - 1);
            // SIGTERM: in-flight batches finish (or go back to the broker)
            assertThat(graceful.stop(Duration.ofSeconds(60))).as("worker stops on SIGTERM").isTrue();
            log("worker stopped gracefully at %d keys", webhook.distinctKeys());
            startWorker(webhook);

            awaitKeys(webhook, webhook.distinctKeys() + 2_000); // the new worker is busy
            workers.get(workers.size() - 1).kill(); // SIGKILL: whatever was in flight is lost with the process
            log("worker killed at %d keys", webhook.distinctKeys());
            startWorker(webhook);

            if (canRestartBroker()) {
                awaitKeys(webhook, webhook.distinctKeys() + 2_000);
                log("restarting the broker at %d keys", webhook.distinctKeys());
                restartBroker();
            }

            JsonNode stats = awaitCompleted(api, id, Duration.ofMinutes(4));
            Map<String, Long> rows = new HashMap<>();
            api.bean(JdbcTemplate.class).query("SELECT status, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY status",
                    rs -> {
                        rows.put(rs.getString(1), rs.getLong(2));
                    }, id);

            long repeated = webhook.requests() - webhook.distinctKeys();
            String report = String.format("crash test %s+%s: %d recipients, %d webhook requests, %d distinct keys,"
                            + " %d repeated deliveries (same key), rows %s, stats %s", database, transport, RECIPIENTS,
                    webhook.requests(), webhook.distinctKeys(), repeated, rows, stats);
            log("%s", report);
            Files.writeString(Path.of("target", "crash-report-" + database + "-" + transport + ".txt"), report + "\n");

            assertThat(webhook.mismatches()).as("every request carries its key in header and body").isZero();
            assertThat(webhook.distinctKeys()).as("every recipient delivered").isEqualTo(RECIPIENTS);
            for (int i = 0; i < RECIPIENTS; i++) {
                // keys are herald-<campaign>-<recipient>; recipients are 1..N in a fresh database
                assertThat(webhook.perKey()).containsKey("herald-" + id + "-" + (i + 1));
            }
            assertThat(rows).containsOnlyKeys("SENT");
            assertThat(rows.get("SENT")).isEqualTo(RECIPIENTS);
            assertThat(stats.get("sent").asLong()).isEqualTo(RECIPIENTS);
            assertThat(stats.get("queued").asLong()).isZero();
            assertThat(stats.get("failed").asLong()).isZero();
            assertThat(stats.get("total").asLong()).isEqualTo(RECIPIENTS);
        } finally {
            for (ChildHerald worker : workers) {
                worker.close();
            }
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    private HeraldProcess startApi(WebhookReceiver webhook) {
        Map<String, String> apiProps = new HashMap<>(props);
        apiProps.put("herald.provider.webhook.url", webhook.url());
        return HeraldProcess.start("api,scheduler", apiProps);
    }

    private void startWorker(WebhookReceiver webhook) throws IOException {
        Map<String, String> workerProps = new HashMap<>(props);
        workerProps.put("herald.provider.webhook.url", webhook.url());
        ChildHerald worker = ChildHerald.start("crash-worker-" + transport + "-" + (++workerCount), "worker", null, workerProps);
        workers.add(worker);
        log("started worker %d (pid %d), log target/crash-worker-%s-%d.log", workerCount, worker.pid(), transport, workerCount);
    }

    private void awaitKeys(WebhookReceiver webhook, int keys) {
        long deadline = System.currentTimeMillis() + 180_000;
        while (webhook.distinctKeys() < keys) {
            ChildHerald current = workers.get(workers.size() - 1);
            assertThat(current.alive()).as("worker process alive (see its log in target/)").isTrue();
            assertThat(System.currentTimeMillis()).as("webhook saw %d of %d keys in time", webhook.distinctKeys(), keys)
                    .isLessThan(deadline);
            AbstractSeedFlowIT.sleep(20);
        }
    }

    private static JsonNode awaitCompleted(HeraldProcess api, long id, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true) {
            JsonNode stats = api.get("/campaigns/" + id + "/stats").json();
            if (stats.get("status").asString().equals("COMPLETED")) {
                return stats;
            }
            assertThat(System.currentTimeMillis()).as("campaign not completed in time: %s", stats).isLessThan(deadline);
            AbstractSeedFlowIT.sleep(500);
        }
    }

    static void log(String format, Object... args) {
        System.out.println("[crash-test] " + String.format(format, args));
    }
}
