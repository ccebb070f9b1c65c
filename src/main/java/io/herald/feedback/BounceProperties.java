package io.herald.feedback;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.bounces.*}: how many soft bounces ({@code soft-limit}) within {@code soft-window} make a recipient
 * BOUNCED, as a hard bounce does at once.
 */
@ConfigurationProperties("herald.bounces")
record BounceProperties(@DefaultValue("3") int softLimit, @DefaultValue("30d") Duration softWindow) {
    BounceProperties {
        if (softLimit < 1) {
            throw new IllegalArgumentException("herald.bounces.soft-limit must be >= 1, got " + softLimit);
        }
    }
}
