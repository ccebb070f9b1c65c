package io.herald.it;

import io.herald.testsupport.TestDatabase;

class MariaDbKafkaSeedFlowIT extends AbstractSeedFlowIT {
    MariaDbKafkaSeedFlowIT() {
        super(TestDatabase.MARIADB, "kafka");
    }
}
