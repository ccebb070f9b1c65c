package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;
import io.herald.testsupport.WebhookReceiver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The fault suite's broker case on Kafka: a real broker in its own JVM (the project's {@code scripts/kafka}, on its
 * own ports and directory) is SIGKILLed in the middle of a 20,000-recipient send on PostgreSQL and started again.
 * Nothing is lost; repeated provider calls carry the same key; the figures go to {@code target/fault-report.json}.
 */
class PostgresKafkaBrokerKillIT {
    static final int RECIPIENTS = 20_000;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theBrokerIsKilledMidSendAndRestarted() throws Exception {
        int port = io.herald.testsupport.Ports.free();
        Map<String, String> env = Map.of("KAFKA_PORT", Integer.toString(port), "KAFKA_CONTROLLER_PORT",
                Integer.toString(io.herald.testsupport.Ports.free()), "KAFKA_DATA_DIR", Path.of("target", "kafka-fault-" + port).toAbsolutePath().toString());
        String topic = "herald.fault." + UUID.randomUUID().toString().substring(0, 8);
        script(env, "start");
        Map<String, String> props = new HashMap<>(TestDatabase.POSTGRES.create());
        props.put("herald.transport", "kafka");
        props.put("herald.kafka.topic", topic);
        props.put("herald.kafka.group", topic + ".workers");
        props.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + port);
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.type", "webhook");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            props.put("herald.provider.webhook.url", webhook.url());
            webhook.latency(java.time.Duration.ofMillis(5));
            try (HeraldProcess herald = HeraldProcess.start("api,scheduler,worker", props)) {
                List<NewRecipient> people = new ArrayList<>(RECIPIENTS);
                for (int i = 0; i < RECIPIENTS; i++) {
                    people.add(new NewRecipient("Kafka " + i, "kafka" + i + "@fault.test", null, List.of("kafkafault"), Map.of()));
                }
                herald.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
                long id = herald.post("/campaigns", Map.of("name", "Broker kill", "channel", "email", "subject", "Hi",
                        "template", "Hello {{name}}", "segment_rule", "kafkafault")).json().get("id").asLong();
                herald.post("/campaigns/" + id + "/send", null);
                AbstractFaultSuiteIT.awaitKeys(webhook, 3_000);
                long pid = Long.parseLong(script(env, "pid").trim());
                new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor(10, TimeUnit.SECONDS);
                int keysAtKill = webhook.distinctKeys();
                long killedAt = System.nanoTime();
                Thread.sleep(3_000);
                script(env, "start");
                double brokerBackAfter = (System.nanoTime() - killedAt) / 1e9;
                AbstractFaultSuiteIT.awaitKeys(webhook, keysAtKill + 1_000);
                double deliveringAgainAfter = (System.nanoTime() - killedAt) / 1e9;
                JsonNode done = AbstractFaultSuiteIT.awaitCompleted(herald, id, java.time.Duration.ofMinutes(4));
                Map<String, Long> rows = new HashMap<>();
                herald.bean(JdbcTemplate.class).query("SELECT status, COUNT(*) FROM messages WHERE campaign_id = ? GROUP BY status",
                        rs -> {
                            rows.put(rs.getString(1), rs.getLong(2));
                        }, id);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("scenario", "Kafka broker SIGKILL and restart");
                entry.put("database", "postgres");
                entry.put("transport", "kafka");
                entry.put("recipients", RECIPIENTS);
                entry.put("lost", RECIPIENTS - webhook.distinctKeys());
                entry.put("repeated_provider_calls", webhook.requests() - webhook.distinctKeys());
                entry.put("rows", rows);
                entry.put("keys_at_kill", keysAtKill);
                entry.put("broker_back_after_s", Math.round(brokerBackAfter * 10) / 10.0);
                entry.put("delivering_again_after_s", Math.round(deliveringAgainAfter * 10) / 10.0);
                AbstractFaultSuiteIT.appendReport(entry);
                System.out.println("[fault-suite] " + AbstractFaultSuiteIT.JSON.writeValueAsString(entry));

                assertThat(webhook.distinctKeys()).as("messages lost").isEqualTo(RECIPIENTS);
                assertThat(rows).containsOnlyKeys("SENT");
                assertThat(done.get("sent").asLong()).isEqualTo(RECIPIENTS);
                assertThat(done.get("failed").asLong()).isZero();
                assertThat(done.get("queued").asLong()).isZero();
            }
        } finally {
            script(env, "stop");
        }
    }

    private static String script(Map<String, String> env, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("scripts/kafka", command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        File out = Files.createTempFile("kafka-script", ".out").toFile();
        Process process = builder.redirectOutput(out).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("scripts/kafka " + command + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("scripts/kafka " + command + " exited " + process.exitValue());
        }
        return Files.readString(out.toPath());
    }
}
