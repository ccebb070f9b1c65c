package io.herald.it;

import java.util.Map;

import io.herald.testsupport.TestDatabase;

/**
 * The fault suite on PostgreSQL + RabbitMQ. A 5 s heartbeat lets the broker notice a frozen consumer within
 * seconds and hand its unacknowledged tasks to another worker (the README recommends a short heartbeat).
 */
class PostgresRabbitMqFaultIT extends AbstractFaultSuiteIT {
    PostgresRabbitMqFaultIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }

    @Override
    Map<String, String> transportSettings() {
        return Map.of("spring.rabbitmq.requested-heartbeat", "5s");
    }
}
