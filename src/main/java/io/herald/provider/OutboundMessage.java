package io.herald.provider;

import io.herald.Channel;

/**
 * One rendered message for one recipient. {@code idempotencyKey} is the same on every attempt. {@code body}
 * is the rendered template (HTML for an HTML email); {@code email} carries what only email has, and is null
 * for other channels.
 */
public record OutboundMessage(long messageId, String idempotencyKey, long campaignId, Channel channel, Recipient recipient,
                              String body, Email email) {
    public record Recipient(long id, String name, String email, String phone) {
    }

    /**
     * The email parts: rendered subject, HTML body (null for a text email), plain text, sender addresses
     * (null: the configured defaults) and the recipient's one-click unsubscribe link.
     */
    public record Email(String subject, String html, String text, String from, String replyTo, String unsubscribeUrl) {
    }

    /** The address on this message's channel (email or E.164 phone). */
    public String address() {
        return channel == Channel.EMAIL ? recipient.email() : recipient.phone();
    }
}
