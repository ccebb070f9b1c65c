package io.herald.ops;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.herald.Channel;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.provider.ProviderRegistry;
import io.herald.transport.QueueDepth;
import io.herald.transport.Transport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The operator's gauges (Prometheus names): {@code herald_queue_depth{transport,queue}} (Kafka: the group's lag per
 * topic), {@code herald_campaigns{status}}, {@code herald_circuit_breaker_state{channel,provider}} (0 closed,
 * 1 half-open, 2 open) and {@code herald_workers{state}} (alive, lost). Installation-wide values read from the
 * database and the broker, each at most once per {@code herald.ops.queue-depth-cache}; no campaign or recipient is
 * ever a label. A value that cannot be read (database or broker away) is absent (NaN), not a stale number.
 */
@Component
class OpsMetrics implements MeterBinder {
    private final Transport transport;
    private final TimedCache<Map<CampaignStatus, Long>> campaignCounts;
    private final TimedCache<Map<Channel, Integer>> breakerStates;
    private final TimedCache<WorkerDirectory.WorkerCounts> workerCounts;
    private final ProviderRegistry providers;
    private volatile MultiGauge queueDepths;

    OpsMetrics(Transport transport, CampaignService campaigns, ProviderRegistry providers, WorkerDirectory workers,
               OpsProperties properties) {
        this.transport = transport;
        this.providers = providers;
        long ttl = properties.queueDepthCache().toMillis();
        this.campaignCounts = new TimedCache<>(campaigns::countByStatus, ttl);
        this.breakerStates = new TimedCache<>(() -> {
            Map<Channel, Integer> states = new EnumMap<>(Channel.class);
            for (Channel channel : Channel.values()) {
                states.put(channel, breakerValue(providers.state(channel).state()));
            }
            return states;
        }, ttl);
        this.workerCounts = new TimedCache<>(workers::counts, ttl);
    }

    static int breakerValue(String state) {
        return switch (state) {
            case "OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        };
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (CampaignStatus status : CampaignStatus.values()) {
            Gauge.builder("herald.campaigns", campaignCounts, c -> {
                        Map<CampaignStatus, Long> counts = c.get();
                        return counts == null ? Double.NaN : counts.getOrDefault(status, 0L);
                    })
                    .description("Campaigns per status").tag("status", status.name()).strongReference(true).register(registry);
        }
        for (Channel channel : Channel.values()) {
            Gauge.builder("herald.circuit.breaker.state", breakerStates, c -> {
                        Map<Channel, Integer> states = c.get();
                        return states == null ? Double.NaN : states.get(channel);
                    })
                    .description("Provider circuit breaker across the workers: 0 closed, 1 half-open, 2 open")
                    .tags("channel", channel.key(), "provider", providers.nameOf(channel))
                    .strongReference(true).register(registry);
        }
        for (String state : List.of(WorkerInfo.ALIVE, WorkerInfo.LOST)) {
            Gauge.builder("herald.workers", workerCounts, c -> {
                        WorkerDirectory.WorkerCounts counts = c.get();
                        return counts == null ? Double.NaN : WorkerInfo.ALIVE.equals(state) ? counts.alive() : counts.lost();
                    })
                    .description("Worker processes by state").tag("state", state).strongReference(true).register(registry);
        }
        queueDepths = MultiGauge.builder("herald.queue.depth")
                .description("Work waiting per transport queue (Kafka: consumer-group lag per topic)")
                .register(registry);
        refreshQueueDepths();
    }

    /**
     * Queues come and go (a broker that is down has none), so the rows are re-registered from the transport's cached
     * depths; the broker is asked no more often than its cache allows.
     */
    @Scheduled(fixedDelayString = "${herald.ops.queue-depth-cache:5s}", initialDelayString = "${herald.ops.queue-depth-cache:5s}")
    void refreshQueueDepths() {
        MultiGauge gauge = queueDepths;
        if (gauge == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (QueueDepth depth : transport.depths()) {
            rows.add(MultiGauge.Row.of(Tags.of("transport", depth.transport(), "queue", depth.queue()), depth.depth()));
        }
        gauge.register(rows, true);
    }
}
