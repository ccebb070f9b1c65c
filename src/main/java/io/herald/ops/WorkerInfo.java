package io.herald.ops;

import java.time.Instant;
import java.util.List;

/**
 * One worker process as the registry knows it. {@code state}: {@code alive} (heartbeat within
 * {@code herald.ops.lost-after}), {@code lost} (silent for longer: killed, frozen or cut off from the database) or
 * {@code stopped} (shut down cleanly). The last-minute counts are those of its latest heartbeat.
 */
public record WorkerInfo(String id, String host, long pid, List<String> roles, String transport, Instant startedAt,
                         Instant lastHeartbeatAt, long batchesLastMinute, long messagesLastMinute, String state) {
    public static final String ALIVE = "alive";
    public static final String LOST = "lost";
    public static final String STOPPED = "stopped";
}
