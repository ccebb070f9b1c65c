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
            + " track_clicks, track_opens";
    private final JdbcClient jdbc;

    CampaignRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new campaign from its validated values ({@code c.id()} and the timestamps are ignored). */
    long insert(Campaign c, long now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO campaigns (name, channel, subject, template, content_type, text_template, from_address, reply_to,"
                        + " segment_rule, status, external_id, created_at, updated_at, scheduled_at, track_clicks, track_opens)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(c.name(), c.channel().key(), c.subject(), c.template(), c.contentType().key(), c.textTemplate(),
                        c.from(), c.replyTo(), c.segmentRule(), c.status().name(), c.externalId(), now, now,
                        millis(c.scheduledAt()), c.trackClicks(), c.trackOpens())
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<Campaign> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id = ?").param(id)
                .query(CampaignRepository::map).optional();
    }

    Optional<Campaign> findByExternalId(long externalId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE external_id = ?").param(externalId)
                .query(CampaignRepository::map).optional();
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
        return jdbc.sql("SELECT " + COLUMNS + " FROM campaigns WHERE id < :before" + where + " ORDER BY id DESC LIMIT :limit")
                .param("before", beforeId)
                .param("status", status == null ? null : status.name())
                .param("limit", limit)
                .query(CampaignRepository::map).list();
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
                rs.getBoolean("track_opens"));
    }
}
