package io.herald.delivery;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker that shuts down while its batch waits for a window cap that ran out does not hang until the window ends:
 * it stops waiting, records what it sent, and hands the rest of the batch back (the rows stay pending). Embedded H2,
 * where the cap's bucket lives in the process.
 */
class ChannelRateCapShutdownIT {

    @Test
    @Timeout(60)
    void shutdownEndsTheWaitAndLeavesTheRestPending() throws Exception {
        Map<String, String> database = TestDatabase.H2.create();
        Map<String, String> props = new HashMap<>(database);
        try (ArrivalRecorder receiver = new ArrivalRecorder()) {
            props.put("herald.demo-data", "false");
            props.put("herald.delivery.rate-per-sec", "0");
            props.put("herald.provider.type", "webhook");
            props.put("herald.provider.webhook.url", receiver.url("herald"));
            props.put("herald.channels.sms.window", "7d");
            props.put("herald.channels.sms.max-per-window", "1");
            HeraldProcess herald = HeraldProcess.start("api,worker,scheduler", props);
            List<NewRecipient> people = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                people.add(new NewRecipient("Late " + i, null, String.format("+8869122%05d", i), List.of("late"), Map.of()));
            }
            herald.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
            ChannelRateCaps caps = herald.bean(ChannelRateCaps.class);
            long id = herald.post("/campaigns", Map.of("name", "Late", "template", "Hi", "segment_rule", "late",
                    "channel", "sms")).json().get("id").asLong();
            assertThat(herald.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
            long deadline = System.currentTimeMillis() + 20_000;
            // The fan-out may split the 3 tasks between consumer threads: one or two of them wait.
            while (!(receiver.distinctKeys("herald-" + id + "-") == 1 && caps.waiting() >= 1)) {
                assertThat(System.currentTimeMillis()).as("one SMS sent, then the worker waits").isLessThan(deadline);
                Thread.sleep(20);
            }

            long closing = System.nanoTime();
            CompletableFuture.runAsync(herald::close).get(15, TimeUnit.SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - closing);
            System.out.printf("[rate-cap-shutdown] the worker shut down in %d ms while waiting for a 7-day window%n",
                    took.toMillis());
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            assertThat(caps.waiting()).isZero();
            assertThat(receiver.distinctKeys("herald-" + id + "-")).isEqualTo(1);

            Map<String, Integer> rows = new TreeMap<>();
            try (Connection c = DriverManager.getConnection(database.get("spring.datasource.url"), "sa", "");
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT status, COUNT(*) FROM messages WHERE campaign_id = " + id + " GROUP BY status")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getInt(2));
                }
            }
            assertThat(rows).as("sent one, the rest still pending for the next start").isEqualTo(Map.of("SENT", 1, "QUEUED", 2));
        }
    }
}
