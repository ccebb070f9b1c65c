package io.herald.transport;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskCodecTest {
    @Test
    void roundTripsSeveralTasksInOnePayload() {
        List<DeliveryTask> tasks = List.of(new DeliveryTask(1, 2, 3, 0), new DeliveryTask(Long.MAX_VALUE, 5, 6, 4));
        assertThat(TaskCodec.decode(TaskCodec.encode(tasks))).isEqualTo(tasks);
    }

    @Test
    void rejectsForeignPayloads() {
        assertThatThrownBy(() -> TaskCodec.decode("{\"hello\":1}".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retryTiersRoundUpAndCapAtTheLongest() {
        assertThat(RetryTiers.tierFor(Duration.ofMillis(1))).isEqualTo(500);
        assertThat(RetryTiers.tierFor(Duration.ofMillis(500))).isEqualTo(500);
        assertThat(RetryTiers.tierFor(Duration.ofMillis(501))).isEqualTo(1_000);
        assertThat(RetryTiers.tierFor(Duration.ofSeconds(50))).isEqualTo(64_000);
        assertThat(RetryTiers.tierFor(Duration.ofHours(1))).isEqualTo(256_000);
    }
}
