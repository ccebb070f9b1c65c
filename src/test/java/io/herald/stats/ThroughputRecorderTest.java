package io.herald.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

class ThroughputRecorderTest {

    /** Records what would be written; fails the first {@code failures} flushes like a concurrent insert would. */
    static final class FakeStats extends StatsService {
        final List<Map<ThroughputKey, long[]>> written = new ArrayList<>();
        int failures;

        FakeStats(int failures) {
            super(null, null);
            this.failures = failures;
        }

        @Override
        void addThroughput(Map<ThroughputKey, long[]> counts) {
            if (failures-- > 0) {
                throw new DuplicateKeyException("another worker inserted the row first");
            }
            written.add(new HashMap<>(counts));
        }
    }

    @Test
    void mergesBatchesPerCampaignAndSecondAndWritesThemOnFlush() {
        FakeStats stats = new FakeStats(0);
        ThroughputRecorder recorder = new ThroughputRecorder(stats);
        recorder.add(1, Map.of(100L, new long[]{3, 1}, 101L, new long[]{2, 0}));
        recorder.add(1, Map.of(100L, new long[]{4, 0}));
        recorder.add(2, Map.of(100L, new long[]{1, 1}));
        recorder.flush();
        assertThat(stats.written).hasSize(1);
        Map<ThroughputKey, long[]> w = stats.written.get(0);
        assertThat(w.get(new ThroughputKey(1, 100))).containsExactly(7, 1);
        assertThat(w.get(new ThroughputKey(1, 101))).containsExactly(2, 0);
        assertThat(w.get(new ThroughputKey(2, 100))).containsExactly(1, 1);

        recorder.flush();
        assertThat(stats.written).as("nothing new, nothing written").hasSize(1);
    }

    @Test
    void aFailedFlushKeepsItsCountsForTheNextOne() {
        FakeStats stats = new FakeStats(1);
        ThroughputRecorder recorder = new ThroughputRecorder(stats);
        recorder.add(1, Map.of(100L, new long[]{5, 0}));
        recorder.flush();
        assertThat(stats.written).isEmpty();
        recorder.add(1, Map.of(100L, new long[]{1, 2}));
        recorder.flush();
        assertThat(stats.written).hasSize(1);
        assertThat(stats.written.get(0).get(new ThroughputKey(1, 100))).containsExactly(6, 2);
    }
}
