package io.herald.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The embedded default: a queue inside this process, drained by a few consumer threads in batches.
 * Nothing here survives a restart; the database does, and pending messages are re-published from it
 * when the process starts ({@link #durable()} is false).
 */
@Component
@ConditionalOnProperty(name = "herald.transport", havingValue = "inmemory", matchIfMissing = true)
public class InMemoryTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(InMemoryTransport.class);
    static final String NAME = "inmemory";

    /** A task and the trace headers of the publish that queued it (null: none). */
    private record Queued(DeliveryTask task, Map<String, String> trace) {
    }

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    // A ScheduledThreadPoolExecutor (not Executors' wrapper) so that the retries waiting in it can be counted.
    private final ScheduledThreadPoolExecutor retryTimer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "herald-retry-timer");
        t.setDaemon(true);
        return t;
    });
    private final TaskTracing tracing;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    InMemoryTransport() {
        this.tracing = TaskTracing.OFF;
    }

    @Autowired
    InMemoryTransport(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracing = TaskTracing.of(tracer, propagator);
    }

    @Override
    public void publish(List<DeliveryTask> tasks) {
        Map<String, String> trace = tracing.current();
        List<Queued> queued = new ArrayList<>(tasks.size());
        for (DeliveryTask task : tasks) {
            queued.add(new Queued(task, trace));
        }
        queue.addAll(queued);
    }

    @Override
    public void publishRetry(DeliveryTask task, Duration delay) {
        // The retry's batch becomes a child of the batch that scheduled it: one trace across all attempts.
        Queued queued = new Queued(task, tracing.current());
        retryTimer.schedule(() -> queue.add(queued), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void deadLetter(DeliveryTask task, String reason) {
        // The FAILED row is the dead letter here: listed by the API and re-drivable from it.
    }

    @Override
    public synchronized void startConsuming(DeliveryHandler handler, ConsumerSettings settings) {
        running = true;
        for (int i = 0; i < settings.consumers(); i++) {
            Thread thread = new Thread(() -> consume(handler, settings.batchSize()), "herald-consumer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void consume(DeliveryHandler handler, int batchSize) {
        List<Queued> batch = new ArrayList<>(batchSize);
        List<DeliveryTask> tasks = new ArrayList<>(batchSize);
        List<Map<String, String>> traces = new ArrayList<>(batchSize);
        while (running) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                for (Queued queued : batch) {
                    tasks.add(queued.task());
                    traces.add(queued.trace());
                }
                tracing.handle(handler, tasks, traces);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Outcomes were not stored: put the batch back so it is tried again.
                log.warn("Delivery batch of {} failed, re-queued: {}", batch.size(), e.toString());
                queue.addAll(batch);
                sleepQuietly(500);
            } finally {
                batch.clear();
                tasks.clear();
                traces.clear();
            }
        }
    }

    @Override
    public synchronized void stopConsuming() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        retryTimer.shutdownNow();
    }

    @Override
    public boolean durable() {
        return false;
    }

    /** Tasks waiting in the queue (not counting scheduled retries). */
    public int depth() {
        return queue.size();
    }

    /** The queue and the retries waiting for their time, in tasks; both are in memory, so no cache is needed. */
    @Override
    public List<QueueDepth> depths() {
        return List.of(new QueueDepth(NAME, "deliveries", queue.size(), QueueDepth.Kind.DEPTH),
                new QueueDepth(NAME, "retries", retryTimer.getQueue().size(), QueueDepth.Kind.DEPTH));
    }

    @Override
    public BrokerCheck check(Duration timeout) {
        return new BrokerCheck(NAME, true, "in-process queue");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
