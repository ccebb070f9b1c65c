package io.herald.transport;

import java.time.Duration;
import java.util.List;

/**
 * Delay tiers for brokers without a delayed-message feature: powers of two from 500 ms to 256 s.
 * A retry goes to the smallest tier at least as long as its delay, so messages in one tier wait
 * between half and all of the tier's length and a long delay never holds up a short one by much.
 */
final class RetryTiers {
    static final List<Long> MILLIS = List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L,
            128_000L, 256_000L);

    private RetryTiers() {
    }

    static long tierFor(Duration delay) {
        long ms = delay.toMillis();
        for (long tier : MILLIS) {
            if (ms <= tier) {
                return tier;
            }
        }
        return MILLIS.get(MILLIS.size() - 1);
    }
}
