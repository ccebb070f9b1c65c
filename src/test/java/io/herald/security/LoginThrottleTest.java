package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    @Test
    void blocksAnIpAfterItsFailuresWhateverNameItTries() {
        LoginThrottle throttle = new LoginThrottle(100, 3, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.blocked("10.0.0.1", "user:u" + i)).isEmpty();
            throttle.failed("10.0.0.1", "user:u" + i);
        }
        assertThat(throttle.blocked("10.0.0.1", "user:someone-else")).hasValueSatisfying(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(throttle.blocked("10.0.0.2", "user:someone-else")).isEmpty();
    }

    @Test
    void blocksANameAfterItsFailuresFromAnyIp() {
        LoginThrottle throttle = new LoginThrottle(2, 100, Duration.ofMinutes(1));
        throttle.failed("10.0.0.1", "user:alice");
        throttle.failed("10.0.0.2", "user:alice");
        assertThat(throttle.blocked("10.0.0.3", "user:alice")).isPresent();
        assertThat(throttle.blocked("10.0.0.3", "user:bob")).isEmpty();
    }

    @Test
    void tokensComeBackWithTime() throws InterruptedException {
        LoginThrottle throttle = new LoginThrottle(1, 100, Duration.ofMillis(200));
        throttle.failed("10.0.0.1", "user:alice");
        assertThat(throttle.blocked("10.0.0.1", "user:alice")).isPresent();
        Thread.sleep(300);
        assertThat(throttle.blocked("10.0.0.1", "user:alice")).isEmpty();
    }
}
