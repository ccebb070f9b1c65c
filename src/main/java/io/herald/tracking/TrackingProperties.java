package io.herald.tracking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Click and open tracking ({@code herald.tracking.*}).
 *
 * @param clicks        default of a new email campaign's {@code track_clicks}
 * @param opens         default of a new email campaign's {@code track_opens}
 * @param storeIp       store the client IP of the first open / click of each recipient (off: never stored)
 * @param queueCapacity events waiting for the writer; beyond it events are counted as dropped, never waited for
 * @param batchSize     events written per transaction at most
 * @param flushInterval longest wait of an event in the queue before the writer takes it
 */
@ConfigurationProperties("herald.tracking")
public record TrackingProperties(@DefaultValue("true") boolean clicks,
                                 @DefaultValue("true") boolean opens,
                                 @DefaultValue("false") boolean storeIp,
                                 @DefaultValue("100000") int queueCapacity,
                                 @DefaultValue("1000") int batchSize,
                                 @DefaultValue("200ms") Duration flushInterval) {
    public TrackingProperties {
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("herald.tracking queue-capacity and batch-size must be >= 1");
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("herald.tracking.flush-interval must be positive");
        }
    }
}
