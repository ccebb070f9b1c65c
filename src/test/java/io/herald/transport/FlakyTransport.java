package io.herald.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-process transport whose first {@code failures} publishes fail, as if the broker were down. */
public class FlakyTransport implements Transport {
    private final InMemoryTransport delegate = new InMemoryTransport(2, 500);
    private final AtomicInteger failuresLeft;
    public final AtomicInteger failedPublishes = new AtomicInteger();

    public FlakyTransport(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public void publish(List<DeliveryTask> tasks) {
        if (failuresLeft.getAndDecrement() > 0) {
            failedPublishes.incrementAndGet();
            throw new IllegalStateException("simulated broker outage");
        }
        delegate.publish(tasks);
    }

    @Override
    public void publishRetry(DeliveryTask task, Duration delay) {
        delegate.publishRetry(task, delay);
    }

    @Override
    public void deadLetter(DeliveryTask task, String reason) {
        delegate.deadLetter(task, reason);
    }

    @Override
    public void startConsuming(DeliveryHandler handler) {
        delegate.startConsuming(handler);
    }

    @Override
    public void stopConsuming() {
        delegate.stopConsuming();
    }

    @Override
    public boolean durable() {
        // Behaves like a broker: startup recovery must not paper over a lost page.
        return true;
    }
}
