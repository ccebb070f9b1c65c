package io.herald.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static io.herald.testsupport.TestTags.EXCLUSIVE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window cap and waiting for it, on MariaDB (Bucket4j's MySQL proxy manager) with one all-roles Herald:
 * {@code window=5s, max-per-window=20} lets 20 emails through per 5-second window of the clock; and a campaign waiting
 * for a window that ran out ({@code 3 per 7 days}) can still be paused and cancelled at once, and its worker stops
 * waiting.
 */
@Tag(EXCLUSIVE) // runs alone: it times how soon pause and cancel answer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelRateCapWindowIT {
    private static final long WINDOW_MS = 5_000;
    private static final int PER_WINDOW = 20;
    private static final int EMAILS = 45;
    private static final int HELD_SMS = 10;

    private ArrivalRecorder receiver;
    private HeraldProcess herald;

    @BeforeAll
    void start() throws Exception {
        receiver = new ArrivalRecorder();
        Map<String, String> props = new HashMap<>(TestDatabase.MARIADB.create());
        props.put("herald.transport", "inmemory");
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.type", "webhook");
        props.put("herald.provider.webhook.url", receiver.url("herald"));
        props.put("herald.channels.email.window", WINDOW_MS + "ms");
        props.put("herald.channels.email.max-per-window", Integer.toString(PER_WINDOW));
        props.put("herald.channels.sms.window", "7d");
        props.put("herald.channels.sms.max-per-window", "3");
        herald = HeraldProcess.start("api,worker,scheduler", props);
        List<NewRecipient> people = new ArrayList<>();
        for (int i = 0; i < EMAILS; i++) {
            people.add(new NewRecipient("Win " + i, "win" + i + "@example.com", null, List.of("win"), Map.of()));
        }
        for (int i = 0; i < HELD_SMS; i++) {
            people.add(new NewRecipient("Held " + i, null, String.format("+8869121%05d", i), List.of("held"), Map.of()));
        }
        herald.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
    }

    @AfterAll
    void stop() {
        if (herald != null) {
            herald.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    @Timeout(60)
    void atMostMaxPerWindowOfTheClock() throws Exception {
        // Start well inside a window, so its 20 calls cannot straddle the boundary on their way to the receiver.
        long into = System.currentTimeMillis() % WINDOW_MS;
        if (into > WINDOW_MS - 2_000) {
            Thread.sleep(WINDOW_MS - into + 100);
        }
        long id = send(Map.of("name", "Windowed", "template", "Hi {{name}}", "segment_rule", "win",
                "channel", "email", "subject", "Windowed"));
        String prefix = "herald-" + id + "-";
        await(() -> receiver.distinctKeys(prefix) == EMAILS, Duration.ofSeconds(30), "all emails arrive");

        List<Long> arrivals = receiver.arrivals(prefix);
        Map<Long, Integer> perWindow = new TreeMap<>();
        arrivals.forEach(t -> perWindow.merge(t / WINDOW_MS, 1, Integer::sum));
        double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1000.0;
        System.out.printf("[rate-cap-window] %d emails at %d per %d ms window: per window %s, %.1f s first to last%n",
                EMAILS, PER_WINDOW, WINDOW_MS, perWindow.values(), seconds);
        assertThat(perWindow.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(PER_WINDOW));
        assertThat(perWindow.values()).containsExactly(20, 20, 5);
        assertThat(seconds).isGreaterThan(WINDOW_MS / 1000.0);
    }

    @Test
    @Timeout(60)
    void waitingForAnExhaustedWindowDoesNotHoldUpPauseOrCancel() throws Exception {
        ChannelRateCaps caps = herald.bean(ChannelRateCaps.class);
        long id = send(Map.of("name", "Held", "template", "Hi {{name}}", "segment_rule", "held", "channel", "sms"));
        String prefix = "herald-" + id + "-";
        // (One consumer thread or several, depending on how the fan-out split the tasks into batches.)
        await(() -> receiver.distinctKeys(prefix) == 3 && caps.waiting() >= 1, Duration.ofSeconds(20),
                "3 SMS go out, then the worker waits for the next window");

        long asked = System.nanoTime();
        assertThat(herald.post("/campaigns/" + id + "/pause", null).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("pause answers at once").isLessThan(Duration.ofSeconds(1));
        await(() -> caps.waiting() == 0, Duration.ofSeconds(3), "the worker stops waiting after the pause");
        long stoppedAfter = (System.nanoTime() - asked) / 1_000_000;
        System.out.printf("[rate-cap-window] paused: the worker stopped waiting %d ms after the pause request%n", stoppedAfter);

        assertThat(herald.post("/campaigns/" + id + "/resume", null).status()).isEqualTo(200);
        await(() -> caps.waiting() >= 1, Duration.ofSeconds(10), "after resume the worker waits again");

        asked = System.nanoTime();
        assertThat(herald.post("/campaigns/" + id + "/cancel", null).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("cancel answers at once").isLessThan(Duration.ofSeconds(1));
        await(() -> caps.waiting() == 0, Duration.ofSeconds(3), "the worker stops waiting after the cancel");
        JsonNode stats = herald.get("/campaigns/" + id + "/stats").json();
        assertThat(stats.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(stats.get("sent").asLong()).isEqualTo(3);
        assertThat(receiver.distinctKeys(prefix)).as("no SMS beyond the window's 3").isEqualTo(3);
    }

    private long send(Map<String, Object> campaign) {
        long id = herald.post("/campaigns", campaign).json().get("id").asLong();
        assertThat(herald.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
        return id;
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
