package io.herald.provider;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Simulated provider (seed 000's "mock provider"): fails a configurable share of calls with a
 * retryable error ({@code herald.provider.failure-rate}, 10 % by default) after a random latency
 * between {@code latency-min} and {@code latency-max}.
 */
public class MockProvider implements Provider {
    private final double failureRate;
    private final long latencyMinMs;
    private final long latencyMaxMs;

    /** Selected by {@code herald.channels.<channel>.provider=mock}; settings under {@code herald.provider.*}. */
    @Component
    static class Factory implements ProviderFactory {
        private final double failureRate;
        private final Duration latencyMin;
        private final Duration latencyMax;

        Factory(@Value("${herald.provider.failure-rate:0.1}") double failureRate,
                @Value("${herald.provider.latency-min:0ms}") Duration latencyMin,
                @Value("${herald.provider.latency-max:0ms}") Duration latencyMax) {
            this.failureRate = failureRate;
            this.latencyMin = latencyMin;
            this.latencyMax = latencyMax;
        }

        @Override
        public String name() {
            return "mock";
        }

        @Override
        public Provider create() {
            return new MockProvider(failureRate, latencyMin, latencyMax);
        }
    }

    MockProvider(double failureRate, Duration latencyMin, Duration latencyMax) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("herald.provider.failure-rate must be between 0 and 1, got " + failureRate);
        }
        this.failureRate = failureRate;
        this.latencyMinMs = latencyMin.toMillis();
        this.latencyMaxMs = Math.max(latencyMin.toMillis(), latencyMax.toMillis());
    }

    @Override
    public SendResult send(OutboundMessage message) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long latency = latencyMaxMs == 0 ? 0 : random.nextLong(latencyMinMs, latencyMaxMs + 1);
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new SendResult.RetryableFailure("interrupted");
            }
        }
        if (failureRate > 0 && random.nextDouble() < failureRate) {
            return new SendResult.RetryableFailure("mock provider: simulated failure");
        }
        return SendResult.SENT;
    }
}
