package io.herald.ops;

import io.herald.transport.BrokerCheck;
import io.herald.transport.Transport;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code broker}: the selected transport's broker answers within {@code herald.ops.broker-timeout}
 * (RabbitMQ: a passive declare of the work queue; Kafka: the cluster's metadata through an admin client; in-memory:
 * always up). Part of the readiness group: a process that cannot reach its broker should get no traffic, but
 * restarting it (liveness) would not help.
 */
@Component
class BrokerHealthIndicator implements HealthIndicator {
    private final Transport transport;
    private final OpsProperties properties;

    BrokerHealthIndicator(Transport transport, OpsProperties properties) {
        this.transport = transport;
        this.properties = properties;
    }

    @Override
    public Health health() {
        BrokerCheck check = transport.check(properties.brokerTimeout());
        return (check.up() ? Health.up() : Health.down())
                .withDetail("transport", check.transport())
                .withDetail("detail", check.detail())
                .build();
    }
}
