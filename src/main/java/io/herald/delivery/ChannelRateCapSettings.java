package io.herald.delivery;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

import io.herald.Channel;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The installation-wide caps of every channel, read from {@code herald.channels.<channel>.rate-per-sec},
 * {@code .window} and {@code .max-per-window}. Read and checked in every process (not only workers), so a wrong
 * setting stops any Herald process at start-up with a message that names the property.
 */
@Component
public class ChannelRateCapSettings {
    private final Map<Channel, ChannelRateCap> caps;

    @Autowired
    ChannelRateCapSettings(Environment environment) {
        this(read(Binder.get(environment)));
    }

    ChannelRateCapSettings(Map<Channel, ChannelRateCap> caps) {
        Map<Channel, ChannelRateCap> copy = new EnumMap<>(Channel.class);
        for (Channel channel : Channel.values()) {
            copy.put(channel, caps.getOrDefault(channel, ChannelRateCap.NONE));
        }
        this.caps = Collections.unmodifiableMap(copy);
    }

    /** The cap of the channel; {@link ChannelRateCap#NONE} when it has none. */
    public ChannelRateCap cap(Channel channel) {
        return caps.get(channel);
    }

    /** True when at least one channel has a cap. */
    public boolean anyEnabled() {
        return caps.values().stream().anyMatch(ChannelRateCap::enabled);
    }

    static Map<Channel, ChannelRateCap> read(Binder binder) {
        Map<Channel, ChannelRateCap> caps = new EnumMap<>(Channel.class);
        // herald.channels.<name> also holds other settings (provider, ...); only a cap on a name that is no channel is
        // an error here, since it would silently limit nothing.
        Map<String, ChannelRateCap> configured = bind(binder, "herald.channels",
                Bindable.mapOf(String.class, ChannelRateCap.class));
        if (configured == null) {
            configured = Map.of();
        }
        for (Map.Entry<String, ChannelRateCap> entry : configured.entrySet()) {
            if (entry.getValue() != null && entry.getValue().enabled() && known(entry.getKey()) == null) {
                throw new IllegalStateException("herald.channels." + entry.getKey() + " sets a rate cap, but "
                        + entry.getKey() + " is no channel; channels: email, sms");
            }
        }
        for (Channel channel : Channel.values()) {
            ChannelRateCap cap = bind(binder, "herald.channels." + channel.key(), Bindable.of(ChannelRateCap.class));
            caps.put(channel, cap == null ? ChannelRateCap.NONE : cap);
        }
        return caps;
    }

    private static <T> T bind(Binder binder, String prefix, Bindable<T> target) {
        try {
            return binder.bind(prefix, target).orElse(null);
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String property = e.getProperty() != null ? e.getProperty().getName().toString() : e.getName().toString();
            throw new IllegalStateException("Invalid rate cap setting " + property + ": " + cause.getMessage(), e);
        }
    }

    private static Channel known(String name) {
        for (Channel channel : Channel.values()) {
            if (channel.key().equalsIgnoreCase(name)) {
                return channel;
            }
        }
        return null;
    }
}
