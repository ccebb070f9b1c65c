package io.herald.provider;

/**
 * Delivers one message to the outside world (SMS gateway, email, webhook...). Called concurrently;
 * must honour {@link OutboundMessage#idempotencyKey()} so that a repeated call never reaches the
 * recipient twice. Must not throw: report failures as {@link SendResult}.
 */
public interface Provider {
    SendResult send(OutboundMessage message);
}
