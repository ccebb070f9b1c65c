package io.herald.stats;

/** Increments to a campaign's counters; negative values decrement. {@code segments} counts SMS parts sent. */
public record StatsDelta(long total, long queued, long sent, long failed, long retries, long cancelled, long segments) {
    public StatsDelta(long total, long queued, long sent, long failed, long retries, long cancelled) {
        this(total, queued, sent, failed, retries, cancelled, 0);
    }

    public static StatsDelta queued(long n) {
        return new StatsDelta(n, n, 0, 0, 0, 0);
    }

    public boolean isZero() {
        return total == 0 && queued == 0 && sent == 0 && failed == 0 && retries == 0 && cancelled == 0 && segments == 0;
    }
}
