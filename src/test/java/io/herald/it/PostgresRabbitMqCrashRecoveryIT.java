package io.herald.it;

import java.util.concurrent.TimeUnit;

import io.herald.testsupport.ExternalService;
import io.herald.testsupport.TestDatabase;

/** PostgreSQL + RabbitMQ: worker SIGTERM and SIGKILL, then a RabbitMQ restart (stop_app / start_app). */
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
            rabbitmqctl("stop_app");
            Thread.sleep(3_000);
        } finally {
            rabbitmqctl("start_app");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!ExternalService.reachable(5672) && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            log("RabbitMQ is back");
        }
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }
}
