package io.herald.ops;

import org.springframework.stereotype.Component;

/**
 * What this process's delivery worker handled in the last minute: batches and messages (outcomes recorded), in
 * 60 one-second slots kept in memory. Recording is a few array writes per batch; the heartbeat writes the sums.
 */
@Component
public class WorkerActivity {
    private static final int SLOTS = 60;

    private final long[] seconds = new long[SLOTS];
    private final long[] batches = new long[SLOTS];
    private final long[] messages = new long[SLOTS];

    /** Counts one batch whose outcomes were stored: {@code messages} of them. */
    public void recordBatch(int messageCount) {
        record(System.currentTimeMillis() / 1000, messageCount);
    }

    synchronized void record(long epochSecond, int messageCount) {
        int slot = (int) (epochSecond % SLOTS);
        if (seconds[slot] != epochSecond) {
            seconds[slot] = epochSecond;
            batches[slot] = 0;
            messages[slot] = 0;
        }
        batches[slot]++;
        messages[slot] += messageCount;
    }

    /** {batches, messages} of the 60 seconds up to now. */
    public long[] lastMinute() {
        return lastMinute(System.currentTimeMillis() / 1000);
    }

    synchronized long[] lastMinute(long nowSecond) {
        long b = 0;
        long m = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (nowSecond - seconds[i] < SLOTS && seconds[i] <= nowSecond) {
                b += batches[i];
                m += messages[i];
            }
        }
        return new long[]{b, m};
    }
}
