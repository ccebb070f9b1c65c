package io.herald.it;

import io.herald.testsupport.TestDatabase;

class PostgresKafkaSeedFlowIT extends AbstractSeedFlowIT {
    PostgresKafkaSeedFlowIT() {
        super(TestDatabase.POSTGRES, "kafka");
    }
}
