package io.herald.stats;

/**
 * A campaign's delivery counters and latency percentiles (milliseconds from queued to sent).
 * {@code queued} counts messages still waiting for delivery, including those waiting for a retry;
 * {@code unsubscribed} counts recipients who left through this campaign's unsubscribe links. What providers
 * report after accepting a message: {@code segments} (SMS parts of the sent messages), {@code delivered} and
 * {@code undelivered} (delivery receipts), {@code bounced} (hard or soft) and {@code complaints}. What recipients
 * did with an email: {@code opens} and {@code clicks} count recipients who opened / clicked at least once.
 */
public record CampaignStats(long campaignId, long total, long queued, long sent, long failed, long retries,
                            long cancelled, long unsubscribed, long segments, long delivered, long undelivered,
                            long bounced, long complaints, long opens, long clicks, long p50Ms, long p95Ms, long p99Ms) {
    public static CampaignStats empty(long campaignId) {
        return new CampaignStats(campaignId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
