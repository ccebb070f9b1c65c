package io.herald.audience;

import io.herald.testsupport.TestDatabase;

class SegmentPropertyH2IT extends AbstractSegmentPropertyIT {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
