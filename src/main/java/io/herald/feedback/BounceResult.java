package io.herald.feedback;

/**
 * What a bounce or complaint report did: the recipient it concerned (null when no recipient has the address),
 * their status afterwards, whether the address is now suppressed, the message it was matched to, and whether it
 * was a repeat of a report already taken ({@code duplicate}: nothing changed).
 */
public record BounceResult(Long bounceId, Long recipientId, String recipientStatus, boolean suppressed, Long campaignId,
                           Long messageId, boolean duplicate) {
}
