package io.herald.it;

import static io.herald.testsupport.TestTags.EXCLUSIVE;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite on PostgreSQL + RabbitMQ. A 5 s heartbeat lets the broker notice a frozen consumer within
 * seconds and hand its unacknowledged tasks to another worker (the README recommends a short heartbeat).
 * The broker and outage scenarios run in CI on Kafka ({@link PostgresKafkaFaultIT}) and here on demand.
 */
class PostgresRabbitMqFaultIT extends AbstractFaultSuiteIT {
    PostgresRabbitMqFaultIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }

    @Override
    Map<String, String> transportSettings() {
        return Map.of("spring.rabbitmq.requested-heartbeat", "5s");
    }

    @Override
    void takeBrokerDown() throws Exception {
        BrokerSupport.stopRabbitMq();
    }

    @Override
    void bringBrokerBack() throws Exception {
        BrokerSupport.startRabbitMq();
    }

    @Override
    String brokerFault() {
        return "RabbitMQ stopped for 3 s (rabbitmqctl stop_app) and started";
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fanOutProcessKilled() throws Exception {
        theProcessRunningAFanOutIsKilledAndAnotherOneFinishesIt();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void workerFrozen() throws Exception {
        aFrozenWorkerLosesItsTasksToAnotherAndChangesNothingWhenItWakes();
    }

    @Test
    @Tag(EXCLUSIVE)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void postgresRestarted() throws Exception {
        postgresRestartsMidSendAndEveryProcessRecoversByItself();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void providerSlow() throws Exception {
        aSlowProviderIsServedAtTheConcurrencyTheReadmeRecommends();
    }

    @Test
    @Tag(ON_DEMAND)
    @Tag(EXCLUSIVE)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void brokerStopped() throws Exception {
        theBrokerDiesMidSendAndComesBack();
    }

    @Test
    @Tag(ON_DEMAND)
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // the 10-minute outage on demand
    void providerDown() throws Exception {
        aLongProviderOutageEndsWithEveryMessageSentOnce();
    }
}
