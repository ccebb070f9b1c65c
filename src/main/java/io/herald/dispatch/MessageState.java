package io.herald.dispatch;

/** What a worker needs to know about a message before delivering it. */
public record MessageState(long id, long campaignId, long recipientId, MessageStatus status, int attempts, long createdAt) {
    /** The key a provider de-duplicates on: the same for every attempt and every process. */
    public String idempotencyKey() {
        return idempotencyKey(campaignId, recipientId);
    }

    public static String idempotencyKey(long campaignId, long recipientId) {
        return "herald-" + campaignId + "-" + recipientId;
    }
}
