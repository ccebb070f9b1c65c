package io.herald.provider;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.herald.Channel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which provider delivers each channel: {@code herald.channels.<channel>.provider}, which defaults to
 * {@code herald.provider.type} (the setting from before channels existed), which defaults to {@code mock}.
 * Providers are created eagerly, so a wrong name or missing setting stops start-up with a clear message.
 * Each channel's provider is timed ({@code herald_provider_call_seconds{channel,provider}}): only calls that
 * reach it, not messages its circuit breaker holds back.
 */
@Component
public class ProviderRegistry implements org.springframework.beans.factory.DisposableBean {
    private final Map<Channel, Provider> byChannel = new EnumMap<>(Channel.class);
    private final Map<Channel, String> names = new EnumMap<>(Channel.class);
    private final Map<String, Provider> created = new HashMap<>();
    private final ProviderHealth health;

    ProviderRegistry(List<ProviderFactory> factories, Environment environment, ProviderHealth health, MeterRegistry meters) {
        this.health = health;
        Map<String, ProviderFactory> known = new HashMap<>();
        factories.forEach(f -> known.put(f.name(), f));
        String fallback = environment.getProperty("herald.provider.type", "mock");
        for (Channel channel : Channel.values()) {
            String property = "herald.channels." + channel.key() + ".provider";
            String name = environment.getProperty(property, fallback).trim();
            ProviderFactory factory = known.get(name);
            if (factory == null) {
                throw new IllegalStateException(property + "=" + name + " names no provider; known: " + new TreeSet<>(known.keySet()));
            }
            if (!factory.supports(channel)) {
                throw new IllegalStateException(property + "=" + name + ": the " + name + " provider cannot deliver "
                        + channel.key() + " messages");
            }
            Provider provider = created.computeIfAbsent(name, n -> factory.create());
            byChannel.put(channel, timed(provider, callTimer(meters, channel, name)));
            names.put(channel, name);
        }
    }

    /**
     * Sends through the channel's provider, guarded by its circuit breaker: during an outage the answer is
     * {@link SendResult.Deferred} (the message waits without spending an attempt) instead of a call.
     */
    public SendResult send(Channel channel, OutboundMessage message) {
        return health.send(names.get(channel), byChannel.get(channel), message);
    }

    /**
     * Present while the channel's provider is known to be down in this process (its breaker open, the wait not
     * over): the message waits without a call, a rate-limit token or an attempt.
     */
    public java.util.Optional<SendResult.Deferred> deferral(Channel channel) {
        return health.refusing(names.get(channel));
    }

    /** How the channel's provider is doing across the worker processes. */
    public ProviderState state(Channel channel) {
        return health.state(names.get(channel));
    }

    /** Closes providers that hold connections (the SMTP pool). */
    @Override
    public void destroy() throws Exception {
        for (Provider provider : created.values()) {
            if (provider instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    private static Timer callTimer(MeterRegistry meters, Channel channel, String provider) {
        return Timer.builder("herald.provider.call")
                .description("Provider calls: how long each took")
                .tag("channel", channel.key())
                .tag("provider", provider)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(60))
                .register(meters);
    }

    private static Provider timed(Provider provider, Timer timer) {
        return message -> {
            long start = System.nanoTime();
            try {
                return provider.send(message);
            } finally {
                timer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    /** The configured provider name of the channel. */
    public String nameOf(Channel channel) {
        return names.get(channel);
    }
}
