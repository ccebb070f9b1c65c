package io.herald.ops;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read at most once per {@code ttlMillis}, so that frequent scrapes cost one database read per period; null
 * (the gauge shows no value) when the read failed.
 */
final class TimedCache<T> {
    private static final Logger log = LoggerFactory.getLogger(TimedCache.class);

    private final Supplier<T> supplier;
    private final long ttlMillis;
    private T value;
    private long readAt = Long.MIN_VALUE;

    TimedCache(Supplier<T> supplier, long ttlMillis) {
        this.supplier = supplier;
        this.ttlMillis = ttlMillis;
    }

    synchronized T get() {
        long now = System.currentTimeMillis();
        if (readAt != Long.MIN_VALUE && now - readAt < ttlMillis) {
            return value;
        }
        try {
            value = supplier.get();
        } catch (RuntimeException e) {
            log.debug("Ops gauge read failed: {}", e.toString());
            value = null;
        }
        readAt = now;
        return value;
    }
}
