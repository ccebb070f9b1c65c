package io.herald.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's queue depths, asked at most once per {@code ttl} however many scrapes and summaries want them, and
 * waited for at most {@code timeout} (see {@link BoundedCall}). A failed or late answer is remembered as "no value"
 * (an empty list) for the same {@code ttl}, so a broker that is down is not asked on every call either.
 */
final class CachedDepths implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CachedDepths.class);

    private final BoundedCall<List<QueueDepth>> query;
    private final long ttlMillis;
    private final Duration timeout;
    private volatile Snapshot last;

    private record Snapshot(List<QueueDepth> depths, long at) {
    }

    CachedDepths(String transport, Callable<List<QueueDepth>> query, Duration ttl, Duration timeout) {
        this.query = new BoundedCall<>("herald-queue-depths-" + transport, query);
        this.ttlMillis = ttl.toMillis();
        this.timeout = timeout;
    }

    List<QueueDepth> get() {
        Snapshot snapshot = last;
        if (snapshot != null && System.currentTimeMillis() - snapshot.at() < ttlMillis) {
            return snapshot.depths();
        }
        List<QueueDepth> depths;
        try {
            depths = List.copyOf(query.get(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            log.debug("Queue depths unavailable: {}", e.toString());
            depths = List.of();
        }
        last = new Snapshot(depths, System.currentTimeMillis());
        return depths;
    }

    @Override
    public void close() {
        query.close();
    }
}
