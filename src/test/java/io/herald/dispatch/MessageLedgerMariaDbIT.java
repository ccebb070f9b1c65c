package io.herald.dispatch;

import io.herald.testsupport.TestDatabase;

class MessageLedgerMariaDbIT extends AbstractMessageLedgerIT {
    @Override
    TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
