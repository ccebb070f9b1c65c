package io.herald.transport;

/**
 * How much work waits in one queue of the transport. {@code kind} says what the number counts: {@code DEPTH} is what
 * the queue holds (RabbitMQ: ready AMQP messages, each carrying up to {@code herald.rabbitmq.tasks-per-message} tasks
 * on the work queue and one task elsewhere; in-memory: tasks; Kafka's dead-letter topic: records kept), {@code LAG}
 * is how far Herald's consumer group is behind a Kafka topic (end offsets minus committed offsets, in records; a work
 * topic record carries up to {@code herald.kafka.tasks-per-record} tasks, a retry record one).
 */
public record QueueDepth(String transport, String queue, long depth, Kind kind) {
    public enum Kind {
        DEPTH, LAG;

        /** "depth" or "lag", as the API writes it. */
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
