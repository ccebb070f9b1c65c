package io.herald.provider;

/** What a provider said about one message. */
public sealed interface SendResult {
    Sent SENT = new Sent(null);

    /** Accepted by the provider, which may name the message by its own id (an SMS gateway's sid). */
    record Sent(String providerMessageId) implements SendResult {
    }

    /**
     * Failed, but may succeed later (timeouts, 429, 5xx): retried with backoff, not sooner than {@code retryAfter}
     * when the provider said so ({@code Retry-After}; null otherwise). Counts against the provider's health.
     */
    record RetryableFailure(String reason, java.time.Duration retryAfter) implements SendResult {
        public RetryableFailure(String reason) {
            this(reason, null);
        }
    }

    /**
     * Not attempted, or not counted: the provider's circuit breaker is open (an outage), so the message waits
     * {@code retryIn} without spending one of its attempts.
     */
    record Deferred(String reason, java.time.Duration retryIn) implements SendResult {
    }

    /** Failed in a way retrying cannot fix (rejected recipient, 4xx): failed at once. */
    record PermanentFailure(String reason) implements SendResult {
    }
}
