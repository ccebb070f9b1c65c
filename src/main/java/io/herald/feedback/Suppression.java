package io.herald.feedback;

import java.time.Instant;

/**
 * An address that is never messaged or re-imported: {@code address} is a lower-case email or an E.164 phone,
 * {@code reason} one of {@code hard_bounce}, {@code soft_bounce}, {@code complaint}, {@code unsubscribe},
 * {@code manual}.
 */
public record Suppression(long id, String address, String channel, String reason, String detail, Long recipientId,
                          Long campaignId, String createdBy, Instant createdAt) {
    public static final java.util.List<String> REASONS = java.util.List.of("hard_bounce", "soft_bounce", "complaint",
            "unsubscribe", "manual");
}
