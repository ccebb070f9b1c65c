package io.herald.provider;

import java.time.Instant;

/**
 * How a provider is doing, as its circuit breakers in the worker processes see it: {@code CLOSED} (calls flow),
 * {@code OPEN} (an outage: messages wait), {@code HALF_OPEN} (probing), since when, and the last provider-side
 * error that counted against it (null when none is known).
 */
public record ProviderState(String provider, String state, Instant since, String lastError) {
    public static ProviderState closed(String provider) {
        return new ProviderState(provider, "CLOSED", null, null);
    }
}
