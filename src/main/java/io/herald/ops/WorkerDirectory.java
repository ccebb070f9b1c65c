package io.herald.ops;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the worker registry (any process may: it is a table every worker writes its own row of). */
@Component
public class WorkerDirectory {
    private static final int MAX_ROWS = 1_000;

    private final JdbcClient jdbc;
    private final OpsProperties properties;

    WorkerDirectory(JdbcClient jdbc, OpsProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** Alive and lost workers, and those stopped within {@code herald.ops.forget-after}: newest first. */
    public List<WorkerInfo> list() {
        long now = System.currentTimeMillis();
        long lostAfter = properties.lostAfter().toMillis();
        return jdbc.sql("SELECT id, host, pid, roles, transport, started_at, last_heartbeat_at, stopped_at,"
                        + " batches_last_minute, messages_last_minute FROM ops_workers ORDER BY started_at DESC, id LIMIT ?")
                .param(MAX_ROWS)
                .query((rs, row) -> {
                    long heartbeat = rs.getLong("last_heartbeat_at");
                    rs.getLong("stopped_at");
                    String state = !rs.wasNull() ? WorkerInfo.STOPPED
                            : now - heartbeat > lostAfter ? WorkerInfo.LOST : WorkerInfo.ALIVE;
                    return new WorkerInfo(rs.getString("id"), rs.getString("host"), rs.getLong("pid"),
                            Arrays.stream(rs.getString("roles").split(",")).filter(r -> !r.isBlank()).toList(),
                            rs.getString("transport"), Instant.ofEpochMilli(rs.getLong("started_at")),
                            Instant.ofEpochMilli(heartbeat), rs.getLong("batches_last_minute"),
                            rs.getLong("messages_last_minute"), state);
                })
                .list();
    }

    /** How many workers are alive and how many are lost (stopped ones are neither). */
    public WorkerCounts counts() {
        long alive = 0;
        long lost = 0;
        for (WorkerInfo worker : list()) {
            if (WorkerInfo.ALIVE.equals(worker.state())) {
                alive++;
            } else if (WorkerInfo.LOST.equals(worker.state())) {
                lost++;
            }
        }
        return new WorkerCounts(alive, lost);
    }

    public record WorkerCounts(long alive, long lost) {
    }
}
