package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.HeraldApplication;
import io.herald.testsupport.Api;
import io.herald.testsupport.Api.Response;
import io.herald.campaign.CampaignEvents;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

import tools.jackson.databind.JsonNode;

/**
 * Scheduling across processes: Herald instances are whole Spring contexts started and stopped by the test
 * on one shared database, as separate processes would be.
 */
abstract class AbstractSchedulingIT {
    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    /** Properties of a fresh database; called once per test. */
    abstract Map<String, String> newDatabase();

    /** Records every campaign this instance started sending. */
    static class SendStartedLog {
        final List<Long> started = new CopyOnWriteArrayList<>();

        @EventListener
        void on(CampaignEvents.SendStarted event) {
            started.add(event.campaignId());
        }
    }

    ConfigurableApplicationContext start(Map<String, String> database, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(database);
        properties.put("server.port", "0");
        properties.put("herald.demo-data", "false");
        properties.put("herald.provider.failure-rate", "0");
        properties.put("herald.delivery.rate-per-sec", "0");
        properties.put("herald.scheduler.poll-interval", "50ms");
        properties.put("herald.import.dir", System.getProperty("java.io.tmpdir"));
        properties.putAll(extra);
        // Command-line arguments, so they win over application.yml (builder "properties" are only defaults).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HeraldApplication.class, SendStartedLog.class)
                .run(args);
        contexts.add(context);
        return context;
    }

    static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @AfterEach
    void stopAll() {
        contexts.forEach(ConfigurableApplicationContext::close);
        contexts.clear();
    }

    @Test
    void scheduledCampaignSendsAfterARestart() {
        Map<String, String> db = newDatabase();
        ConfigurableApplicationContext first = start(db, Map.of());
        Api api = api(first);
        List<Long> recipients = createRecipients(api, "restart", 3);
        long due = api.post("/campaigns", Map.of("name", "After restart", "template", "Hi {{name}}", "segment_rule", "restart",
                "scheduled_at", OffsetDateTime.now().plusSeconds(3).toString())).json().get("id").asLong();
        // due while Herald is down: the next start sends it at once
        long overdue = api.post("/campaigns", Map.of("name", "Overdue", "template", "Hi {{name}}", "segment_rule", "restart",
                "scheduled_at", OffsetDateTime.now().plusSeconds(1).toString())).json().get("id").asLong();
        first.close();
        AbstractAudienceIT.sleep(1500);

        ConfigurableApplicationContext second = start(db, Map.of());
        Api again = api(second);
        for (long id : List.of(due, overdue)) {
            JsonNode done = awaitCompleted(again, id);
            assertThat(done.get("sent").asLong()).isEqualTo(3);
            assertThat(messageRecipients(again, id)).containsExactlyInAnyOrderElementsOf(recipients);
        }
        assertThat(second.getBean(SendStartedLog.class).started).containsExactlyInAnyOrder(due, overdue);
    }

