package io.herald.it;

import static io.herald.testsupport.TestTags.EXCLUSIVE;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.testsupport.Ports;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite on PostgreSQL + Kafka, against a real broker in its own JVM (the project's {@code scripts/kafka},
 * on its own ports and directory) so that it can be SIGKILLed mid-send and started again. A 10 s consumer session
 * lets the group hand a frozen worker's partitions to another within seconds. The process, database and slow
 * provider scenarios run in CI on RabbitMQ ({@link PostgresRabbitMqFaultIT}) and here on demand.
 */
class PostgresKafkaFaultIT extends AbstractFaultSuiteIT {
    private static final int PORT = Ports.free();
    private static final Map<String, String> BROKER_ENV = Map.of("KAFKA_PORT", Integer.toString(PORT),
            "KAFKA_CONTROLLER_PORT", Integer.toString(Ports.free()),
            "KAFKA_DATA_DIR", Path.of("target", "kafka-fault-" + PORT).toAbsolutePath().toString());

    PostgresKafkaFaultIT() {
        super(TestDatabase.POSTGRES, "kafka");
    }

    @BeforeAll
    static void startBroker() throws Exception {
        script("start");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        script("stop");
    }

    @Override
    Map<String, String> brokerProperties(String channel) {
        return Map.of("herald.transport", "kafka", "herald.kafka.topic", channel, "herald.kafka.group", channel + ".workers",
                "spring.kafka.bootstrap-servers", "127.0.0.1:" + PORT);
    }

    @Override
    Map<String, String> transportSettings() {
        return Map.of("spring.kafka.consumer.properties.session.timeout.ms", "10000",
                "spring.kafka.consumer.properties.heartbeat.interval.ms", "3000");
    }

    @Override
    void takeBrokerDown() throws Exception {
        long pid = Long.parseLong(script("pid").trim());
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -KILL " + pid + " failed");
        }
    }

    @Override
    void bringBrokerBack() throws Exception {
        script("start");
    }

    @Override
    String brokerFault() {
        return "Kafka broker (scripts/kafka, its own JVM) SIGKILLed, restarted 3 s later";
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void brokerKilled() throws Exception {
        theBrokerDiesMidSendAndComesBack();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // the 10-minute outage on demand
    void providerDown() throws Exception {
        aLongProviderOutageEndsWithEveryMessageSentOnce();
    }

    @Test
    @Tag(ON_DEMAND)
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void fanOutProcessKilled() throws Exception {
        theProcessRunningAFanOutIsKilledAndAnotherOneFinishesIt();
    }

    @Test
    @Tag(ON_DEMAND)
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void workerFrozen() throws Exception {
        aFrozenWorkerLosesItsTasksToAnotherAndChangesNothingWhenItWakes();
    }

    @Test
    @Tag(ON_DEMAND)
    @Tag(EXCLUSIVE)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void postgresRestarted() throws Exception {
        postgresRestartsMidSendAndEveryProcessRecoversByItself();
    }

    @Test
    @Tag(ON_DEMAND)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void providerSlow() throws Exception {
        aSlowProviderIsServedAtTheConcurrencyTheReadmeRecommends();
    }

    private static String script(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("scripts/kafka", command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(BROKER_ENV);
        File out = Files.createTempFile("kafka-script", ".out").toFile();
        Process process = builder.redirectOutput(out).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("scripts/kafka " + command + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("scripts/kafka " + command + " exited " + process.exitValue());
        }
        return Files.readString(out.toPath());
    }
}
