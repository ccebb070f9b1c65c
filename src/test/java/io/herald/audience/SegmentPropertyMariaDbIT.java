package io.herald.audience;

import io.herald.testsupport.TestDatabase;

class SegmentPropertyMariaDbIT extends AbstractSegmentPropertyIT {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
