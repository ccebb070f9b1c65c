package io.herald.dispatch;

/** What a worker needs to know about a message before delivering it; {@code variant} is its A/B variant's position or null. */
public record MessageState(long id, long campaignId, long recipientId, MessageStatus status, int attempts, long createdAt,
                           Integer variant) {
    public MessageState(long id, long campaignId, long recipientId, MessageStatus status, int attempts, long createdAt) {
        this(id, campaignId, recipientId, status, attempts, createdAt, null);
    }

    /** The key a provider de-duplicates on: the same for every attempt and every process. */
    public String idempotencyKey() {
        return idempotencyKey(campaignId, recipientId);
    }

    public static String idempotencyKey(long campaignId, long recipientId) {
        return "herald-" + campaignId + "-" + recipientId;
    }
}
