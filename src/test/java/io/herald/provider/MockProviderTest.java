package io.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MockProviderTest {
    private static final OutboundMessage MESSAGE = new OutboundMessage(1, "herald-1-1", 1, io.herald.Channel.SMS,
            new OutboundMessage.Recipient(1, "Ann", "ann@example.com", null), "Hi Ann", null);

    private static int failures(double rate, int calls) {
        MockProvider provider = new MockProvider(rate, Duration.ZERO, Duration.ZERO);
        int failed = 0;
        for (int i = 0; i < calls; i++) {
            if (provider.send(MESSAGE) instanceof SendResult.RetryableFailure) {
                failed++;
            }
        }
        return failed;
    }

    @Test
    void failsTheConfiguredShareOfCalls() {
        assertThat(failures(0, 1000)).isZero();
        assertThat(failures(1, 1000)).isEqualTo(1000);
        // 10 % of 20,000: the binomial standard deviation is ~42, so ±500 is far outside chance.
        assertThat(failures(0.1, 20_000)).isBetween(1500, 2500);
    }

    @Test
    void simulatesLatency() {
        MockProvider provider = new MockProvider(0, Duration.ofMillis(30), Duration.ofMillis(40));
        long start = System.nanoTime();
        assertThat(provider.send(MESSAGE)).isEqualTo(SendResult.SENT);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(29);
    }

    @Test
    void rejectsAnImpossibleFailureRate() {
        assertThatThrownBy(() -> new MockProvider(1.5, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("failure-rate");
    }
}
