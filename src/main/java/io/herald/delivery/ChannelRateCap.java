package io.herald.delivery;

import java.time.Duration;
import java.time.Instant;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One channel's cap for the whole installation, across every worker process
 * ({@code herald.channels.<channel>.rate-per-sec}, {@code .window}, {@code .max-per-window}).
 * The per-worker {@code herald.delivery.rate-per-sec} applies on top of it.
 *
 * @param ratePerSec   provider calls per second for the whole installation; 0 = no per-second cap
 * @param window       length of the window that {@code maxPerWindow} counts in (e.g. {@code 1h}); null = none
 * @param maxPerWindow provider calls per window for the whole installation; 0 = no window cap
 */
public record ChannelRateCap(@DefaultValue("0") int ratePerSec,
                             Duration window,
                             @DefaultValue("0") long maxPerWindow) {

    /** No cap at all. */
    public static final ChannelRateCap NONE = new ChannelRateCap(0, null, 0);

    /** Windows shorter than this are per-second rates in disguise; rate-per-sec says that better. */
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    public ChannelRateCap {
        if (ratePerSec < 0) {
            throw new IllegalArgumentException("rate-per-sec must be >= 0 (0 = no cap), got " + ratePerSec);
        }
        if (maxPerWindow < 0) {
            throw new IllegalArgumentException("max-per-window must be >= 0 (0 = no window cap), got " + maxPerWindow);
        }
        if (window != null && maxPerWindow == 0) {
            throw new IllegalArgumentException("window is set (" + window + ") but max-per-window is not: set both,"
                    + " e.g. window=1h and max-per-window=10000");
        }
        if (window == null && maxPerWindow > 0) {
            throw new IllegalArgumentException("max-per-window is set (" + maxPerWindow + ") but window is not: set both,"
                    + " e.g. window=1h and max-per-window=10000");
        }
        if (window != null && window.compareTo(MIN_WINDOW) < 0) {
            throw new IllegalArgumentException("window must be at least 1s (use rate-per-sec for per-second caps), got " + window);
        }
        if (window != null && window.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("window must be a whole number of milliseconds, got " + window);
        }
        if (window != null && window.toNanos() < maxPerWindow) {
            throw new IllegalArgumentException("max-per-window " + maxPerWindow + " per " + window
                    + " is more than one per nanosecond");
        }
    }

    /** True when this cap limits anything. */
    public boolean enabled() {
        return ratePerSec > 0 || maxPerWindow > 0;
    }

    /**
     * The shared bucket's shape. Both limits apply to every provider call when both are set.
     * <ul>
     *   <li>{@code rate-per-sec} N: capacity 1, refilled greedily at N per second. Calls are spaced 1/N s apart, so
     *       no one-second span holds more than N. (A capacity of N, as the per-worker limiter has, would let a burst
     *       of N go out at once and N more refill within the same second: 2N in the first second.)</li>
     *   <li>{@code window} W + {@code max-per-window} M: capacity M, refilled with M all at once at every multiple of W
     *       since the Unix epoch (for {@code 1h}: the top of every hour, UTC). So each such window holds at most M
     *       calls, in every process alike. A token bucket cannot promise "at most M in <em>any</em> span of W": a span
     *       that straddles a window boundary can hold up to 2M, as listmonk's sliding window can (it restarts its
     *       window at the first message after the previous one ran out).</li>
     * </ul>
     */
    BucketConfiguration bucketConfiguration() {
        if (!enabled()) {
            throw new IllegalStateException("no cap configured");
        }
        ConfigurationBuilder builder = BucketConfiguration.builder();
        if (ratePerSec > 0) {
            builder.addLimit(Bandwidth.builder().capacity(1).refillGreedy(ratePerSec, Duration.ofSeconds(1)).build());
        }
        if (maxPerWindow > 0) {
            // The first refill at epoch + W puts every process's windows on the same grid, whatever its start time.
            builder.addLimit(Bandwidth.builder().capacity(maxPerWindow)
                    .refillIntervallyAligned(maxPerWindow, window, Instant.ofEpochMilli(window.toMillis())).build());
        }
        return builder.build();
    }

    /**
     * The part of the bucket key that names these settings, e.g. {@code 50/s} or {@code 50/s,10000/PT1H}. Processes
     * with the same settings share one bucket; changing a setting moves to a fresh bucket at once (the stored bucket
     * keeps the configuration it was created with).
     */
    String fingerprint() {
        StringBuilder key = new StringBuilder();
        if (ratePerSec > 0) {
            key.append(ratePerSec).append("/s");
        }
        if (maxPerWindow > 0) {
            if (!key.isEmpty()) {
                key.append(',');
            }
            key.append(maxPerWindow).append('/').append(window);
        }
        return key.toString();
    }
}
