package io.herald.audience;

import io.herald.testsupport.TestDatabase;

class SegmentPropertyPostgresIT extends AbstractSegmentPropertyIT {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
