package io.herald.ops;

import java.net.InetAddress;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This worker process's row in {@code ops_workers}: written when it starts, refreshed every
 * {@code herald.ops.heartbeat-interval} with the last minute's {@link WorkerActivity}, marked stopped (not deleted,
 * so the console shows it for a day) on a clean shutdown. A process killed or frozen simply stops beating and
 * readers call it lost. Runs in a lifecycle phase below the delivery worker's, so it starts before the worker takes
 * tasks and is marked stopped only after the worker recorded its last batch.
 */
@Component
@ConditionalOnRole(HeraldRoles.WORKER)
class WorkerRegistry implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerRegistry.class);
    private static final long PRUNE_EVERY_MS = 60_000;

    private final JdbcClient jdbc;
    private final WorkerActivity activity;
    private final OpsProperties properties;
    private final String id = UUID.randomUUID().toString();
    private final String host = hostName();
    private final long pid = ProcessHandle.current().pid();
    private final String roles;
    private final String transport;
    private ScheduledExecutorService heartbeats;
    private volatile boolean running;
    private long lastPrune;

    WorkerRegistry(JdbcClient jdbc, WorkerActivity activity, OpsProperties properties, Environment environment) {
        this.jdbc = jdbc;
        this.activity = activity;
        this.properties = properties;
        this.roles = String.join(",", new TreeSet<>(HeraldRoles.of(environment)));
        this.transport = environment.getProperty("herald.transport", "inmemory");
    }

    /** This process's id in the registry (unique per start). */
    String id() {
        return id;
    }

    @Override
    public synchronized void start() {
        long now = System.currentTimeMillis();
        try {
            insert(now);
            log.info("Registered worker {} ({} pid {}, transport {})", id, host, pid, transport);
        } catch (RuntimeException e) {
            log.warn("Could not register worker {}; the next heartbeat tries again: {}", id, e.toString());
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-worker-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long interval = Math.max(100, properties.heartbeatInterval().toMillis());
        heartbeats.scheduleWithFixedDelay(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        running = true;
    }

    void heartbeat() {
        long now = System.currentTimeMillis();
        long[] lastMinute = activity.lastMinute();
        try {
            int updated = jdbc.sql("UPDATE ops_workers SET last_heartbeat_at = ?, batches_last_minute = ?,"
                            + " messages_last_minute = ? WHERE id = ?")
                    .params(now, lastMinute[0], lastMinute[1], id).update();
            if (updated == 0) {
                // Never registered (the database was away at start) or pruned while this process was frozen.
                insert(now);
            }
            if (now - lastPrune >= PRUNE_EVERY_MS) {
                lastPrune = now;
                int pruned = jdbc.sql("DELETE FROM ops_workers WHERE last_heartbeat_at < ?")
                        .param(now - properties.forgetAfter().toMillis()).update();
                if (pruned > 0) {
                    log.info("Forgot {} workers silent for more than {}", pruned, properties.forgetAfter());
                }
            }
        } catch (RuntimeException e) {
            // The database is away: readers will call this worker lost until a heartbeat gets through again.
            log.warn("Worker heartbeat failed: {}", e.toString());
        }
    }

    private void insert(long now) {
        long[] lastMinute = activity.lastMinute();
        jdbc.sql("INSERT INTO ops_workers (id, host, pid, roles, transport, started_at, last_heartbeat_at,"
                        + " batches_last_minute, messages_last_minute) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, host, pid, roles, transport, now, now, lastMinute[0], lastMinute[1]).update();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            try {
                heartbeats.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heartbeats = null;
        }
        long now = System.currentTimeMillis();
        long[] lastMinute = activity.lastMinute();
        try {
            jdbc.sql("UPDATE ops_workers SET stopped_at = ?, last_heartbeat_at = ?, batches_last_minute = ?,"
                            + " messages_last_minute = ? WHERE id = ?")
                    .params(now, now, lastMinute[0], lastMinute[1], id).update();
        } catch (RuntimeException e) {
            log.warn("Could not mark worker {} stopped (it will show as lost): {}", id, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Below the delivery worker's phase (the default, Integer.MAX_VALUE): started before it, stopped after it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1_000;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
