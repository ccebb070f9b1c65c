package io.herald.transport;

/**
 * What travels through the queue: which message to deliver and how many attempts were already made.
 * The message row in the database is the truth; a task whose {@code attempt} no longer matches it is stale.
 */
public record DeliveryTask(long messageId, long campaignId, long recipientId, int attempt) {
    public DeliveryTask nextAttempt() {
        return new DeliveryTask(messageId, campaignId, recipientId, attempt + 1);
    }
}
