package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.testsupport.Browser;
import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.ChildHerald;
import io.herald.testsupport.HeraldProcess;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import tools.jackson.databind.JsonNode;

/**
 * The Operations page in a real headless Chromium against a scaled-out installation: an API + scheduler process
 * (a context in this JVM, serving the console) and two worker processes in their own JVMs (so each has its own
 * pid), on a fresh PostgreSQL database and a RabbitMQ queue of this test's own. The page must list both workers
 * alive with their pids as the workers report them; while a 100-recipient campaign goes out (5 messages/s per
 * worker, so it lasts ~10 s) it is among the campaigns sending, linking to its page with a progress bar, and
 * messages per second are above zero; afterwards the last hour's throughput counts its 100 messages and both
 * workers show messages in their last minute. At phone width nothing scrolls sideways. Finally one worker is
 * killed (SIGKILL, no goodbye): once its heartbeats are overdue it is listed as lost, first and highlighted,
 * while the other stays alive. Screenshots go to target/screenshots/ops-*.png, the workers' logs to
 * target/ops-e2e-worker-*.log.
 */
class OperationsConsoleE2EIT {
    private static final int RECIPIENTS = 100;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Heartbeats come every 2 s here; the page polls every 3 s; a busy machine gets plenty of slack. */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
    /** A killed worker is lost 10 s after its last heartbeat (herald.ops.lost-after below). */
    private static final Duration LOST_TIMEOUT = Duration.ofSeconds(60);

    private final String queue = "herald.ops-e2e." + UUID.randomUUID().toString().substring(0, 8);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void operationsPageShowsTwoWorkersAndTheCampaignTheySend() throws Exception {
        Browser.requireConsole();
        Map<String, String> props = new HashMap<>(TestDatabase.POSTGRES.create());
        props.putAll(BrokerSupport.properties("rabbitmq", queue));
        props.put("herald.demo-data", "false");
        props.put("herald.provider.type", "mock");
        props.put("herald.provider.failure-rate", "0");
        // Slow enough (10 messages/s for both) that the campaign is seen sending, on a busy machine too.
        props.put("herald.delivery.rate-per-sec", "5");
        // Small broker messages, one in hand per consumer: both workers get a share of the 100 tasks.
        props.put("herald.rabbitmq.tasks-per-message", "10");
        props.put("herald.rabbitmq.prefetch", "1");
        props.put("herald.delivery.batch-size", "10");
        // Heartbeats every 2 s (default 10 s) and lost after 10 s of silence (default 30 s) keep the test short.
        props.put("herald.ops.heartbeat-interval", "2s");
        props.put("herald.ops.lost-after", "10s");

        List<ChildHerald> workers = new ArrayList<>();
        try (HeraldProcess api = HeraldProcess.start("api,scheduler", props)) {
            List<NewRecipient> people = new ArrayList<>();
            for (int i = 0; i < RECIPIENTS; i++) {
                people.add(new NewRecipient("Operator " + i, "operator" + i + "@example.com", null, List.of("ops"), Map.of()));
            }
            api.bean(AudienceService.class).insertAll(people, System.currentTimeMillis());
            for (int w = 1; w <= 2; w++) {
                workers.add(ChildHerald.start("ops-e2e-worker-" + w, "worker", null, props));
            }
            for (int w = 0; w < 2; w++) {
                awaitStarted(workers.get(w), Path.of("target", "ops-e2e-worker-" + (w + 1) + ".log"));
            }
            long first = workers.get(0).pid();
            long second = workers.get(1).pid();

            try (Browser b = Browser.start(api.baseUrl())) {
                try {
                    watchTheOperationsPage(api, b, first, second, workers.get(1));
                } catch (Throwable failure) {
                    // While the API still runs, so the shot shows what the test saw.
                    b.screenshot("FAILED-ops-console");
                    System.out.println("page at failure: " + b.describe());
                    throw failure;
                }
            }
        } finally {
            for (ChildHerald worker : workers) {
                worker.close();
            }
            BrokerSupport.cleanUp("rabbitmq", queue);
        }
    }