    @Test
    void twoSchedulersStartEachCampaignExactlyOnce() {
        Map<String, String> db = newDatabase();
        ConfigurableApplicationContext a = start(db, Map.of());
        ConfigurableApplicationContext b = start(db, Map.of());
        Api api = api(a);
        List<Long> recipients = createRecipients(api, "twice", 25);
        OffsetDateTime due = OffsetDateTime.now().plusSeconds(2);
        List<Long> campaigns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            campaigns.add(api.post("/campaigns", Map.of("name", "Race " + i, "template", "Hi {{name}}", "segment_rule", "twice",
                    "scheduled_at", due.toString())).json().get("id").asLong());
        }
        for (long id : campaigns) {
            JsonNode done = awaitCompleted(api(b), id);
            assertThat(done.get("total").asLong()).isEqualTo(25);
            assertThat(done.get("sent").asLong()).isEqualTo(25);
            assertThat(messageRecipients(api, id)).containsExactlyInAnyOrderElementsOf(recipients);
        }
        List<Long> started = new ArrayList<>(a.getBean(SendStartedLog.class).started);
        started.addAll(b.getBean(SendStartedLog.class).started);
        assertThat(started).containsExactlyInAnyOrderElementsOf(campaigns);
    }

    @Test
    void pauseStopsDeliveryWithinSecondsResumeFinishesAndCancelDropsTheRest() {
        Map<String, String> db = newDatabase();
        // 20/s: consumers take batches of one second of the rate (20 tasks), and the four consumers' batches share
        // the 20/s, so each is in progress for seconds when the pause comes; the pause must interrupt them part-way.
        ConfigurableApplicationContext herald = start(db, Map.of("herald.delivery.rate-per-sec", "20"));
        Api api = api(herald);
        createRecipients(api, "slow", 200);
        long id = api.post("/campaigns", Map.of("name", "Slow", "template", "Hi", "segment_rule", "slow")).json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send", Map.of()).status()).isEqualTo(202);
        AbstractAudienceIT.sleep(1500);
        Response paused = api.post("/campaigns/" + id + "/pause", Map.of());
        assertThat(paused.json().get("status").asString()).isEqualTo("PAUSED");
        AbstractAudienceIT.sleep(2500);
        long sentWhilePausing = api.get("/campaigns/" + id).json().get("sent").asLong();
        AbstractAudienceIT.sleep(2000);
        JsonNode stillPaused = api.get("/campaigns/" + id).json();
        assertThat(stillPaused.get("sent").asLong()).as("no deliveries while paused").isEqualTo(sentWhilePausing);
        assertThat(sentWhilePausing).isLessThan(200);
        assertThat(api.post("/campaigns/" + id + "/pause", Map.of()).status()).isEqualTo(409);

        assertThat(api.post("/campaigns/" + id + "/resume", Map.of()).json().get("status").asString()).isEqualTo("SENDING");
        JsonNode done = awaitCompleted(api, id);
        assertThat(done.get("sent").asLong()).isEqualTo(200);
        assertThat(messageRecipients(api, id)).hasSize(200);

        long other = api.post("/campaigns", Map.of("name", "Cancelled", "template", "Hi", "segment_rule", "slow")).json().get("id").asLong();
        api.post("/campaigns/" + other + "/send", Map.of());
        AbstractAudienceIT.sleep(1500);
        assertThat(api.post("/campaigns/" + other + "/cancel", Map.of()).json().get("status").asString()).isEqualTo("CANCELLED");
        AbstractAudienceIT.sleep(2500);
        JsonNode afterCancel = api.get("/campaigns/" + other + "/stats").json();
        AbstractAudienceIT.sleep(1500);
        JsonNode later = api.get("/campaigns/" + other + "/stats").json();
        assertThat(later.get("sent").asLong()).isEqualTo(afterCancel.get("sent").asLong()).isLessThan(200);
        assertThat(later.get("sent").asLong() + later.get("cancelled").asLong()).isEqualTo(200);
        assertThat(api.post("/campaigns/" + other + "/resume", Map.of()).status()).isEqualTo(409);
    }

    static List<Long> createRecipients(Api api, String tag, int n) {
        StringBuilder csv = new StringBuilder("name,email\n");
        for (int i = 0; i < n; i++) {
            csv.append("R").append(i).append(',').append(tag).append(i).append("@example.com\n");
        }
        Response imported = api.upload("/recipients/import", "r.csv", csv.toString().getBytes(), Map.of("tags", tag));
        assertThat(imported.json().get("imported").asLong()).as(imported.body()).isEqualTo(n);
        List<Long> ids = new ArrayList<>();
        api.get("/recipients?limit=500&tag=" + tag).json().get("items").forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    static JsonNode awaitCompleted(Api api, long id) {
        JsonNode c = AbstractAudienceIT.await(() -> api.get("/campaigns/" + id).json(),
                j -> j.get("status").asString().equals("COMPLETED"), Duration.ofSeconds(40));
        assertThat(c.get("status").asString()).as(c.toString()).isEqualTo("COMPLETED");
        return c;
    }

    static List<Long> messageRecipients(Api api, long id) {
        List<Long> ids = new ArrayList<>();
        api.get("/campaigns/" + id + "/messages?limit=1000").json().get("items")
                .forEach(m -> ids.add(m.get("recipient").get("id").asLong()));
        assertThat(new java.util.HashSet<>(ids)).as("one message per recipient").hasSize(ids.size());
        return ids;
    }
}
