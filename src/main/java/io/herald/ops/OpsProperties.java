package io.herald.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code herald.ops.*}: how often a worker reports ({@code heartbeat-interval}), how long a silent one is still
 * counted alive ({@code lost-after}), when its row is deleted ({@code forget-after}), how long broker answers
 * (queue depths) and database counts behind the gauges are reused ({@code queue-depth-cache}) and how long the
 * readiness probe waits for the broker ({@code broker-timeout}).
 */
@ConfigurationProperties("herald.ops")
public record OpsProperties(@DefaultValue("10s") Duration heartbeatInterval,
                            @DefaultValue("30s") Duration lostAfter,
                            @DefaultValue("1d") Duration forgetAfter,
                            @DefaultValue("5s") Duration queueDepthCache,
                            @DefaultValue("2s") Duration brokerTimeout) {
}
