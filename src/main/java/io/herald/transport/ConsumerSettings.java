package io.herald.transport;

/**
 * How a worker consumes: {@code consumers} threads (in-memory) or listener concurrency (brokers), each taking
 * about {@code batchSize} tasks at once. The worker decides both (from {@code herald.delivery.*}); the transport
 * only applies them.
 */
public record ConsumerSettings(int consumers, int batchSize) {
    public ConsumerSettings {
        if (consumers < 1 || batchSize < 1) {
            throw new IllegalArgumentException("consumers and batch size must be >= 1, got " + consumers + " and " + batchSize);
        }
    }
}
