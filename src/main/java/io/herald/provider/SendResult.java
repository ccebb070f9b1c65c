package io.herald.provider;

/** What a provider said about one message. */
public sealed interface SendResult {
    Sent SENT = new Sent(null);

    /** Accepted by the provider, which may name the message by its own id (an SMS gateway's sid). */
    record Sent(String providerMessageId) implements SendResult {
    }

    /** Failed, but may succeed later (timeouts, 429, 5xx): retried with backoff. */
    record RetryableFailure(String reason) implements SendResult {
    }

    /** Failed in a way retrying cannot fix (rejected recipient, 4xx): failed at once. */
    record PermanentFailure(String reason) implements SendResult {
    }
}
