package io.herald.audience;

import java.util.Map;

import io.herald.testsupport.TestDatabase;

class SchedulingPostgresIT extends AbstractSchedulingIT {
    @Override
    Map<String, String> newDatabase() {
        return TestDatabase.POSTGRES.create();
    }
}
