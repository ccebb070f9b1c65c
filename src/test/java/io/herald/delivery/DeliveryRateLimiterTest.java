package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryRateLimiterTest {
    @Test
    void pacesToTheRateAfterAOneSecondBurst() throws InterruptedException {
        DeliveryRateLimiter limiter = new DeliveryRateLimiter(20);
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            limiter.acquire();
        }
        // 20 tokens at once, then 10 more at 20/s: at least ~0.5 s.
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(450);
    }

    @Test
    void zeroMeansUnlimited() throws InterruptedException {
        DeliveryRateLimiter limiter = new DeliveryRateLimiter(0);
        long start = System.nanoTime();
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }
}
