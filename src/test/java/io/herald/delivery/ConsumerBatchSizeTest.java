package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsumerBatchSizeTest {
    private static DeliveryProperties properties(int ratePerSec, int batchSize) {
        return new DeliveryProperties(ratePerSec, 5, Duration.ofMillis(500), Duration.ofSeconds(60), batchSize, 4, 32);
    }

    @Test
    void anUnlimitedWorkerTakesTheConfiguredBatch() {
        assertThat(properties(0, 1000).consumerBatch()).isEqualTo(1000);
    }

    @Test
    void aRateLimitedWorkerTakesAtMostOneSecondOfItsRate() {
        assertThat(properties(20, 1000).consumerBatch()).isEqualTo(20);
        assertThat(properties(5000, 1000).consumerBatch()).isEqualTo(1000);
        assertThat(properties(20, 10).consumerBatch()).isEqualTo(10);
        assertThat(properties(1, 1000).consumerBatch()).isEqualTo(1);
    }
}
