package io.herald.audience;

import java.util.Map;

import io.herald.testsupport.TestDatabase;

class SchedulingH2IT extends AbstractSchedulingIT {
    @Override
    Map<String, String> newDatabase() {
        return TestDatabase.H2.create();
    }
}
