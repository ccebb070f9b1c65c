package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ConsumerBatchTest {
    @Test
    void anUnlimitedWorkerTakesTheConfiguredBatch() {
        assertThat(Transport.consumerBatch(1000, 0)).isEqualTo(1000);
    }

    @Test
    void aRateLimitedWorkerTakesAtMostOneSecondOfItsRate() {
        assertThat(Transport.consumerBatch(1000, 20)).isEqualTo(20);
        assertThat(Transport.consumerBatch(1000, 5000)).isEqualTo(1000);
        assertThat(Transport.consumerBatch(10, 20)).isEqualTo(10);
    }

    @Test
    void inMemoryConsumersTakeBatchesOfThatSize() throws Exception {
        InMemoryTransport transport = new InMemoryTransport(1, Transport.consumerBatch(1000, 20));
        List<DeliveryTask> tasks = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            tasks.add(new DeliveryTask(i, 1, i, 0));
        }
        transport.publish(tasks);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(tasks.size());
        transport.startConsuming(batch -> {
            sizes.add(batch.size());
            batch.forEach(task -> all.countDown());
        });
        try {
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sizes).containsExactly(20, 20, 10);
        } finally {
            transport.stopConsuming();
        }
    }
}
