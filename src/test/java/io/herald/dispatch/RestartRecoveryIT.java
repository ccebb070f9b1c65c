package io.herald.dispatch;

import static io.herald.testsupport.TestTags.EXCLUSIVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.herald.HeraldApplication;
import io.herald.provider.ProviderFactory;
import io.herald.testsupport.Api;
import io.herald.testsupport.ScriptedProvider;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import tools.jackson.databind.JsonNode;

/**
 * Restarts on the embedded default (H2 file + in-process queue, whose contents a restart loses):
 * messages still QUEUED are picked up by the next process, nothing is lost and nobody gets a
 * campaign twice.
 */
@Tag(EXCLUSIVE) // runs alone: it stops a worker that sends 4 a second within two messages
class RestartRecoveryIT {
    @TempDir
    Path dir;

    private final ScriptedProvider provider = new ScriptedProvider();

    private ConfigurableApplicationContext start(String roles, Map<String, String> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("herald").toAbsolutePath());
        props.put("server.port", "0");
        props.put("herald.roles", roles);
        props.put("herald.provider.type", "scripted");
        props.put("herald.delivery.rate-per-sec", "0");
        props.putAll(extra);
        // Command-line arguments, because builder "properties" are defaults that application.yml overrides.
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(HeraldApplication.class)
                .initializers(ctx -> ((GenericApplicationContext) ctx).registerBean(ProviderFactory.class, provider::factory))
                .run(args);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void queuedMessagesAreDeliveredExactlyOnceAfterRestarts() throws Exception {
        long id;
        // 1. A process without workers fans the campaign out: 8 messages QUEUED, none delivered.
        try (ConfigurableApplicationContext first = start("api,scheduler", Map.of())) {
            Api api = api(first);
            id = api.post("/campaigns", "{\"name\":\"restart\",\"template\":\"Hi {{name}}\",\"segment_rule\":\"vip\"}")
                    .json().get("id").asLong();
            assertThat(api.post("/campaigns/" + id + "/send").status()).isEqualTo(202);
            JsonNode stats = api.waitForStats(id, s -> s.get("total").asLong() == 8);
            assertThat(stats.get("queued").asLong()).isEqualTo(8);
            assertThat(provider.calls).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("herald.mv.db"))).isTrue();

        // 2. A slow worker process delivers a few and is stopped in the middle.
        try (ConfigurableApplicationContext second = start("api,worker,scheduler",
                Map.of("herald.delivery.rate-per-sec", "4", "herald.delivery.batch-size", "1", "herald.delivery.consumers", "1"))) {
            Api api = api(second);
            api.waitForStats(id, s -> s.get("sent").asLong() >= 2);
        }
        int deliveredBeforeLastRestart = provider.delivered.size();
        assertThat(deliveredBeforeLastRestart).isBetween(2, 7);

        // 3. The next process finds the rest still QUEUED and finishes the campaign.
        try (ConfigurableApplicationContext third = start("api,worker,scheduler", Map.of())) {
            Api api = api(third);
            JsonNode stats = api.waitForStats(id, s -> s.get("status").asString().equals("COMPLETED"));
            assertThat(stats.get("total").asLong()).isEqualTo(8);
            assertThat(stats.get("sent").asLong()).isEqualTo(8);
            assertThat(stats.get("queued").asLong()).isZero();
            JsonNode messages = api.get("/campaigns/" + id + "/messages?limit=100").json().get("items");
            assertThat(messages).hasSize(8).allSatisfy(m -> {
                assertThat(m.get("status").asString()).isEqualTo("SENT");
                assertThat(m.get("attempts").asInt()).isEqualTo(1);
            });
        }
        assertThat(provider.delivered).hasSize(8).allSatisfy((key, n) -> assertThat(n.get()).as(key).isEqualTo(1));
        assertThat(provider.calls).allSatisfy((key, n) -> assertThat(n.get()).as(key).isEqualTo(1));
    }
}
