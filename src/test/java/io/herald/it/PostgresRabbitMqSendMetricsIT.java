package io.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.herald.testsupport.PrometheusText;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;

/** The send metrics on PostgreSQL with RabbitMQ, whose client reports its own metrics. */
class PostgresRabbitMqSendMetricsIT extends AbstractSendMetricsIT {
    PostgresRabbitMqSendMetricsIT() {
        super(TestDatabase.POSTGRES, "rabbitmq");
    }

    @Test
    void rabbitMqClientMetricsCountTheSend() {
        String tag = "r" + UUID.randomUUID().toString().substring(0, 6);
        addRecipients(tag, 30);
        PrometheusText before = scrape();
        awaitStatus(createAndSend(tag), "COMPLETED");
        PrometheusText after = scrape();
        Map<String, String> herald = Map.of("name", "herald");
        assertThat(after.sum("rabbitmq_connections", herald)).isGreaterThanOrEqualTo(1);
        // tasks travel in messages of up to herald.rabbitmq.tasks-per-message, retries one by one
        assertThat(delta(before, after, "rabbitmq_published_total", herald)).isPositive();
        assertThat(delta(before, after, "rabbitmq_consumed_total", herald)).isPositive();
        assertThat(delta(before, after, "rabbitmq_acknowledged_total", herald)).isPositive();
    }
}
