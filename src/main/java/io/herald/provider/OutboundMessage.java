package io.herald.provider;

/** One rendered message for one recipient. {@code idempotencyKey} is the same on every attempt. */
public record OutboundMessage(long messageId, String idempotencyKey, long campaignId, Recipient recipient, String body) {
    public record Recipient(long id, String name, String email, String phone) {
    }
}
