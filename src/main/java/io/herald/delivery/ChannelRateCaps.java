package io.herald.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.github.bucket4j.Bucket;
import io.herald.Channel;
import io.herald.ConditionalOnRole;
import io.herald.DatabaseVendor;
import io.herald.HeraldRoles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The installation-wide cap of each channel, shared by every worker process through one Bucket4j bucket per channel
 * (see {@link CapBuckets} for where it lives, {@link ChannelRateCap#bucketConfiguration()} for its shape). The
 * per-worker {@link DeliveryRateLimiter} still applies on top.
 *
 * <p>A worker waits for its turn in slices of at most {@link #SLICE}: it reserves a call slot only if the slot is at
 * most one slice away, and between slices asks whether the message is still wanted (campaign still sending, worker
 * not stopping). So a pause, a cancel or a shutdown stops the wait within a slice plus the worker's campaign cache
 * time, even when the window cap has run out for an hour; and no connection is held while it sleeps.
 *
 * <p>A reserved turn is owed: a thread that wakes up late for it (garbage collection, a busy CPU) still takes it, and
 * late turns go out together. So each process lets only a few of its threads hold a reservation at once
 * ({@link #turnTakers(int)}: one below 200 calls per second), the others queue on a fair local semaphore. After a stall
 * an installation sends at most about one late call per process at once, instead of one per consumer thread. Under a
 * very slow store this can leave turns unused (the cap is then not reached), never exceed it.
 */
@Component
@ConditionalOnRole(HeraldRoles.WORKER)
class ChannelRateCaps implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ChannelRateCaps.class);
    /** Longest sleep between two looks at whether the message is still wanted. */
    static final Duration SLICE = Duration.ofMillis(250);
    /** Wait before trying a store that failed again. */
    private static final Duration STORE_RETRY = Duration.ofSeconds(1);
    private static final long STORE_FAILURE_LOG_INTERVAL_MS = 10_000;

    private final CapBuckets store;
    private final Map<Channel, Bucket> buckets = new EnumMap<>(Channel.class);
    private final Map<Channel, Semaphore> turnTakers = new EnumMap<>(Channel.class);
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<Channel, Long> lastFailureLog = new ConcurrentHashMap<>();

    @Autowired
    ChannelRateCaps(ChannelRateCapSettings settings, RateLimitProperties properties, DataSource dataSource,
                    DatabaseVendor vendor) {
        this(settings, properties.keyPrefix(), settings.anyEnabled() ? CapBuckets.open(properties, dataSource, vendor) : null);
    }

    ChannelRateCaps(ChannelRateCapSettings settings, String keyPrefix, CapBuckets store) {
        this.store = store;
        StringBuilder summary = new StringBuilder();
        for (Channel channel : Channel.values()) {
            ChannelRateCap cap = settings.cap(channel);
            summary.append(summary.isEmpty() ? "" : ", ").append(channel.key()).append(' ')
                    .append(cap.enabled() ? cap.fingerprint() : "none");
            if (cap.enabled()) {
                String key = keyPrefix + channel.key() + ":" + cap.fingerprint();
                try {
                    Bucket bucket = store.bucket(key, cap.bucketConfiguration());
                    // Fails start-up now if the store is unusable (no table, Redis refusing), not at the first message.
                    bucket.getAvailableTokens();
                    buckets.put(channel, bucket);
                    turnTakers.put(channel, new Semaphore(turnTakers(cap.ratePerSec()), true));
                } catch (RuntimeException e) {
                    store.close();
                    throw new IllegalStateException("The " + channel.key() + " rate cap cannot use its bucket store ("
                            + store.description() + "): " + e.getMessage(), e);
                }
            }
        }
        if (store != null) {
            log.info("Channel rate caps for the whole installation: {}; buckets in {}", summary, store.description());
        }
    }

    /**
     * Waits until the channel's cap lets one more provider call through, and takes that turn.
     *
     * @param stillWanted asked at least every {@link #SLICE} while waiting; when it turns false the wait ends
     * @return true when the call may go out now; false when {@code stillWanted} turned false first (no turn taken)
     */
    boolean acquire(Channel channel, BooleanSupplier stillWanted) throws InterruptedException {
        Bucket bucket = buckets.get(channel);
        if (bucket == null) {
            return true;
        }
        waiting.incrementAndGet();
        Semaphore turnTaker = turnTakers.get(channel);
        try {
            while (!turnTaker.tryAcquire(SLICE.toNanos(), TimeUnit.NANOSECONDS)) {
                if (!stillWanted.getAsBoolean()) {
                    return false;
                }
            }
            try {
                return takeTurn(channel, bucket, stillWanted);
            } finally {
                turnTaker.release();
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Threads of one process that may hold a reserved turn of the channel at once: enough to keep up with fast caps
     * (about 10 ms of turns each), one for the common ones.
     */
    static int turnTakers(int ratePerSec) {
        return Math.max(1, ratePerSec / 100);
    }

    /** Takes one turn from the bucket; false when the message stopped being wanted first. */
    private boolean takeTurn(Channel channel, Bucket bucket, BooleanSupplier stillWanted) throws InterruptedException {
        while (stillWanted.getAsBoolean()) {
            long waitNanos;
            try {
                // Reserves a slot at most one slice away and sleeps until it (the store's connection is already
                // back in the pool by then); further away, it reserves nothing and returns false at once.
                if (bucket.asBlocking().tryConsume(1, SLICE)) {
                    log.trace("{} turn at {}", channel.key(), System.currentTimeMillis());
                    return true;
                }
                waitNanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            } catch (RuntimeException e) {
                // Fail closed: a cap that cannot be checked is not skipped (the provider would reject or punish
                // the excess); the message waits until the store answers again.
                logStoreFailure(channel, e);
                waitNanos = STORE_RETRY.toNanos();
            }
            // Wake up a little before the turn, so the next try can reserve it within one slice.
            if (!sleepWhileWanted(waitNanos - SLICE.toNanos() / 2, stillWanted)) {
                return false;
            }
        }
        return false;
    }

    /** Threads waiting for a cap right now (for tests and diagnostics). */
    int waiting() {
        return waiting.get();
    }

    /** True when the channel has an installation-wide cap. */
    boolean capped(Channel channel) {
        return buckets.containsKey(channel);
    }

    private static boolean sleepWhileWanted(long nanos, BooleanSupplier stillWanted) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE.toNanos()));
            if (!stillWanted.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    private void logStoreFailure(Channel channel, RuntimeException e) {
        long now = System.currentTimeMillis();
        Long last = lastFailureLog.get(channel);
        if (last == null || now - last >= STORE_FAILURE_LOG_INTERVAL_MS) {
            lastFailureLog.put(channel, now);
            log.warn("The {} rate cap's bucket store ({}) failed; {} messages wait until it answers: {}", channel.key(),
                    store.description(), channel.key(), e.toString());
        }
    }

    @Override
    public void destroy() {
        if (store != null) {
            store.close();
        }
    }
}
