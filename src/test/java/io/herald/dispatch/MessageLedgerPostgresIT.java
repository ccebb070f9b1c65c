package io.herald.dispatch;

import io.herald.testsupport.TestDatabase;

class MessageLedgerPostgresIT extends AbstractMessageLedgerIT {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
