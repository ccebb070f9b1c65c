package io.herald.dispatch;

import java.time.Instant;

/**
 * A message as listed by the API (history and dead letters). {@code deliveryStatus} is the latest report after
 * the provider accepted it: {@code sent}, {@code delivered}, {@code undelivered}, {@code failed} (SMS receipts),
 * {@code soft_bounced}, {@code bounced}, {@code complained} (email feedback); {@code deliveryError} says why. {@code variant} is the A/B variant's position (null without variants).
 */
public record MessageRecord(long id, long campaignId, long recipientId, MessageStatus status, int attempts,
                            Instant createdAt, Instant sentAt, Long latencyMs, String lastError, Instant nextAttemptAt,
                            String providerMessageId, Integer segments, String smsEncoding, String deliveryStatus, Instant deliveredAt,
                            String deliveryError, Integer variant) {
    public String idempotencyKey() {
        return MessageState.idempotencyKey(campaignId, recipientId);
    }
}
