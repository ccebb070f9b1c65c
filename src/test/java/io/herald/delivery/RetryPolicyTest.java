package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10));

    @Test
    void retriesUntilTheAttemptBudgetIsSpent() {
        assertThat(policy.mayRetry(1)).isTrue();
        assertThat(policy.mayRetry(4)).isTrue();
        assertThat(policy.mayRetry(5)).isFalse();
    }

    @RepeatedTest(20)
    void backoffDoublesWithJitterAndIsCapped() {
        assertThat(policy.backoff(1).toMillis()).isBetween(250L, 500L);
        assertThat(policy.backoff(2).toMillis()).isBetween(500L, 1000L);
        assertThat(policy.backoff(3).toMillis()).isBetween(1000L, 2000L);
        assertThat(policy.backoff(10).toMillis()).isBetween(5000L, 10_000L);
        assertThat(policy.backoff(64).toMillis()).isBetween(5000L, 10_000L);
    }
}
