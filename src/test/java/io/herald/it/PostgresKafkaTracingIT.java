package io.herald.it;

import io.herald.testsupport.TestDatabase;

class PostgresKafkaTracingIT extends AbstractTracingIT {
    PostgresKafkaTracingIT() {
        super(TestDatabase.POSTGRES, "kafka");
    }
}
