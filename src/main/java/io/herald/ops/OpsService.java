package io.herald.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.herald.Channel;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignNotFoundException;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.provider.ProviderRegistry;
import io.herald.stats.CampaignStats;
import io.herald.stats.StatsService;
import io.herald.stats.ThroughputSeries;
import io.herald.transport.Transport;

import org.springframework.stereotype.Service;

/**
 * Builds the operations summary from what is cheap to read: the transport's cached queue depths, the per-second
 * throughput series (never the messages), the campaigns' counters, the worker registry and the provider breakers.
 */
@Service
public class OpsService {
    static final int RATE_WINDOW_SECONDS = 10;
    static final int THROUGHPUT_MINUTES = 60;
    private static final int MAX_SENDING = 100;

    private final Transport transport;
    private final StatsService stats;
    private final CampaignService campaigns;
    private final ProviderRegistry providers;
    private final WorkerDirectory workers;

    OpsService(Transport transport, StatsService stats, CampaignService campaigns, ProviderRegistry providers,
               WorkerDirectory workers) {
        this.transport = transport;
        this.stats = stats;
        this.campaigns = campaigns;
        this.providers = providers;
        this.workers = workers;
    }

    public OpsSummary summary() {
        long nowSecond = System.currentTimeMillis() / 1000;
        return new OpsSummary(queues(), messagesPerSecond(nowSecond), throughput(nowSecond), failures(nowSecond),
                stats.failedTotal(), sending(), workers.counts(), providerStates());
    }

    List<OpsSummary.Queue> queues() {
        return transport.depths().stream()
                .map(d -> new OpsSummary.Queue(d.transport(), d.queue(), d.depth(), d.kind().wire()))
                .toList();
    }

    /**
     * Sent plus failed per second over the last {@value #RATE_WINDOW_SECONDS} complete seconds (the current second
     * is still being flushed by the workers).
     */
    private double messagesPerSecond(long nowSecond) {
        long finished = stats.installationThroughput(nowSecond - RATE_WINDOW_SECONDS, nowSecond, 1).stream()
                .mapToLong(p -> p.sent() + p.failed()).sum();
        return (double) finished / RATE_WINDOW_SECONDS;
    }

    /** One point per minute of the last hour, oldest first, the current minute last; minutes without outcomes are 0. */
    private List<OpsSummary.Minute> throughput(long nowSecond) {
        long currentMinute = nowSecond / 60 * 60;
        long from = currentMinute - (THROUGHPUT_MINUTES - 1) * 60L;
        Map<Long, ThroughputSeries.Point> byMinute = stats.installationThroughput(from, currentMinute + 60, 60).stream()
                .collect(Collectors.toMap(ThroughputSeries.Point::epochSecond, p -> p));
        List<OpsSummary.Minute> minutes = new ArrayList<>(THROUGHPUT_MINUTES);
        for (long minute = from; minute <= currentMinute; minute += 60) {
            ThroughputSeries.Point point = byMinute.get(minute);
            minutes.add(new OpsSummary.Minute(Instant.ofEpochSecond(minute), point == null ? 0 : point.sent(),
                    point == null ? 0 : point.failed()));
        }
        return minutes;
    }

    /** Messages failed for good in the last 60 seconds, per channel and its provider (every channel listed). */
    private List<OpsSummary.ProviderFailures> failures(long nowSecond) {
        Map<Channel, Long> byChannel = new EnumMap<>(Channel.class);
        Map<Long, Channel> channels = new HashMap<>();
        stats.failedByCampaign(nowSecond - 60, nowSecond).forEach((campaignId, failed) -> {
            Channel channel = channels.computeIfAbsent(campaignId, this::channelOf);
            if (channel != null) {
                byChannel.merge(channel, failed, Long::sum);
            }
        });
        List<OpsSummary.ProviderFailures> result = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            result.add(new OpsSummary.ProviderFailures(channel.key(), providers.nameOf(channel),
                    byChannel.getOrDefault(channel, 0L)));
        }
        return result;
    }

    private Channel channelOf(long campaignId) {
        try {
            return campaigns.get(campaignId).channel();
        } catch (CampaignNotFoundException e) {
            return null;
        }
    }

    private List<OpsSummary.SendingCampaign> sending() {
        List<Campaign> list = campaigns.list(CampaignStatus.SENDING, null, MAX_SENDING);
        Map<Long, CampaignStats> counters = stats.counters(list.stream().map(Campaign::id).toList());
        return list.stream().map(c -> {
            CampaignStats s = counters.getOrDefault(c.id(), CampaignStats.empty(c.id()));
            return new OpsSummary.SendingCampaign(c.id(), c.name(), s.sent(), s.failed(), s.total());
        }).toList();
    }

    List<OpsSummary.ProviderHealthState> providerStates() {
        List<OpsSummary.ProviderHealthState> result = new ArrayList<>();
        for (Channel channel : Channel.values()) {
            result.add(new OpsSummary.ProviderHealthState(channel.key(), providers.nameOf(channel),
                    providers.state(channel).state()));
        }
        return result;
    }
}
