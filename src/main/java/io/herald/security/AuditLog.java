package io.herald.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The audit log: who created, sent, paused, cancelled, imported, deleted or keyed what. Written by
 * {@link AuditInterceptor} for every successful write request, by the login endpoint, and for sends the
 * scheduler starts. Never holds request bodies, so no secret or personal data ends up here.
 */
@Service
public class AuditLog {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final String COLUMNS = "id, occurred_at, actor, role, action, target_type, target_id, detail, remote_addr";
    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an action; an audit failure is logged, never turned into a failed request. */
    public void record(HeraldPrincipal who, String action, String targetType, String targetId, String detail,
                       String remoteAddr) {
        String actor = who == null ? "anonymous" : who.actor();
        String role = who == null || who.role() == null ? null : who.role().wire();
        try {
            jdbc.sql("INSERT INTO audit_log (occurred_at, actor, role, action, target_type, target_id, detail, remote_addr)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(clock.millis(), cut(actor, 200), role, cut(action, 100), cut(targetType, 50),
                            cut(targetId, 100), cut(detail, 1000), cut(remoteAddr, 64))
                    .update();
        } catch (RuntimeException e) {
            log.warn("Could not write audit record {} by {}: {}", action, actor, e.toString());
        }
    }

    /** Newest first; {@code actor}/{@code action} filter by exact value when not null. */
    public List<AuditEntry> page(String actor, String action, long beforeId, int limit) {
        StringBuilder where = new StringBuilder(" WHERE id < :before");
        if (actor != null) {
            where.append(" AND actor = :actor");
        }
        if (action != null) {
            where.append(" AND action = :action");
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_log" + where + " ORDER BY id DESC LIMIT :limit")
                .param("before", beforeId)
                .param("actor", actor)
                .param("action", action)
                .param("limit", limit)
                .query(AuditLog::map).list();
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("occurred_at")), rs.getString("actor"),
                rs.getString("role"), rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("detail"), rs.getString("remote_addr"));
    }
}
