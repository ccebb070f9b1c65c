package io.herald.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Worker settings ({@code herald.delivery.*}).
 *
 * @param ratePerSec    messages per second per worker process; 0 = unlimited (env RATE_PER_SEC)
 * @param maxAttempts   attempts before a message is FAILED and dead-lettered
 * @param initialBackoff delay before the first retry; doubles per attempt, with jitter
 * @param maxBackoff    upper bound of a retry delay
 * @param batchSize     tasks a consumer takes and records at once (at most one second of {@code ratePerSec} when set)
 * @param consumers     consumer threads (in-memory transport) or listener concurrency (brokers)
 * @param concurrency   provider calls in flight per worker process
 */
@ConfigurationProperties("herald.delivery")
public record DeliveryProperties(@DefaultValue("20") int ratePerSec,
                                 @DefaultValue("5") int maxAttempts,
                                 @DefaultValue("500ms") Duration initialBackoff,
                                 @DefaultValue("60s") Duration maxBackoff,
                                 @DefaultValue("1000") int batchSize,
                                 @DefaultValue("4") int consumers,
                                 @DefaultValue("32") int concurrency) {
    public DeliveryProperties {
        if (ratePerSec < 0) {
            throw new IllegalArgumentException("herald.delivery.rate-per-sec must be >= 0 (0 = unlimited), got " + ratePerSec);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("herald.delivery.max-attempts must be >= 1, got " + maxAttempts);
        }
        if (batchSize < 1 || consumers < 1 || concurrency < 1) {
            throw new IllegalArgumentException("herald.delivery batch-size, consumers and concurrency must be >= 1");
        }
    }

    /**
     * Tasks a consumer takes at once: {@code batchSize}, but no more than one second of {@code ratePerSec} (0 = no
     * limit). A batch's outcomes are stored when its last call returns, so a rate-limited send with large batches
     * would move its stats once a minute; an unlimited one gains from large batches (fewer, larger outcome writes).
     */
    public int consumerBatch() {
        return ratePerSec > 0 ? Math.min(batchSize, ratePerSec) : batchSize;
    }
}
