package io.herald.stats;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-campaign counters and latency histogram, kept incrementally in one row per campaign so that
 * reading stats never counts messages. Writers call {@link #apply} inside the transaction that
 * changes the messages, so counters always equal the rows.
 */
@Service
public class StatsService {
    private final JdbcClient jdbc;

    StatsService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the (zero) counters of a new campaign. */
    @Transactional
    public void init(long campaignId) {
        jdbc.sql("INSERT INTO campaign_stats (campaign_id, updated_at) VALUES (?, ?)")
                .params(campaignId, System.currentTimeMillis()).update();
    }

    /** Adds {@code delta} to the counters and records the latencies of newly sent messages. */
    @Transactional
    public void apply(long campaignId, StatsDelta delta, long[] sentLatenciesMs) {
        long now = System.currentTimeMillis();
        if (sentLatenciesMs.length == 0) {
            if (!delta.isZero()) {
                addCounters(campaignId, delta, now);
            }
            return;
        }
        // The histogram is read-modify-write: lock the row so concurrent batches merge, not overwrite.
        byte[] stored = jdbc.sql("SELECT latency_hist FROM campaign_stats WHERE campaign_id = ? FOR UPDATE")
                .param(campaignId).query(byte[].class).optional().orElse(null);
        Histogram histogram = LatencyHistogram.decode(stored);
        for (long latency : sentLatenciesMs) {
            LatencyHistogram.record(histogram, latency);
        }
        jdbc.sql("UPDATE campaign_stats SET total = total + ?, queued = queued + ?, sent = sent + ?, failed = failed + ?,"
                        + " retries = retries + ?, cancelled = cancelled + ?, latency_hist = ?, updated_at = ? WHERE campaign_id = ?")
                .params(delta.total(), delta.queued(), delta.sent(), delta.failed(), delta.retries(), delta.cancelled(),
                        LatencyHistogram.encode(histogram), now, campaignId)
                .update();
    }

    private void addCounters(long campaignId, StatsDelta delta, long now) {
        jdbc.sql("UPDATE campaign_stats SET total = total + ?, queued = queued + ?, sent = sent + ?, failed = failed + ?,"
                        + " retries = retries + ?, cancelled = cancelled + ?, updated_at = ? WHERE campaign_id = ?")
                .params(delta.total(), delta.queued(), delta.sent(), delta.failed(), delta.retries(), delta.cancelled(),
                        now, campaignId)
                .update();
    }

    /** Counters and p50/p95/p99 of one campaign (zeros before anything was sent). */
    @Transactional(readOnly = true)
    public CampaignStats get(long campaignId) {
        return jdbc.sql("SELECT campaign_id, total, queued, sent, failed, retries, cancelled, latency_hist"
                        + " FROM campaign_stats WHERE campaign_id = ?")
                .param(campaignId)
                .query((rs, row) -> {
                    Histogram h = LatencyHistogram.decode(rs.getBytes("latency_hist"));
                    boolean any = h.getTotalCount() > 0;
                    return new CampaignStats(rs.getLong("campaign_id"), rs.getLong("total"), rs.getLong("queued"),
                            rs.getLong("sent"), rs.getLong("failed"), rs.getLong("retries"), rs.getLong("cancelled"),
                            any ? h.getValueAtPercentile(50) : 0, any ? h.getValueAtPercentile(95) : 0,
                            any ? h.getValueAtPercentile(99) : 0);
                })
                .optional().orElseGet(() -> CampaignStats.empty(campaignId));
    }

    /** Messages of the campaign still waiting for delivery (cheap: no histogram decoding). */
    @Transactional(readOnly = true)
    public long queued(long campaignId) {
        return jdbc.sql("SELECT queued FROM campaign_stats WHERE campaign_id = ?").param(campaignId)
                .query(Long.class).optional().orElse(0L);
    }

    /** Counters (without percentiles) of several campaigns, for list views. */
    @Transactional(readOnly = true)
    public Map<Long, CampaignStats> counters(Collection<Long> campaignIds) {
        Map<Long, CampaignStats> result = new HashMap<>();
        if (campaignIds.isEmpty()) {
            return result;
        }
        jdbc.sql("SELECT campaign_id, total, queued, sent, failed, retries, cancelled FROM campaign_stats"
                        + " WHERE campaign_id IN (:ids)")
                .param("ids", campaignIds)
                .query(rs -> {
                    long id = rs.getLong(1);
                    result.put(id, new CampaignStats(id, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), 0, 0, 0));
                });
        return result;
    }
}
