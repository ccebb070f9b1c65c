package io.herald;

import java.util.Locale;

/**
 * How a campaign reaches people. Each channel names the recipient field that holds its address; which
 * provider delivers it is configuration ({@code herald.channels.<channel>.provider}), chosen by the
 * provider module's registry.
 */
public enum Channel {
    EMAIL("email"),
    SMS("phone");

    private final String addressField;

    Channel(String addressField) {
        this.addressField = addressField;
    }

    /** The recipient field ({@code email} or {@code phone}) a recipient needs to be reachable on this channel. */
    public String addressField() {
        return addressField;
    }

    /** The lower-case name used on the wire and in configuration ({@code email}, {@code sms}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code email} / {@code sms} (any case); throws {@link InvalidInputException} on field {@code channel}. */
    public static Channel parse(String value) {
        if (value != null) {
            for (Channel channel : values()) {
                if (channel.key().equalsIgnoreCase(value.trim())) {
                    return channel;
                }
            }
        }
        throw InvalidInputException.of("channel", "must be one of email, sms; got " + (value == null ? "null" : "\"" + value + "\""));
    }
}
