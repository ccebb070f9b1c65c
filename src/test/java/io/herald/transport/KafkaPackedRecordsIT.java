package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.testsupport.KafkaTestBroker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fan-out page goes to Kafka as records of up to {@code tasks-per-record} tasks (one record per task cost the
 * producer more than the broker could take), and workers still get batches of about {@code batch-size} tasks,
 * each task exactly once.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaPackedRecordsIT {

    @Test
    void aPageIsPublishedAsPackedRecordsAndConsumedTaskByTaskInBatchesOfTheConfiguredSize() throws Exception {
        String topic = "packed-" + UUID.randomUUID();
        int tasksPerRecord = 100;
        int batchSize = 500;
        KafkaTransport transport = new KafkaTransport(KafkaTestBroker.bootstrapServers(), topic, 2, topic, tasksPerRecord,
                Duration.ofSeconds(5), TaskTracing.OFF);
        Map<Long, AtomicInteger> delivered = new ConcurrentHashMap<>();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        try {
            List<DeliveryTask> page = new ArrayList<>();
            for (long i = 1; i <= 1_050; i++) {
                page.add(new DeliveryTask(i, 9, 10_000 + i, 0));
            }
            transport.publish(page);
            assertThat(records(topic)).as("records in the work topic for 1,050 tasks").isEqualTo(11);

            transport.startConsuming(batch -> {
                batchSizes.add(batch.size());
                batch.forEach(t -> {
                    assertThat(t.recipientId()).isEqualTo(10_000 + t.messageId());
                    assertThat(t.campaignId()).isEqualTo(9);
                    delivered.computeIfAbsent(t.messageId(), k -> new AtomicInteger()).incrementAndGet();
                });
            }, new ConsumerSettings(1, batchSize));
            long deadline = System.currentTimeMillis() + 30_000;
            while (delivered.size() < 1_050 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(delivered).hasSize(1_050).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
            assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, batchSize));
        } finally {
            transport.destroy();
        }
    }

    private static long records(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestBroker.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest(),
                    new TopicPartition(topic, 1), OffsetSpec.latest());
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }
}
