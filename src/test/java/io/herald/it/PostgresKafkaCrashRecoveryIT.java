package io.herald.it;

import io.herald.testsupport.TestDatabase;

/** PostgreSQL + Kafka (the in-JVM test broker, which is not restarted): worker SIGTERM and SIGKILL. */
class PostgresKafkaCrashRecoveryIT extends AbstractCrashRecoveryIT {
    PostgresKafkaCrashRecoveryIT() {
        super(TestDatabase.POSTGRES, "kafka");
    }

    @Override
    boolean canRestartBroker() {
        return false;
    }

    @Override
    void restartBroker() {
        throw new UnsupportedOperationException();
    }
}
