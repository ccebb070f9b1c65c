package io.herald.stats;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Collects each worker's sent/failed counts per campaign and second in memory and adds them to the
 * throughput series once a second, in its own small transaction. Kept off the outcome transaction on
 * purpose: there, the extra statement ran under the campaign's counters lock that every worker waits
 * for, and cost about 15 % of PostgreSQL throughput. The series is a chart, not the record: a worker
 * killed before a flush loses at most its last second of points; the counters stay exact.
 */
@Component
public class ThroughputRecorder {
    private static final Logger log = LoggerFactory.getLogger(ThroughputRecorder.class);

    private final StatsService stats;
    private Map<ThroughputKey, long[]> pending = new HashMap<>();

    ThroughputRecorder(StatsService stats) {
        this.stats = stats;
    }

    /** Adds committed outcomes: {@code {sent, failed}} by epoch second of one campaign. */
    public synchronized void add(long campaignId, Map<Long, long[]> sentAndFailedBySecond) {
        sentAndFailedBySecond.forEach((second, counts) -> merge(pending, new ThroughputKey(campaignId, second), counts));
    }

    @Scheduled(fixedDelayString = "${herald.stats.throughput-flush-interval:1s}")
    public void flush() {
        Map<ThroughputKey, long[]> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new HashMap<>();
        }
        try {
            stats.addThroughput(batch);
        } catch (DataAccessException e) {
            // e.g. another process inserted the same second first: keep the counts for the next flush
            log.debug("Throughput flush failed, retried in a second: {}", e.toString());
            synchronized (this) {
                batch.forEach((key, counts) -> merge(pending, key, counts));
            }
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }

    private static void merge(Map<ThroughputKey, long[]> into, ThroughputKey key, long[] counts) {
        long[] sum = into.computeIfAbsent(key, k -> new long[2]);
        sum[0] += counts[0];
        sum[1] += counts[1];
    }
}