    private void watchTheOperationsPage(HeraldProcess api, Browser b, long first, long second, ChildHerald secondWorker)
            throws Exception {
        b.open("/ui/");
        b.click("nav-ops");
        b.until(d -> b.path().equals("/ui/ops"));
        assertThat(b.byTestId("ops-live-status").getText()).startsWith("Live: refreshed every");

        // Both workers, each under its own pid, alive.
        await(b, HEARTBEAT_TIMEOUT, () -> "alive".equals(workerState(b, first)) && "alive".equals(workerState(b, second)));
        for (long pid : List.of(first, second)) {
            WebElement row = workerRow(b, pid);
            assertThat(row.getText()).contains("worker", "rabbitmq");
            assertThat(row.findElement(Browser.testId("worker-heartbeat")).getText()).matches("now|\\d+ seconds? ago");
            assertThat(row.getDomAttribute("class") == null || !row.getDomAttribute("class").contains("bg-rose"))
                    .as("an alive worker is not highlighted").isTrue();
        }
        assertThat(number(b, "ops-workers-alive")).isGreaterThanOrEqualTo(2);
        // Broker statistics are cached for a few seconds: the queue may appear a refresh later.
        await(b, Browser.TIMEOUT, () -> b.allByTestId("queue-row").stream().anyMatch(r -> queue.equals(r.getDomAttribute("data-queue"))));
        b.screenshot("ops-01-two-workers");

        // A campaign goes out through them: seen among the campaigns sending, with messages per second.
        long id = api.post("/campaigns", Map.of("name", "Ops e2e", "channel", "email", "subject", "Hello",
                "template", "Hi {{name}}", "segment_rule", "ops")).json().get("id").asLong();
        assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
        String campaignRow = "[data-testid='ops-campaign-row'][data-campaign-id='" + id + "']";
        b.until(d -> !d.findElements(By.cssSelector(campaignRow)).isEmpty(), Duration.ofSeconds(30));
        WebElement sending = b.driver().findElement(By.cssSelector(campaignRow));
        assertThat(sending.findElement(Browser.testId("ops-campaign-link")).getText()).isEqualTo("Ops e2e");
        assertThat(sending.findElement(Browser.testId("ops-campaign-link")).getDomAttribute("href"))
                .isEqualTo("/ui/campaigns/" + id);
        // The campaign is listed as soon as it is SENDING; its total counts what fan-out has queued so far, so on a
        // busy machine the first refresh may show 0 of a campaign whose only page is not committed yet.
        b.until(d -> Integer.toString(RECIPIENTS).equals(d.findElement(By.cssSelector(campaignRow))
                .findElement(Browser.testId("ops-campaign-progress")).getDomAttribute("aria-valuemax")), Duration.ofSeconds(30));
        await(b, Duration.ofSeconds(30), () -> decimal(b, "ops-messages-per-second") > 0);
        b.screenshot("ops-02-campaign-sending");

        awaitCompleted(api, id);
        // Afterwards: no longer sending, its 100 messages in the hour's throughput and in the workers' last minute.
        b.until(d -> d.findElements(By.cssSelector(campaignRow)).isEmpty(), Duration.ofSeconds(30));
        await(b, Duration.ofSeconds(30), () -> number(b, "ops-hour-sent") >= RECIPIENTS);
        assertThat(number(b, "ops-hour-failed")).isZero();
        assertThat(Integer.parseInt(b.byTestId("ops-throughput-chart").getDomAttribute("data-points"))).isPositive();
        await(b, HEARTBEAT_TIMEOUT, () -> workerMessages(b, first) + workerMessages(b, second) >= RECIPIENTS);
        assertThat(workerMessages(b, first)).as("messages in the last minute of worker %d", first).isPositive();
        assertThat(workerMessages(b, second)).as("messages in the last minute of worker %d", second).isPositive();
        await(b, Browser.TIMEOUT, () -> b.allByTestId("provider-row").stream()
                .anyMatch(r -> "mock".equals(r.getDomAttribute("data-provider")) && "CLOSED".equals(r.getDomAttribute("data-state"))));
        b.screenshot("ops-03-after-the-campaign");

        // Phone width: the tables stack; once the chart has followed the window nothing scrolls sideways.
        b.phone();
        b.until(d -> b.allByTestId("worker-row").size() >= 2);
        b.untilNoHorizontalOverflow();
        b.screenshot("ops-04-phone");
        b.laptop();

        // A worker that dies without a word is lost: listed first and highlighted; the other stays alive.
        secondWorker.kill();
        await(b, LOST_TIMEOUT, () -> "lost".equals(workerState(b, second)));
        WebElement lost = b.allByTestId("worker-row").get(0);
        assertThat(lost.getDomAttribute("data-pid")).isEqualTo(Long.toString(second));
        assertThat(lost.getDomAttribute("class")).contains("bg-rose-50");
        assertThat(lost.findElement(Browser.testId("worker-state")).getText()).isEqualTo("lost");
        assertThat(workerState(b, first)).isEqualTo("alive");
        assertThat(number(b, "ops-workers-lost")).isGreaterThanOrEqualTo(1);
        b.screenshot("ops-05-worker-lost");

        List<String> errors = b.consoleErrors();
        errors.forEach(e -> System.out.println("browser console: " + e));
        assertThat(errors).noneMatch(e -> e.contains("Uncaught") || e.contains("TypeError"));
    }

