package io.herald.stats;

/**
 * A campaign's delivery counters and latency percentiles (milliseconds from queued to sent).
 * {@code queued} counts messages still waiting for delivery, including those waiting for a retry;
 * {@code unsubscribed} counts recipients who left through this campaign's unsubscribe links.
 */
public record CampaignStats(long campaignId, long total, long queued, long sent, long failed, long retries,
                            long cancelled, long unsubscribed, long p50Ms, long p95Ms, long p99Ms) {
    public static CampaignStats empty(long campaignId) {
        return new CampaignStats(campaignId, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
