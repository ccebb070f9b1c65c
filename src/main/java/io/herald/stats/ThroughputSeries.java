package io.herald.stats;

import java.util.List;

/**
 * A campaign's finished messages over time: each point covers {@code bucketSeconds} seconds from
 * {@code epochSecond} and counts the messages sent and failed (for good) in it.
 */
public record ThroughputSeries(long campaignId, long bucketSeconds, List<Point> points) {
    public record Point(long epochSecond, long sent, long failed) {
    }
}
