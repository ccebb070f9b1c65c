package io.herald.campaign;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.herald.Channel;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** SQL for the campaigns table. Status changes are conditional UPDATEs so that races resolve in the database. */
@Repository
class CampaignRepository {
    private static final String COLUMNS = "id, name, channel, subject, template, content_type, text_template, from_address,"
            + " reply_to, segment_rule, status, external_id, created_at, updated_at, scheduled_at, started_at, completed_at,"
            + " track_clicks, track_opens, ab_share, ab_metric, ab_wait_ms, ab_phase, ab_wait_until, ab_winner";
    private final JdbcClient jdbc;

    CampaignRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new campaign from its validated values ({@code c.id()} and the timestamps are ignored). */
    long insert(Campaign c, long now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO campaigns (name, channel, subject, template, content_type, text_template, from_address, reply_to,"
                        + " segment_rule, status, external_id, created_at, updated_at, scheduled_at, track_clicks, track_opens,"
                        + " ab_share, ab_metric, ab_wait_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.name(), c.channel().key(), c.subject(), c.template(), c.contentType().key(), c.textTemplate(),
                        c.from(), c.replyTo(), c.segmentRule(), c.status().name(), c.externalId(), now, now,
                        millis(c.scheduledAt()), c.trackClicks(), c.trackOpens(),
                        c.abTest() == null ? null : c.abTest().share(), c.abTest() == null ? null : c.abTest().metric(),
                        c.abTest() == null ? null : c.abTest().waitTime().toMillis())
                .update(keys, "id");
        long id = keys.getKey().longValue();
        for (Variant v : c.variants()) {
            jdbc.sql("INSERT INTO campaign_variants (campaign_id, position, name, subject, template, weight) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(id, v.position(), v.name(), v.subject(), v.template(), v.weight()).update();
        }
        return id;
    }

    /** The variants of the given campaigns in position order, by campaign (one query). */
    private java.util.Map<Long, List<Variant>> variants(java.util.Collection<Long> campaignIds) {
        java.util.Map<Long, List<Variant>> byCampaign = new java.util.HashMap<>();
        if (campaignIds.isEmpty()) {
            return byCampaign;
        }
        jdbc.sql("SELECT campaign_id, position, name, subject, template, weight FROM campaign_variants"
                        + " WHERE campaign_id IN (:ids) ORDER BY campaign_id, position")
                .param("ids", campaignIds)
                .query(rs -> {
                    byCampaign.computeIfAbsent(rs.getLong(1), k -> new java.util.ArrayList<>()).add(new Variant(rs.getInt(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6)));
                });
        return byCampaign;
    }

    private List<Campaign> withVariants(List<Campaign> found) {
        List<Long> ids = found.stream().map(Campaign::id).toList();
        java.util.Map<Long, List<Variant>> variants = variants(ids);
        return found.stream().map(c -> variants.containsKey(c.id()) ? withVariants(c, variants.get(c.id())) : c).toList();
    }

    private static Campaign withVariants(Campaign c, List<Variant> variants) {
        return new Campaign(c.id(), c.name(), c.channel(), c.subject(), c.template(), c.contentType(), c.textTemplate(),
                c.from(), c.replyTo(), c.segmentRule(), c.status(), c.externalId(), c.createdAt(), c.updatedAt(),
                c.scheduledAt(), c.startedAt(), c.completedAt(), c.trackClicks(), c.trackOpens(), variants, c.abTest());
    }

    private Optional<Campaign> withVariants(Optional<Campaign> found) {
        return found.map(c -> withVariants(List.of(c)).get(0));
    }

    /** Starts the automatic-winner test of a campaign that has one and has not started it; false otherwise. */
    boolean startAbTest(long id) {
        return jdbc.sql("UPDATE campaigns SET ab_phase = 'TEST' WHERE id = ? AND ab_share IS NOT NULL AND ab_phase IS NULL")
                .param(id).update() == 1;
    }

    /** TEST → WAITING until {@code until}; false if the campaign is not in its test phase. */
    boolean startAbWait(long id, long until) {
        return jdbc.sql("UPDATE campaigns SET ab_phase = 'WAITING', ab_wait_until = ? WHERE id = ? AND ab_phase = 'TEST'")
                .params(until, id).update() == 1;
    }

    /** WAITING → WINNER with the winner's position, for a SENDING campaign only (a paused one waits). */
    boolean chooseWinner(long id, int winner) {
        return jdbc.sql("UPDATE campaigns SET ab_phase = 'WINNER', ab_winner = ? WHERE id = ? AND status = 'SENDING'"
                        + " AND ab_phase = 'WAITING'")
                .params(winner, id).update() == 1;
    }

    /** SENDING campaigns whose A/B wait is over. */
    List<Long> dueWinners(long now, int limit) {
        return jdbc.sql("SELECT id FROM campaigns WHERE status = 'SENDING' AND ab_phase = 'WAITING' AND ab_wait_until <= ?"
                        + " ORDER BY id LIMIT ?")
                .params(now, limit).query(Long.class).list();
    }

    void addTimeline(long id, long at, String event, String detail) {
        jdbc.sql("INSERT INTO campaign_timeline (campaign_id, at_ms, event, detail) VALUES (?, ?, ?, ?)")
                .params(id, at, event, detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500)).update();
    }

