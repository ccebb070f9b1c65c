package io.herald.it;

import static io.herald.testsupport.TestTags.EXCLUSIVE;

import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Tag;

/** PostgreSQL + RabbitMQ: worker SIGTERM and SIGKILL, then a RabbitMQ restart (stop_app / start_app). */
@Tag(EXCLUSIVE) // runs alone: the broker restart would cut off every other RabbitMQ test
class PostgresRabbitMqCrashRecoveryIT extends AbstractCrashRecoveryIT {
    PostgresRabbitMqCrashRecoveryIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }

    @Override
    boolean canRestartBroker() {
        return true;
    }

    @Override
    void restartBroker() throws Exception {
        try {
            BrokerSupport.stopRabbitMq();
            Thread.sleep(3_000);
        } finally {
            BrokerSupport.startRabbitMq();
            log("RabbitMQ is back");
        }
    }
}
