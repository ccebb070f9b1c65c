package io.herald.it;

import io.herald.testsupport.TestDatabase;

class PostgresRabbitMqTracingIT extends AbstractTracingIT {
    PostgresRabbitMqTracingIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }
}
