package io.herald.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** SQL for api_keys. Keys are found by the SHA-256 of the secret (unique index); the secret is never stored. */
@Repository
class ApiKeyRepository {
    private static final String COLUMNS = "id, name, prefix, role, created_by, created_at, revoked_at";
    private final JdbcClient jdbc;

    ApiKeyRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String name, String prefix, String hash, Role role, String createdBy, long now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO api_keys (name, prefix, key_hash, role, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .params(name, prefix, hash, role.name(), createdBy, now)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    Optional<ApiKey> findByHash(String hash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?").param(hash)
                .query(ApiKeyRepository::map).optional();
    }

    Optional<ApiKey> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?").param(id)
                .query(ApiKeyRepository::map).optional();
    }

    List<ApiKey> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY id DESC").query(ApiKeyRepository::map).list();
    }

    boolean revoke(long id, long now) {
        return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").params(now, id).update() == 1;
    }

    long countActive(Role role) {
        return jdbc.sql("SELECT COUNT(*) FROM api_keys WHERE role = ? AND revoked_at IS NULL").param(role.name())
                .query(Long.class).single();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        long revoked = rs.getLong("revoked_at");
        Instant revokedAt = rs.wasNull() ? null : Instant.ofEpochMilli(revoked);
        return new ApiKey(rs.getLong("id"), rs.getString("name"), rs.getString("prefix"), Role.valueOf(rs.getString("role")),
                rs.getString("created_by"), Instant.ofEpochMilli(rs.getLong("created_at")), revokedAt);
    }
}
