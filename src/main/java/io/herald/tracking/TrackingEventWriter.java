package io.herald.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes opens and clicks from request threads into a bounded in-memory queue and writes them in batches from
 * one background thread, so that a burst of clicks costs each request a queue offer, never a database round
 * trip, and never waits: when the queue is full the event is counted as dropped. Events still queued when the
 * process is killed are lost (tracking is a statistic, not a record); a graceful stop writes them first.
 */
@Component
class TrackingEventWriter implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(TrackingEventWriter.class);
    private static final int ATTEMPTS = 3;

    private final TrackingStore store;
    private final BlockingQueue<TrackingEvent> queue;
    private final int batchSize;
    private final long flushIntervalMs;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    TrackingEventWriter(TrackingStore store, TrackingProperties properties) {
        this.store = store;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        this.batchSize = properties.batchSize();
        this.flushIntervalMs = properties.flushInterval().toMillis();
    }

    /** Queues an event; false (and counted) when the queue is full. Never blocks. */
    boolean offer(TrackingEvent event) {
        if (queue.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    long dropped() {
        return dropped.get();
    }

    /** Events taken from the queue and written (or given up on after repeated failures). */
    long written() {
        return written.get();
    }

    /** Transactions the writer ran, one per batch. */
    long batches() {
        return batches.get();
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        List<TrackingEvent> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                TrackingEvent first = queue.poll(flushIntervalMs, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Tracking writer: {}", e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<TrackingEvent> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                store.write(batch);
                batches.incrementAndGet();
                written.addAndGet(batch.size());
                return;
            } catch (DuplicateKeyException e) {
                // another process stored one of these keys meanwhile: the next attempt finds it stored
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
            } catch (DataAccessException e) {
                if (attempt >= ATTEMPTS) {
                    log.warn("Tracking writer gives up on {} events after {} attempts: {}", batch.size(), attempt, e.toString());
                    written.addAndGet(batch.size());
                    dropped.addAndGet(batch.size());
                    return;
                }
                sleep(200L * attempt);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "herald-tracking-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000); // the loop writes what is queued before it ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
