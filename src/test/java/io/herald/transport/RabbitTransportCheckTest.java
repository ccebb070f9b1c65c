package io.herald.transport;

import java.time.Duration;

import io.herald.testsupport.Ports;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** A RabbitMQ transport pointed at a port where nothing listens: readiness says DOWN and depths have no value, fast. */
class RabbitTransportCheckTest {
    @Test
    void aBrokerThatIsNotThereIsDownAndHasNoDepths() {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", Ports.free());
        RabbitTransport transport = new RabbitTransport(factory, "herald.check-test", 100, 10, Duration.ofSeconds(5),
                TaskTracing.OFF);
        try {
            long start = System.nanoTime();
            BrokerCheck check = transport.check(Duration.ofSeconds(2));
            assertThat(check.up()).isFalse();
            assertThat(check.transport()).isEqualTo("rabbitmq");
            assertThat(check.detail()).containsIgnoringCase("connect");
            assertThat(transport.depths()).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        } finally {
            transport.close();
            factory.destroy();
        }
    }
}
