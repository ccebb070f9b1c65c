package io.herald.audience;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;

/** The imports table: progress and outcome of each CSV import, so any API process can report it. */
@Repository
class ImportRepository {
    private static final TypeReference<List<ImportRowError>> ERRORS = new TypeReference<>() {
    };
    private final JdbcClient jdbc;

    ImportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long create(String fileName, boolean dryRun, long bytesTotal, long now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO imports (status, file_name, dry_run, bytes_total, errors, created_at, updated_at)"
                        + " VALUES ('RUNNING', ?, ?, ?, '[]', ?, ?)")
                .params(fileName, dryRun, bytesTotal, now, now)
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /** Progress of a running import; {@code errors} null leaves the stored list as it is. */
    void progress(long id, ImportCounts c, long bytesRead, List<ImportRowError> errors, long now) {
        jdbc.sql("UPDATE imports SET total_rows = ?, imported = ?, updated = ?, skipped = ?, bytes_read = ?,"
                        + " errors = COALESCE(?, errors), updated_at = ? WHERE id = ?")
                .params(c.rows, c.imported, c.updated, c.skipped, bytesRead, errors == null ? null : write(errors), now, id)
                .update();
    }

    void finish(long id, String status, ImportCounts c, long bytesRead, List<ImportRowError> errors, String failure, long now) {
        jdbc.sql("UPDATE imports SET status = ?, total_rows = ?, imported = ?, updated = ?, skipped = ?, bytes_read = ?,"
                        + " errors = ?, failure = ?, updated_at = ?, finished_at = ? WHERE id = ?")
                .params(status, c.rows, c.imported, c.updated, c.skipped, bytesRead, write(errors),
                        failure == null ? null : failure.substring(0, Math.min(failure.length(), 1000)), now, now, id)
                .update();
    }

    /** Marks imports that stopped reporting progress (their process died) as FAILED. */
    int failStale(long staleBefore, long now) {
        return jdbc.sql("UPDATE imports SET status = 'FAILED', failure = 'the import stopped (its process ended)',"
                        + " finished_at = ? WHERE status = 'RUNNING' AND updated_at < ?")
                .params(now, staleBefore).update();
    }

    Optional<ImportResult> find(long id) {
        return jdbc.sql("SELECT id, status, dry_run, total_rows, imported, updated, skipped, bytes_read, bytes_total, errors,"
                        + " failure FROM imports WHERE id = ?")
                .param(id)
                .query((rs, row) -> new ImportResult(rs.getLong("id"), rs.getString("status"), rs.getBoolean("dry_run"),
                        rs.getLong("total_rows"), rs.getLong("imported"), rs.getLong("updated"), rs.getLong("skipped"),
                        rs.getLong("bytes_read"), rs.getLong("bytes_total"), read(rs.getString("errors")),
                        rs.getString("failure")))
                .optional();
    }

    private static String write(List<ImportRowError> errors) {
        return RecipientRepository.JSON.writeValueAsString(errors);
    }

    private static List<ImportRowError> read(String json) {
        return json == null || json.isEmpty() ? List.of() : RecipientRepository.JSON.readValue(json, ERRORS);
    }
}
