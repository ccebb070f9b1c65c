package io.herald.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.herald.audience.AudienceService;
import io.herald.audience.NewRecipient;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignDraft;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.stats.CampaignStats;
import io.herald.stats.StatsService;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * End-to-end throughput run ({@code herald.bench.recipients=N}, driven by {@code bench/throughput}):
 * inserts N recipients, sends one campaign to them, prints progress every second and finally one JSON line
 * {@code {recipients, seconds, messages_per_sec, p50_ms, p95_ms}}, then exits. The clock starts at "send",
 * so fan-out, broker, delivery and outcome recording are all inside the measured time.
 */
@Component
@ConditionalOnProperty(name = "herald.bench.recipients")
class ThroughputBench {
    private static final int INSERT_BATCH = 5_000;

    private final AudienceService audience;
    private final CampaignService campaigns;
    private final StatsService stats;
    private final ConfigurableApplicationContext context;
    private final int recipients;
    private final long timeoutMs;

    ThroughputBench(AudienceService audience, CampaignService campaigns, StatsService stats,
                    ConfigurableApplicationContext context,
                    @Value("${herald.bench.recipients}") int recipients,
                    @Value("${herald.bench.timeout:30m}") java.time.Duration timeout) {
        this.audience = audience;
        this.campaigns = campaigns;
        this.stats = stats;
        this.context = context;
        this.recipients = recipients;
        this.timeoutMs = timeout.toMillis();
    }

    @EventListener(ApplicationReadyEvent.class)
    void startAfterReady() {
        Thread runner = new Thread(this::runAndExit, "herald-bench");
        runner.start();
    }

    private void runAndExit() {
        int code = 0;
        try {
            run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 1;
        }
        int exit = code;
        System.exit(SpringApplication.exit(context, () -> exit));
    }

    private void run() {
        String tag = "bench-" + System.currentTimeMillis();
        long t0 = System.nanoTime();
        List<NewRecipient> batch = new ArrayList<>(INSERT_BATCH);
        for (int i = 0; i < recipients; i++) {
            batch.add(new NewRecipient("Bench " + i, tag + "-" + i + "@bench.invalid", null, List.of("bench", tag),
                    Map.of()));
            if (batch.size() == INSERT_BATCH || i == recipients - 1) {
                audience.insertAll(batch, System.currentTimeMillis());
                batch.clear();
                if ((i + 1) % 50_000 == 0 || i == recipients - 1) {
                    progress("inserted %d recipients (%.1f s)", i + 1, seconds(t0));
                }
            }
        }
        Campaign campaign = campaigns.create(new CampaignDraft("Bench " + recipients, "Hi {{name}}, this is a benchmark.",
                tag, null, null));
        long start = System.nanoTime();
        campaigns.send(campaign.id());
        long lastDone = 0;
        long lastAt = start;
        while (true) {
            sleep(1_000);
            CampaignStats s = stats.get(campaign.id());
            long done = s.sent() + s.failed();
            long now = System.nanoTime();
            progress("t=%.1fs materialised=%d delivered=%d waiting=%d (%.0f msg/s now)", seconds(start), s.total(),
                    done, s.queued(), (done - lastDone) / Math.max(1e-9, (now - lastAt) / 1e9));
            lastDone = done;
            lastAt = now;
            CampaignStatus status = campaigns.get(campaign.id()).status();
            if (status == CampaignStatus.COMPLETED || (s.total() == recipients && done == recipients)) {
                double secs = seconds(start);
                CampaignStats fin = stats.get(campaign.id());
                System.out.println(String.format(Locale.ROOT,
                        "{\"recipients\":%d,\"seconds\":%.2f,\"messages_per_sec\":%.0f,\"p50_ms\":%d,\"p95_ms\":%d}",
                        recipients, secs, recipients / secs, fin.p50Ms(), fin.p95Ms()));
                return;
            }
            if ((now - start) / 1_000_000 > timeoutMs) {
                throw new IllegalStateException("benchmark did not finish within " + timeoutMs + " ms");
            }
        }
    }

    private static void progress(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
