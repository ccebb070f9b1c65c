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

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * End-to-end throughput benchmark ({@code bench/throughput}): loads {@code herald.bench.recipients}
 * synthetic recipients, sends one campaign to all of them, prints progress each second and finally
 * one JSON line {@code {recipients, segment, seconds, messages_per_sec, p50_ms, p95_ms}}, then exits.
 * Seconds run from the send request to the campaign being COMPLETED (fan-out, queue, delivery, outcome writes).
 * Every recipient carries the tags {@code bench} and {@code all} and an attribute {@code city}, so an expression
 * ({@code herald.bench.segment}, e.g. {@code bench and (all or none) and not churned and has(city)}) selects the
 * same recipients as the default single-tag segment {@code bench}: the two runs compare the fan-out paths alone.
 * <p>
 * {@code herald.bench.warmup} recipients (tagged {@code warmup} only, no attributes, so no segment over the
 * measured ones selects them) first get a campaign of their own that is not measured. A fresh JVM spends about
 * half of its CPU during a 1M send compiling the send path (C1/C2 threads, README), which a running server has
 * done long before; the warm-up measures the steady state, {@code warmup=0} the cold start.
 */
@Component
@Order(10)
@ConditionalOnProperty("herald.bench.recipients")
class ThroughputBenchmark implements ApplicationRunner {
    private static final int LOAD_BATCH = 5_000;
    static final String TAG = "bench";
    private static final String WARMUP_TAG = "warmup";
    // The warm-up sends the same message to recipients with the same attributes, so that it runs the code the measured
    // send runs (the template's attribute lookups, the attributes' parsing), not a plainer path.
    private static final String SUBJECT = "Message {{n}}";
    private static final String BODY = "Hi {{name}}, this is message {{n}}.";
    private static final List<String> CITIES = List.of("Taipei", "Tainan", "Kaohsiung", "Taichung");

    private final AudienceService audience;
    private final CampaignService campaigns;
    private final StatsService stats;
    private final ConfigurableApplicationContext context;
    private final int recipients;
    private final String segment;
    private final boolean exit;
    private final int warmup;

    ThroughputBenchmark(AudienceService audience, CampaignService campaigns, StatsService stats,
                        ConfigurableApplicationContext context,
                        @org.springframework.beans.factory.annotation.Value("${herald.bench.recipients}") int recipients,
                        @org.springframework.beans.factory.annotation.Value("${herald.bench.segment:}") String segment,
                        @org.springframework.beans.factory.annotation.Value("${herald.bench.exit:true}") boolean exit,
                        @org.springframework.beans.factory.annotation.Value("${herald.bench.warmup:0}") int warmup) {
        this.audience = audience;
        this.campaigns = campaigns;
        this.stats = stats;
        this.context = context;
        this.recipients = recipients;
        this.segment = segment == null || segment.isBlank() ? TAG : segment;
        this.exit = exit;
        this.warmup = Math.max(0, warmup);
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        // The database is fresh for each run; the run id only keeps emails and the campaign name apart.
        String run = "bench" + Long.toString(System.currentTimeMillis(), 36);
        long loadStart = System.nanoTime();
        for (int offset = 0; offset < recipients; offset += LOAD_BATCH) {
            List<NewRecipient> batch = new ArrayList<>(LOAD_BATCH);
            for (int i = offset; i < Math.min(recipients, offset + LOAD_BATCH); i++) {
                batch.add(new NewRecipient("Bench " + i, run + "-" + i + "@bench.example", null, List.of(TAG, "all"),
                        Map.of("n", Integer.toString(i), "city", CITIES.get(i % CITIES.size()))));
            }
            audience.insertAll(batch, System.currentTimeMillis());
            print("loaded %d/%d recipients", Math.min(recipients, offset + LOAD_BATCH), recipients);
        }
        print("loaded %d recipients in %.1f s", recipients, (System.nanoTime() - loadStart) / 1e9);
        if (warmup > 0) {
            warmUp(run);
        }

        print("segment: %s", segment);
        Campaign campaign = campaigns.create(new CampaignDraft("Throughput benchmark " + run, io.herald.Channel.EMAIL,
                SUBJECT, BODY, "text", null, null, null, segment, null, null));
        long start = System.nanoTime();
        campaigns.send(campaign.id());
        CampaignStats s;
        long lastSent = 0;
        long lastTick = start;
        while (true) {
            Thread.sleep(1000);
            s = stats.get(campaign.id());
            long now = System.nanoTime();
            print("total=%d queued=%d sent=%d failed=%d rate=%.0f/s", s.total(), s.queued(), s.sent(), s.failed(),
                    (s.sent() - lastSent) / ((now - lastTick) / 1e9));
            lastSent = s.sent();
            lastTick = now;
            if (campaigns.get(campaign.id()).status() == CampaignStatus.COMPLETED) {
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "{\"recipients\":%d,\"segment\":\"%s\",\"warmup\":%d,\"seconds\":%.2f,\"messages_per_sec\":%.0f,\"p50_ms\":%d,\"p95_ms\":%d}",
                s.total(), segment.replace("\\", "\\\\").replace("\"", "\\\""), warmup, seconds, s.sent() / seconds, s.p50Ms(), s.p95Ms()));
        if (exit) {
            System.exit(SpringApplication.exit(context, () -> 0));
        }
    }

    /** Sends a campaign to {@link #warmup} recipients of its own and waits for it; nothing of it is reported but its time. */
    private void warmUp(String run) throws InterruptedException {
        for (int offset = 0; offset < warmup; offset += LOAD_BATCH) {
            List<NewRecipient> batch = new ArrayList<>(LOAD_BATCH);
            for (int i = offset; i < Math.min(warmup, offset + LOAD_BATCH); i++) {
                batch.add(new NewRecipient("Warm " + i, run + "-warm-" + i + "@bench.example", null, List.of(WARMUP_TAG),
                        Map.of("n", Integer.toString(i), "city", CITIES.get(i % CITIES.size()))));
            }
            audience.insertAll(batch, System.currentTimeMillis());
        }
        Campaign campaign = campaigns.create(new CampaignDraft("Throughput benchmark warm-up " + run, io.herald.Channel.EMAIL,
                SUBJECT, BODY, "text", null, null, null, WARMUP_TAG, null, null));
        long start = System.nanoTime();
        campaigns.send(campaign.id());
        while (campaigns.get(campaign.id()).status() != CampaignStatus.COMPLETED) {
            Thread.sleep(200);
        }
        print("warm-up: %d messages in %.1f s (not measured)", warmup, (System.nanoTime() - start) / 1e9);
    }

    private static void print(String format, Object... args) {
        System.out.println("[bench] " + String.format(Locale.ROOT, format, args));
    }
}
