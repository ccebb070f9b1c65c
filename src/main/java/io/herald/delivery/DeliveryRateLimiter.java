package io.herald.delivery;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/** Paces provider calls of this worker process to {@code ratePerSec} (token bucket, one second of burst). */
final class DeliveryRateLimiter {
    private final Bucket bucket;

    DeliveryRateLimiter(int ratePerSec) {
        this.bucket = ratePerSec == 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(ratePerSec).refillGreedy(ratePerSec, Duration.ofSeconds(1)).build())
                .build();
    }

    /** Blocks until a send is allowed. */
    void acquire() throws InterruptedException {
        if (bucket != null) {
            bucket.asBlocking().consume(1);
        }
    }
}
