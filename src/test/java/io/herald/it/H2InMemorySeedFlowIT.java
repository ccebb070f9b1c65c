package io.herald.it;

import io.herald.testsupport.TestDatabase;

class H2InMemorySeedFlowIT extends AbstractSeedFlowIT {
    H2InMemorySeedFlowIT() {
        super(TestDatabase.H2, "inmemory");
    }
}
