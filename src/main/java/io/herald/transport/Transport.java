package io.herald.transport;

import java.time.Duration;
import java.util.List;

/**
 * The queue between fan-out and workers. Implementations: {@code inmemory} (one process, lost on
 * restart and rebuilt from the database), {@code rabbitmq} and {@code kafka} (durable, shared by processes).
 * Delivery is at-least-once; the message row decides whether a task is still due.
 */
public interface Transport {
    /** Hands tasks to workers; returns when the transport has accepted them (confirmed, for brokers). */
    void publish(List<DeliveryTask> tasks);

    /** Hands a task to workers again after {@code delay}, without blocking any worker meanwhile. */
    void publishRetry(DeliveryTask task, Duration delay);

    /** Parks a task that failed for good where operators can see it (a dead-letter queue or topic). */
    void deadLetter(DeliveryTask task, String reason);

    /**
     * Starts feeding batches to {@code handler} (worker processes only). Brokers hand out whole messages or records,
     * so a consumer takes at least one of them ({@code herald.rabbitmq.tasks-per-message},
     * {@code herald.kafka.tasks-per-record} tasks) whatever the batch size.
     */
    void startConsuming(DeliveryHandler handler, ConsumerSettings settings);

    /** Stops taking new tasks and waits for batches in progress to finish. */
    void stopConsuming();

    /** True when published tasks survive a restart of this process (brokers); false for in-memory. */
    boolean durable();

    /**
     * Work waiting in each of this transport's queues (work queue, retry tiers, dead letters), as the broker saw it
     * a few seconds ago at most: brokers are asked at most once per {@code herald.ops.queue-depth-cache}. Empty when
     * the broker cannot be asked (down, or too slow to answer); never throws.
     */
    default List<QueueDepth> depths() {
        return List.of();
    }

    /** Whether the broker answers within {@code timeout} (a readiness probe); never throws. */
    default BrokerCheck check(Duration timeout) {
        return new BrokerCheck("none", true, "no broker");
    }
}
