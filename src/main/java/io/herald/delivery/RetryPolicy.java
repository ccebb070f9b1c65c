package io.herald.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits a random time between half and all of
 * {@code initial * 2^(n-1)}, capped at {@code max}, so that retries of one failure burst spread out.
 */
record RetryPolicy(int maxAttempts, Duration initial, Duration max) {

    /** True if a message that has now failed {@code attemptsMade} times may be tried again. */
    boolean mayRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /** Delay before the next attempt after {@code attemptsMade} failed attempts (1-based). */
    Duration backoff(int attemptsMade) {
        long ceiling = initial.toMillis() << Math.min(30, Math.max(0, attemptsMade - 1));
        long capped = Math.min(max.toMillis(), Math.max(1, ceiling));
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }
}
