package io.herald.tracking;

import java.util.List;

/**
 * A campaign's unique opens and clicks over time: each point covers {@code bucketMinutes} minutes from
 * {@code epochMinute} and counts the recipients who first opened / first clicked in it.
 */
public record EngagementSeries(long campaignId, long bucketMinutes, List<Point> points) {
    public record Point(long epochMinute, long opens, long clicks) {
    }
}
