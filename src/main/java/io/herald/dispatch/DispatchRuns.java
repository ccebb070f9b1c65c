package io.herald.dispatch;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The dispatch_runs table: fan-out progress and the lease that lets one process at a time run it. */
@Repository
class DispatchRuns {
    record Run(long campaignId, String segmentRule, long dispatchCursor, long publishedCursor, boolean done) {
    }

    private final JdbcClient jdbc;

    DispatchRuns(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the run, leased to {@code owner}; false if the campaign already has one. */
    boolean create(long campaignId, String segmentRule, String owner, long leaseUntil, long now) {
        if (find(campaignId).isPresent()) {
            return false;
        }
        jdbc.sql("INSERT INTO dispatch_runs (campaign_id, segment_rule, owner, lease_until, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(campaignId, segmentRule, owner, leaseUntil, now).update();
        return true;
    }

    Optional<Run> find(long campaignId) {
        return jdbc.sql("SELECT campaign_id, segment_rule, dispatch_cursor, published_cursor, done FROM dispatch_runs"
                        + " WHERE campaign_id = ?")
                .param(campaignId)
                .query((rs, row) -> new Run(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5)))
                .optional();
    }

    /** Takes the lease if it is free or expired (or already ours). */
    boolean claim(long campaignId, String owner, long leaseUntil, long now) {
        return jdbc.sql("UPDATE dispatch_runs SET owner = ?, lease_until = ? WHERE campaign_id = ? AND done = FALSE"
                        + " AND (lease_until < ? OR owner = ?)")
                .params(owner, leaseUntil, campaignId, now, owner).update() == 1;
    }

    /**
     * Records fan-out progress from {@code fromCursor} to {@code cursor} and renews the lease; false if another
     * process took the lease over, the run was finished (cancelled), or the cursor is no longer {@code fromCursor}.
     * The last case is a second fan-out of the same campaign in this very process: one stuck in a publish (broker
     * down) past its lease while the supervisor resumed the campaign on another thread. The owner alone cannot tell
     * them apart; the cursor makes exactly one of them go on. Being the first statement of a page's transaction,
     * it also serialises that page with a concurrent cancel, which locks the same row.
     */
    boolean advance(long campaignId, String owner, long fromCursor, long cursor, long leaseUntil) {
        return jdbc.sql("UPDATE dispatch_runs SET dispatch_cursor = ?, lease_until = ? WHERE campaign_id = ? AND owner = ?"
                        + " AND done = FALSE AND dispatch_cursor = ?")
                .params(cursor, leaseUntil, campaignId, owner, fromCursor).update() == 1;
    }

    /** Starts the fan-out over from the first recipient, leased to {@code owner} (an A/B test's winner phase). */
    void restart(long campaignId, String owner, long leaseUntil) {
        jdbc.sql("UPDATE dispatch_runs SET dispatch_cursor = 0, published_cursor = 0, done = FALSE, owner = ?, lease_until = ?"
                        + " WHERE campaign_id = ?")
                .params(owner, leaseUntil, campaignId).update();
    }

    void published(long campaignId, long cursor) {
        jdbc.sql("UPDATE dispatch_runs SET published_cursor = ? WHERE campaign_id = ? AND published_cursor < ?")
                .params(cursor, campaignId, cursor).update();
    }

    void finish(long campaignId) {
        jdbc.sql("UPDATE dispatch_runs SET done = TRUE, lease_until = 0 WHERE campaign_id = ?").param(campaignId).update();
    }

    void release(long campaignId, String owner) {
        jdbc.sql("UPDATE dispatch_runs SET lease_until = 0 WHERE campaign_id = ? AND owner = ?").params(campaignId, owner).update();
    }

    /** Unfinished runs nobody holds (their process died, or they were paused). */
    List<Long> unclaimed(long now) {
        return jdbc.sql("SELECT campaign_id FROM dispatch_runs WHERE done = FALSE AND lease_until < ?")
                .param(now).query(Long.class).list();
    }

    /** Runs whose recipients were materialised beyond what was confirmed published. */
    List<Run> unpublished() {
        return jdbc.sql("SELECT campaign_id, segment_rule, dispatch_cursor, published_cursor, done FROM dispatch_runs"
                        + " WHERE published_cursor < dispatch_cursor")
                .query((rs, row) -> new Run(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5)))
                .list();
    }
}
