package io.herald.web;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignService;
import io.herald.stats.StatsService;
import io.herald.web.CampaignViews.StatsView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Live stats over Server-Sent Events: one "stats" event about every 500 ms per subscriber. */
@RestController
@Tag(name = "Campaigns")
class StatsStreamController implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StatsStreamController.class);
    private static final long PERIOD_MS = 500;
    private static final long TIMEOUT_MS = 30 * 60_000L;

    private final CampaignService campaigns;
    private final StatsService stats;
    private final io.herald.provider.ProviderRegistry providers;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "herald-sse");
        t.setDaemon(true);
        return t;
    });
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

    StatsStreamController(CampaignService campaigns, StatsService stats, io.herald.provider.ProviderRegistry providers) {
        this.providers = providers;
        this.campaigns = campaigns;
        this.stats = stats;
        ticker.scheduleWithFixedDelay(this::push, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @GetMapping(path = "/campaigns/{id}/stats/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live stats stream (text/event-stream)", description = "Sends the stats object as event \"stats\" about every 500 ms")
    SseEmitter stream(@PathVariable long id) throws IOException {
        Campaign campaign = campaigns.get(id);
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscription subscription = new Subscription(id, emitter);
        emitter.onCompletion(() -> subscriptions.remove(subscription));
        emitter.onTimeout(() -> subscriptions.remove(subscription));
        emitter.onError(e -> subscriptions.remove(subscription));
        emitter.send(SseEmitter.event().name("stats").data(StatsView.of(campaign, stats.get(id), providers.state(campaign.channel())), MediaType.APPLICATION_JSON));
        subscriptions.add(subscription);
        return emitter;
    }

    private void push() {
        for (Subscription s : subscriptions) {
            try {
                io.herald.campaign.Campaign campaign = campaigns.get(s.campaignId());
                StatsView view = StatsView.of(campaign, stats.get(s.campaignId()), providers.state(campaign.channel()));
                s.emitter().send(SseEmitter.event().name("stats").data(view, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                subscriptions.remove(s);
            } catch (RuntimeException e) {
                log.debug("Stats push failed: {}", e.toString());
                subscriptions.remove(s);
                s.emitter().completeWithError(e);
            }
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
        subscriptions.forEach(s -> s.emitter().complete());
    }

    private record Subscription(long campaignId, SseEmitter emitter) {
    }
}
