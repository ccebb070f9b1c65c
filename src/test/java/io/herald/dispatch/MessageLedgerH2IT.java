package io.herald.dispatch;

import io.herald.testsupport.TestDatabase;

class MessageLedgerH2IT extends AbstractMessageLedgerIT {
    @Override
    TestDatabase database() {
        return TestDatabase.H2;
    }
}
