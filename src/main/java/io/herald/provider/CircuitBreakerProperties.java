package io.herald.provider;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.delivery.circuit-breaker.*}: one Resilience4j circuit breaker per provider and worker process.
 * Over the last {@code sliding-window-size} calls (once at least {@code minimum-number-of-calls} were made), when
 * {@code failure-rate-threshold} percent failed for a provider-side reason (connection error, timeout, 429, 5xx),
 * the breaker opens: messages wait without calling the provider or spending attempts. After
 * {@code wait-in-open-state} it lets {@code permitted-calls-in-half-open-state} probe calls through; if they
 * succeed it closes and delivery resumes at full speed, otherwise it opens again.
 */
@ConfigurationProperties("herald.delivery.circuit-breaker")
public record CircuitBreakerProperties(@DefaultValue("true") boolean enabled,
                                       @DefaultValue("50") float failureRateThreshold,
                                       @DefaultValue("20") int slidingWindowSize,
                                       @DefaultValue("10") int minimumNumberOfCalls,
                                       @DefaultValue("30s") Duration waitInOpenState,
                                       @DefaultValue("3") int permittedCallsInHalfOpenState) {
    public CircuitBreakerProperties {
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("herald.delivery.circuit-breaker.failure-rate-threshold must be in (0, 100], got "
                    + failureRateThreshold);
        }
        if (slidingWindowSize < 1 || minimumNumberOfCalls < 1 || permittedCallsInHalfOpenState < 1) {
            throw new IllegalArgumentException("herald.delivery.circuit-breaker sliding-window-size, minimum-number-of-calls and"
                    + " permitted-calls-in-half-open-state must be >= 1");
        }
        if (waitInOpenState.isNegative() || waitInOpenState.isZero()) {
            throw new IllegalArgumentException("herald.delivery.circuit-breaker.wait-in-open-state must be positive");
        }
    }
}
