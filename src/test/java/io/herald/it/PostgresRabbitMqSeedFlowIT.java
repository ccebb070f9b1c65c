package io.herald.it;

import io.herald.testsupport.TestDatabase;

class PostgresRabbitMqSeedFlowIT extends AbstractSeedFlowIT {
    PostgresRabbitMqSeedFlowIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }
}
