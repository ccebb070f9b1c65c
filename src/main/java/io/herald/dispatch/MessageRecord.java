package io.herald.dispatch;

import java.time.Instant;

/** A message as listed by the API (history and dead letters). */
public record MessageRecord(long id, long campaignId, long recipientId, MessageStatus status, int attempts,
                            Instant createdAt, Instant sentAt, Long latencyMs, String lastError, Instant nextAttemptAt) {
    public String idempotencyKey() {
        return MessageState.idempotencyKey(campaignId, recipientId);
    }
}
