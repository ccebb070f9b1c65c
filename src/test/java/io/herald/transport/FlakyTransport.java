package io.herald.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process transport whose first {@code failures} publishes fail, as if the broker were down, or whose first
 * publish hangs for a while and then succeeds (a broker that blocks the producer while it is away).
 */
public class FlakyTransport implements Transport {
    private final InMemoryTransport delegate = new InMemoryTransport();
    private final AtomicInteger failuresLeft;
    private final AtomicInteger stallsLeft;
    private final Duration stall;
    private final Duration pace;
    private volatile java.util.function.Consumer<List<DeliveryTask>> afterPace = tasks -> { };
    public final AtomicInteger failedPublishes = new AtomicInteger();

    public FlakyTransport(int failures) {
        this(failures, 0, Duration.ZERO, Duration.ZERO);
    }

    private FlakyTransport(int failures, int stalls, Duration stall, Duration pace) {
        this.failuresLeft = new AtomicInteger(failures);
        this.stallsLeft = new AtomicInteger(stalls);
        this.stall = stall;
        this.pace = pace;
    }

    /** Every publish takes {@code pace}; {@code observer} sees its tasks at the end of that time, before they go through. */
    public static FlakyTransport pacedAndObserved(Duration pace, java.util.function.Consumer<List<DeliveryTask>> observer) {
        FlakyTransport transport = new FlakyTransport(0, 0, Duration.ZERO, pace);
        transport.afterPace = observer;
        return transport;
    }

    /** The first publish blocks for {@code stall}, then goes through; every later one takes {@code pace}. */
    public static FlakyTransport stallingFirstPublish(Duration stall, Duration pace) {
        return new FlakyTransport(0, 1, stall, pace);
    }

    @Override
    public void publish(List<DeliveryTask> tasks) {
        if (failuresLeft.getAndDecrement() > 0) {
            failedPublishes.incrementAndGet();
            throw new IllegalStateException("simulated broker outage");
        }
        boolean stalls = stallsLeft.getAndDecrement() > 0;
        if (stalls || !pace.isZero()) {
            try {
                Thread.sleep((stalls ? stall : pace).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        afterPace.accept(tasks);
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
    public void startConsuming(DeliveryHandler handler, ConsumerSettings settings) {
        delegate.startConsuming(handler, settings);
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
