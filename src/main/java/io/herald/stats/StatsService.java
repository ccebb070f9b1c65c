package io.herald.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.CounterSeries;

import org.HdrHistogram.Histogram;
import org.springframework.jdbc.core.JdbcTemplate;
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
    private final JdbcTemplate jdbcTemplate;

    StatsService(JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
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
                        + " retries = retries + ?, cancelled = cancelled + ?, segments = segments + ?, latency_hist = ?,"
                        + " updated_at = ? WHERE campaign_id = ?")
                .params(delta.total(), delta.queued(), delta.sent(), delta.failed(), delta.retries(), delta.cancelled(),
                        delta.segments(), LatencyHistogram.encode(histogram), now, campaignId)
                .update();
    }

    private void addCounters(long campaignId, StatsDelta delta, long now) {
        jdbc.sql("UPDATE campaign_stats SET total = total + ?, queued = queued + ?, sent = sent + ?, failed = failed + ?,"
                        + " retries = retries + ?, cancelled = cancelled + ?, segments = segments + ?, updated_at = ?"
                        + " WHERE campaign_id = ?")
                .params(delta.total(), delta.queued(), delta.sent(), delta.failed(), delta.retries(), delta.cancelled(),
                        delta.segments(), now, campaignId)
                .update();
    }

    /** Counts one recipient who left through the campaign's unsubscribe link. */
    @Transactional
    public void addUnsubscribed(long campaignId) {
        jdbc.sql("UPDATE campaign_stats SET unsubscribed = unsubscribed + 1, updated_at = ? WHERE campaign_id = ?")
                .params(System.currentTimeMillis(), campaignId).update();
    }

    /**
     * Counts what a provider reported about one message after accepting it (a delivery receipt, a bounce, a
     * complaint). Callers move each message's report at most once per kind, so counters stay exact.
     */
    @Transactional
    public void addFeedback(long campaignId, long delivered, long undelivered, long bounced, long complaints) {
        jdbc.sql("UPDATE campaign_stats SET delivered = delivered + ?, undelivered = undelivered + ?, bounced = bounced + ?,"
                        + " complaints = complaints + ?, updated_at = ? WHERE campaign_id = ?")
                .params(delivered, undelivered, bounced, complaints, System.currentTimeMillis(), campaignId).update();
    }

    /**
     * Counts recipients who opened or clicked for the first time (unique opens and clicks); the tracking writer
     * passes only the first-event rows it inserted, so counters stay exact.
     */
    @Transactional
    public void addEngagement(long campaignId, long opens, long clicks) {
        jdbc.sql("UPDATE campaign_stats SET opens = opens + ?, clicks = clicks + ?, updated_at = ? WHERE campaign_id = ?")
                .params(opens, clicks, System.currentTimeMillis(), campaignId).update();
    }

    /**
     * Adds {@code {sent, failed}} counts to the throughput series rows (update, else insert). Two processes
     * inserting the same row at once make one of them fail; {@link ThroughputRecorder} retries it.
     */
    @Transactional
    void addThroughput(Map<ThroughputKey, long[]> counts) {
        List<Object[]> updates = new ArrayList<>(counts.size());
        counts.forEach((key, c) -> {
            if (c[0] != 0 || c[1] != 0) { // MariaDB reports an unchanged row as not updated
                updates.add(new Object[]{c[0], c[1], key.campaignId(), key.epochSecond()});
            }
        });
        if (updates.isEmpty()) {
            return;
        }
        int[] updated = jdbcTemplate.batchUpdate("UPDATE campaign_throughput SET sent = sent + ?, failed = failed + ?"
                + " WHERE campaign_id = ? AND epoch_second = ?", updates);
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                Object[] u = updates.get(i);
                inserts.add(new Object[]{u[2], u[3], u[0], u[1]});
            }
        }
        if (!inserts.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO campaign_throughput (campaign_id, epoch_second, sent, failed)"
                    + " VALUES (?, ?, ?, ?)", inserts);
        }
    }

    /**
     * The campaign's throughput in at most {@code maxPoints} equal buckets of whole seconds, oldest first
     * (empty before anything finished). Reads the per-second rows, never the messages.
     */
    @Transactional(readOnly = true)
    public ThroughputSeries throughput(long campaignId, int maxPoints) {
        CounterSeries series = CounterSeries.read(jdbc, "campaign_throughput", "epoch_second", "sent", "failed",
                campaignId, maxPoints);
        return new ThroughputSeries(campaignId, series.bucket(), series.points().stream()
                .map(p -> new ThroughputSeries.Point(p.start(), p.first(), p.second())).toList());
    }

    /**
     * The whole installation's throughput from {@code fromSecond} (inclusive) to {@code toSecond} (exclusive) in
     * buckets of {@code bucketSeconds} aligned to multiples of it, oldest first; buckets without outcomes are left
     * out. Reads the per-second series rows of that window (an index on the second), never the messages.
     */
    @Transactional(readOnly = true)
    public List<ThroughputSeries.Point> installationThroughput(long fromSecond, long toSecond, long bucketSeconds) {
        long bucket = Math.max(1, bucketSeconds);
        return jdbc.sql("SELECT b, SUM(sent), SUM(failed) FROM (SELECT FLOOR(epoch_second / ?) AS b, sent, failed"
                        + " FROM campaign_throughput WHERE epoch_second >= ? AND epoch_second < ?) buckets GROUP BY b ORDER BY b")
                .params(bucket, fromSecond, toSecond)
                .query((rs, row) -> new ThroughputSeries.Point(rs.getLong(1) * bucket, rs.getLong(2), rs.getLong(3)))
                .list();
    }

    /** Messages that failed for good from {@code fromSecond} to {@code toSecond} (exclusive), per campaign that had any. */
    @Transactional(readOnly = true)
    public Map<Long, Long> failedByCampaign(long fromSecond, long toSecond) {
        Map<Long, Long> result = new HashMap<>();
        jdbc.sql("SELECT campaign_id, SUM(failed) FROM campaign_throughput WHERE epoch_second >= ? AND epoch_second < ?"
                        + " GROUP BY campaign_id")
                .params(fromSecond, toSecond)
                .query(rs -> {
                    long failed = rs.getLong(2);
                    if (failed > 0) {
                        result.put(rs.getLong(1), failed);
                    }
                });
        return result;
    }

    /** Dead letters of every campaign: the sum of their FAILED counters (one row per campaign, no message read). */
    @Transactional(readOnly = true)
    public long failedTotal() {
        return jdbc.sql("SELECT COALESCE(SUM(failed), 0) FROM campaign_stats").query(Long.class).single();
    }

    /** Counters and p50/p95/p99 of one campaign (zeros before anything was sent). */
    @Transactional(readOnly = true)
    public CampaignStats get(long campaignId) {
        return jdbc.sql("SELECT campaign_id, total, queued, sent, failed, retries, cancelled, unsubscribed, segments,"
                        + " delivered, undelivered, bounced, complaints, opens, clicks, latency_hist FROM campaign_stats WHERE campaign_id = ?")
                .param(campaignId)
                .query((rs, row) -> {
                    Histogram h = LatencyHistogram.decode(rs.getBytes("latency_hist"));
                    boolean any = h.getTotalCount() > 0;
                    return new CampaignStats(rs.getLong("campaign_id"), rs.getLong("total"), rs.getLong("queued"),
                            rs.getLong("sent"), rs.getLong("failed"), rs.getLong("retries"), rs.getLong("cancelled"),
                            rs.getLong("unsubscribed"), rs.getLong("segments"), rs.getLong("delivered"),
                            rs.getLong("undelivered"), rs.getLong("bounced"), rs.getLong("complaints"),
                            rs.getLong("opens"), rs.getLong("clicks"),
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
        jdbc.sql("SELECT campaign_id, total, queued, sent, failed, retries, cancelled, unsubscribed, segments, delivered,"
                        + " undelivered, bounced, complaints, opens, clicks FROM campaign_stats WHERE campaign_id IN (:ids)")
                .param("ids", campaignIds)
                .query(rs -> {
                    long id = rs.getLong(1);
                    result.put(id, new CampaignStats(id, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                            rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), 0, 0, 0));
                });
        return result;
    }
}