    private static void awaitStarted(ChildHerald worker, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT.toMillis();
        while (!Files.exists(log) || !Files.readString(log).contains("Started HeraldApplication")) {
            assertThat(worker.alive()).as("worker starts (see %s)", log).isTrue();
            assertThat(System.currentTimeMillis()).as("worker started in time (see %s)", log).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitCompleted(HeraldProcess api, long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        JsonNode stats = api.get("/campaigns/" + id + "/stats").json();
        while (!"COMPLETED".equals(stats.get("status").asString())) {
            assertThat(System.currentTimeMillis()).as("campaign %d completes; last stats %s", id, stats).isLessThan(deadline);
            Thread.sleep(250);
            stats = api.get("/campaigns/" + id + "/stats").json();
        }
        assertThat(stats.get("sent").asLong()).isEqualTo(RECIPIENTS);
    }

    /** Waits for a condition over elements that a refresh of the page may replace meanwhile (Browser.until asks again). */
    private static void await(Browser b, Duration timeout, BooleanSupplier condition) {
        b.until(d -> condition.getAsBoolean(), timeout);
    }

    private static WebElement workerRow(Browser b, long pid) {
        return b.allByTestId("worker-row").stream().filter(r -> Long.toString(pid).equals(r.getDomAttribute("data-pid")))
                .findFirst().orElse(null);
    }

    /** The row's state, or null while the worker is not listed. */
    private static String workerState(Browser b, long pid) {
        WebElement row = workerRow(b, pid);
        return row == null ? null : row.getDomAttribute("data-state");
    }

    private static long workerMessages(Browser b, long pid) {
        WebElement row = workerRow(b, pid);
        return row == null ? -1 : parse(row.findElement(Browser.testId("worker-messages")).getText());
    }

    private static long number(Browser b, String testId) {
        return parse(b.byTestId(testId).getText());
    }

    private static double decimal(Browser b, String testId) {
        String text = b.byTestId(testId).getText().replace(",", "").trim();
        return text.matches("\\d+(\\.\\d+)?") ? Double.parseDouble(text) : -1;
    }

    private static long parse(String text) {
        String digits = text.replace(",", "").trim();
        return digits.matches("\\d+") ? Long.parseLong(digits) : -1;
    }
}
