package io.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The breaker's answer to "may this message try the provider now?", asked before a rate-limit token is spent. */
class ProviderHealthTest {
    // No provider_health table: recording the state is best effort and must not matter here. The open wait (2 s) is
    // long enough that a loaded machine cannot reach its end between the opening call and the checks that follow.
    private final ProviderHealth health = new ProviderHealth(
            new CircuitBreakerProperties(true, 50f, 4, 2, Duration.ofMillis(2_000), 1),
            JdbcClient.create(new DriverManagerDataSource("jdbc:h2:mem:provider-health-test")));

    @Test
    void whileTheBreakerIsOpenMessagesAreDeferredWithoutACallAndAfterItsWaitTheyMayTryAgain() throws Exception {
        int[] calls = {0};
        Provider down = message -> {
            calls[0]++;
            return new SendResult.RetryableFailure("503 maintenance");
        };
        assertThat(health.refusing("webhook")).as("a provider never called is not refused").isEmpty();
        health.send("webhook", down, null);
        assertThat(health.refusing("webhook")).as("one failure is below the minimum number of calls").isEmpty();
        SendResult opened = health.send("webhook", down, null);
        assertThat(opened).isInstanceOf(SendResult.Deferred.class);

        SendResult.Deferred deferral = health.refusing("webhook").orElseThrow();
        assertThat(deferral.reason()).contains("OPEN").contains("503 maintenance");
        assertThat(deferral.retryIn()).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThanOrEqualTo(Duration.ofMillis(3_001));
        assertThat(health.send("webhook", down, null)).isInstanceOf(SendResult.Deferred.class);
        assertThat(calls[0]).as("no call while open").isEqualTo(2);

        Thread.sleep(2_050);
        assertThat(health.refusing("webhook")).as("the wait is over: a probe may go").isEmpty();
        assertThat(health.refusing("other")).isEmpty();
    }

    @Test
    void aDisabledBreakerNeverRefuses() {
        ProviderHealth off = new ProviderHealth(new CircuitBreakerProperties(false, 50f, 4, 2, Duration.ofSeconds(30), 1),
                JdbcClient.create(new DriverManagerDataSource("jdbc:h2:mem:provider-health-off")));
        for (int i = 0; i < 10; i++) {
            off.send("webhook", message -> new SendResult.RetryableFailure("503"), null);
        }
        assertThat(off.refusing("webhook")).isEmpty();
    }
}
