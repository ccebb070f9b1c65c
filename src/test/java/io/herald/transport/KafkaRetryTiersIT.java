package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.herald.testsupport.KafkaTestBroker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka retries wait in delay tiers: a retry due in half a second is delivered on time even when a retry of
 * the same recipient (so the same partition) that is due much later was published just before it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KafkaRetryTiersIT {

    @Test
    void aShortRetryIsNotHeldUpByALongerOneAheadOfIt() throws InterruptedException {
        String topic = "retry-tiers-" + UUID.randomUUID();
        KafkaTransport transport = new KafkaTransport(KafkaTestBroker.bootstrapServers(), topic, 2, topic);
        Map<Long, Long> deliveredAt = new ConcurrentHashMap<>();
        try {
            transport.startConsuming(batch -> batch.forEach(t -> deliveredAt.put(t.messageId(), System.currentTimeMillis())),
                    new ConsumerSettings(1, 100));
            long recipient = 42;
            long published = System.currentTimeMillis();
            transport.publishRetry(new DeliveryTask(1, 7, recipient, 1), Duration.ofSeconds(30));
            transport.publishRetry(new DeliveryTask(2, 7, recipient, 1), Duration.ofMillis(500));

            long deadline = System.currentTimeMillis() + 15_000;
            while (!deliveredAt.containsKey(2L) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(deliveredAt).as("the 500 ms retry was delivered").containsKey(2L);
            assertThat(deliveredAt.get(2L) - published).as("ms until the 500 ms retry arrived")
                    .isBetween(450L, 10_000L);
            assertThat(deliveredAt).as("the 30 s retry is still waiting").doesNotContainKey(1L);
        } finally {
            transport.destroy();
        }
    }
}
