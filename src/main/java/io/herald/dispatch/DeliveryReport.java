package io.herald.dispatch;

/**
 * What is known about a message after the provider accepted it: the provider's id for it and the latest report
 * ({@code deliveryStatus}, null before any; see {@link MessageRecord}).
 */
public record DeliveryReport(long messageId, long campaignId, long recipientId, MessageStatus status,
                             String providerMessageId, String deliveryStatus) {
}
