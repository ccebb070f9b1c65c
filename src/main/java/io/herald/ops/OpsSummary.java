package io.herald.ops;

import java.time.Instant;
import java.util.List;

/**
 * The operations page at a glance (GET /ops/summary): queue depths or lag per transport queue, messages finished per
 * second (last 10 s) and per minute (last hour), messages that failed for good in the last minute per channel and
 * provider, dead letters of all campaigns, the campaigns sending now, worker counts and provider breaker states.
 */
public record OpsSummary(List<Queue> queues, double messagesPerSecond, List<Minute> throughput,
                         List<ProviderFailures> failuresPerMinute, long deadLetters, List<SendingCampaign> campaignsSending,
                         WorkerDirectory.WorkerCounts workers, List<ProviderHealthState> providers) {

    /** {@code kind}: "depth" (messages held) or "lag" (Kafka records behind the consumer group). */
    public record Queue(String transport, String queue, long depth, String kind) {
    }

    /** The minute starting {@code at}: messages sent and failed for good in it, all campaigns together. */
    public record Minute(Instant at, long sent, long failed) {
    }

    public record ProviderFailures(String channel, String provider, long failures) {
    }

    public record SendingCampaign(long id, String name, long sent, long failed, long total) {
    }

    /** {@code state}: CLOSED, OPEN or HALF_OPEN, the worst any worker reported in the last minute. */
    public record ProviderHealthState(String channel, String provider, String state) {
    }
}
