package io.herald.it;

import io.herald.testsupport.TestDatabase;

class MariaDbRabbitMqSeedFlowIT extends AbstractSeedFlowIT {
    MariaDbRabbitMqSeedFlowIT() {
        super(TestDatabase.MARIADB, "rabbitmq");
    }
}
