package io.herald.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ConsumerBatchTest {
    @Test
    void inMemoryConsumersTakeBatchesOfTheSizeTheWorkerAsksFor() throws Exception {
        InMemoryTransport transport = new InMemoryTransport();
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
        }, new ConsumerSettings(1, 20));
        try {
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sizes).containsExactly(20, 20, 10);
        } finally {
            transport.stopConsuming();
        }
    }

    @Test
    void settingsBelowOneAreRefused() {
        assertThatThrownBy(() -> new ConsumerSettings(0, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsumerSettings(4, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
