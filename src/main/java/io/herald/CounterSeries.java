package io.herald;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A campaign's per-unit counter rows (one row per second or minute, two counters) summed into at most
 * {@code maxPoints} equal buckets of whole units, oldest first: the throughput and engagement curves. Table and
 * column names are the callers' constants, never input.
 */
public record CounterSeries(long bucket, List<Point> points) {
    /** A bucket starting at unit {@code start}, with the sums of the two counters. */
    public record Point(long start, long first, long second) {
    }

    public static CounterSeries read(JdbcClient jdbc, String table, String unitColumn, String first, String second,
                                     long campaignId, int maxPoints) {
        long[] range = jdbc.sql("SELECT MIN(" + unitColumn + "), MAX(" + unitColumn + ") FROM " + table
                        + " WHERE campaign_id = ?")
                .param(campaignId)
                .query((rs, row) -> {
                    long lo = rs.getLong(1);
                    return rs.wasNull() ? null : new long[]{lo, rs.getLong(2)};
                })
                .optional().orElse(null);
        if (range == null) {
            return new CounterSeries(1, List.of());
        }
        long lo = range[0];
        long bucket = Math.max(1, (range[1] - lo + maxPoints) / Math.max(1, maxPoints));
        List<Point> points = jdbc.sql("SELECT b, SUM(" + first + "), SUM(" + second + ") FROM (SELECT FLOOR(("
                        + unitColumn + " - ?) / ?) AS b, " + first + ", " + second + " FROM " + table
                        + " WHERE campaign_id = ?) buckets GROUP BY b ORDER BY b")
                .params(lo, bucket, campaignId)
                .query((rs, row) -> new Point(lo + rs.getLong(1) * bucket, rs.getLong(2), rs.getLong(3)))
                .list();
        return new CounterSeries(bucket, points);
    }
}
