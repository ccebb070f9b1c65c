package io.herald.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerActivityTest {
    @Test
    void countsTheBatchesAndMessagesOfTheLastSixtySecondsOnly() {
        WorkerActivity activity = new WorkerActivity();
        activity.record(1_000, 500);
        activity.record(1_000, 20);
        activity.record(1_030, 7);
        assertThat(activity.lastMinute(1_030)).containsExactly(3, 527);
        // 1_000 is 60 s old at 1_060: out of the window; its slot is reused by 1_060 without mixing the counts
        activity.record(1_060, 1);
        assertThat(activity.lastMinute(1_060)).containsExactly(2, 8);
        assertThat(activity.lastMinute(1_200)).containsExactly(0, 0);
    }

    @Test
    void emptyBeforeAnyBatch() {
        assertThat(new WorkerActivity().lastMinute()).containsExactly(0, 0);
    }
}
