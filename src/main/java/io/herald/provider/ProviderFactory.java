package io.herald.provider;

import io.herald.Channel;

/**
 * The provider SPI: a Spring bean per kind of provider. {@code herald.channels.<channel>.provider} names
 * one by {@link #name()}; the {@link ProviderRegistry} creates only the providers that some channel
 * selects, once each, at start-up. A new provider is a new factory bean; nothing else changes.
 */
public interface ProviderFactory {
    /** The name configuration selects it by ({@code mock}, {@code webhook}, {@code smtp}, ...). */
    String name();

    /** Whether it can deliver on the channel (an SMTP server cannot send an SMS). */
    default boolean supports(Channel channel) {
        return true;
    }

    /** Builds the provider from its settings; fails with a clear message when they are missing or wrong. */
    Provider create();
}