    List<TimelineEntry> timeline(long id) {
        return jdbc.sql("SELECT at_ms, event, detail FROM campaign_timeline WHERE campaign_id = ? ORDER BY id")
                .param(id)
                .query((rs, row) -> new TimelineEntry(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3)))
                .list();
    }

    Optional<Campaign> find(long id) {
        return withVariants(jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id = ?").param(id)
                .query(CampaignRepository::map).optional());
    }

    Optional<Campaign> findByExternalId(long externalId) {
        return withVariants(jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE external_id = ?").param(externalId)
                .query(CampaignRepository::map).optional());
    }

    /** Campaigns per status (one grouped read of the small campaigns table, served by its status index). */
    java.util.Map<CampaignStatus, Long> countByStatus() {
        java.util.Map<CampaignStatus, Long> counts = new java.util.EnumMap<>(CampaignStatus.class);
        for (CampaignStatus status : CampaignStatus.values()) {
            counts.put(status, 0L);
        }
        jdbc.sql("SELECT status, COUNT(*) FROM campaigns GROUP BY status")
                .query(rs -> {
                    counts.put(CampaignStatus.valueOf(rs.getString(1)), rs.getLong(2));
                });
        return counts;
    }

    /** Newest first, keyset-paged on id. */
    List<Campaign> page(CampaignStatus status, long beforeId, int limit) {
        String where = status == null ? "" : " AND status = :status";
        return withVariants(jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id < :before" + where + " ORDER BY id DESC LIMIT :limit")
                .param("before", beforeId)
                .param("status", status == null ? null : status.name())
                .param("limit", limit)
                .query(CampaignRepository::map).list());
    }

    /** Moves the campaign from one of {@code from} to {@code to}; false when its status was not one of them. */
    boolean transition(long id, List<CampaignStatus> from, CampaignStatus to, long now) {
        String extra = switch (to) {
            case SENDING -> ", started_at = COALESCE(started_at, :now), completed_at = NULL";
            case COMPLETED, CANCELLED -> ", completed_at = :now";
            default -> "";
        };
        return jdbc.sql("UPDATE campaigns SET status = :to, updated_at = :now" + extra
                        + " WHERE id = :id AND status IN (:from)")
                .param("to", to.name())
                .param("now", now)
                .param("id", id)
                .param("from", from.stream().map(Enum::name).toList())
                .update() == 1;
    }

    /** Writes the edited values of a DRAFT or SCHEDULED campaign; false once it has left those states. */
    boolean update(Campaign c, long now) {
        return jdbc.sql("UPDATE campaigns SET name = ?, channel = ?, subject = ?, template = ?, content_type = ?,"
                        + " text_template = ?, from_address = ?, reply_to = ?, segment_rule = ?, status = ?, scheduled_at = ?,"
                        + " track_clicks = ?, track_opens = ?, updated_at = ? WHERE id = ? AND status IN ('DRAFT', 'SCHEDULED')")
                .params(c.name(), c.channel().key(), c.subject(), c.template(), c.contentType().key(), c.textTemplate(),
                        c.from(), c.replyTo(), c.segmentRule(), c.status().name(), millis(c.scheduledAt()),
                        c.trackClicks(), c.trackOpens(), now, c.id())
                .update() == 1;
    }

    /** Locks the campaign row for the rest of the transaction; false if it is not in {@code status}. */
    boolean lockIfStatus(long id, CampaignStatus status) {
        return jdbc.sql("SELECT status FROM campaigns WHERE id = ? FOR UPDATE").param(id)
                .query(String.class).optional().filter(status.name()::equals).isPresent();
    }

    List<Long> dueScheduled(long now, int limit) {
        return jdbc.sql("SELECT id FROM campaigns WHERE status = 'SCHEDULED' AND scheduled_at <= ? ORDER BY scheduled_at LIMIT ?")
                .params(now, limit).query(Long.class).list();
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    private static Campaign map(ResultSet rs, int row) throws SQLException {
        long external = rs.getLong("external_id");
        Long externalId = rs.wasNull() ? null : external;
        return new Campaign(rs.getLong("id"), rs.getString("name"), Channel.parse(rs.getString("channel")),
                rs.getString("subject"), rs.getString("template"), ContentType.parse(rs.getString("content_type")),
                rs.getString("text_template"), rs.getString("from_address"), rs.getString("reply_to"),
                rs.getString("segment_rule"), CampaignStatus.valueOf(rs.getString("status")), externalId,
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "scheduled_at"),
                instant(rs, "started_at"), instant(rs, "completed_at"), rs.getBoolean("track_clicks"),
                rs.getBoolean("track_opens"), List.of(), abTest(rs));
    }

    private static AbTest abTest(ResultSet rs) throws SQLException {
        int share = rs.getInt("ab_share");
        if (rs.wasNull()) {
            return null;
        }
        String phase = rs.getString("ab_phase");
        int winner = rs.getInt("ab_winner");
        Integer winnerPosition = rs.wasNull() ? null : winner;
        return new AbTest(share, rs.getString("ab_metric"), java.time.Duration.ofMillis(rs.getLong("ab_wait_ms")),
                phase == null ? null : AbPhase.valueOf(phase), instant(rs, "ab_wait_until"), winnerPosition);
    }
}
