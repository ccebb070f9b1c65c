package io.herald.dispatch;

/**
 * The result of one delivery attempt, to be written only if the message is still in the state the
 * worker saw ({@code expectedAttempts}, and pending): a duplicate or stale task changes nothing.
 */
public record Outcome(long messageId, long campaignId, int expectedAttempts, MessageStatus status, long at,
                      long latencyMs, String error, Long nextAttemptAt, String providerMessageId, Integer segments, String smsEncoding,
                      boolean deferred) {
    public static Outcome sent(MessageState m, long at) {
        return sent(m, at, null, null, null);
    }

    /** Sent, with the provider's own id for the message and its SMS segments and encoding (each null when not known). */
    public static Outcome sent(MessageState m, long at, String providerMessageId, Integer segments, String smsEncoding) {
        return new Outcome(m.id(), m.campaignId(), m.attempts(), MessageStatus.SENT, at, at - m.createdAt(), null, null,
                providerMessageId, segments, smsEncoding, false);
    }

    public static Outcome retry(MessageState m, long at, String error, long nextAttemptAt) {
        return new Outcome(m.id(), m.campaignId(), m.attempts(), MessageStatus.RETRYING, at, 0, error, nextAttemptAt, null, null, null, false);
    }

    /**
     * Not attempted, or failed as part of a provider outage that its circuit breaker has seen: waits until
     * {@code nextAttemptAt} without spending one of the message's attempts.
     */
    public static Outcome deferred(MessageState m, long at, String reason, long nextAttemptAt) {
        return new Outcome(m.id(), m.campaignId(), m.attempts(), MessageStatus.RETRYING, at, 0, reason, nextAttemptAt,
                null, null, null, true);
    }

    /** The message's attempt count once this outcome is written. */
    public int attemptsAfter() {
        return spendsAttempt() ? expectedAttempts + 1 : expectedAttempts;
    }

    /** When the message was sent, null unless this outcome is SENT. */
    public Long sentAt() {
        return status == MessageStatus.SENT ? at : null;
    }

    /** Created-to-sent latency, null unless this outcome is SENT. */
    public Long sentLatencyMs() {
        return status == MessageStatus.SENT ? latencyMs : null;
    }

    /** Whether writing this outcome counts an attempt (a cancelled or deferred message was not attempted). */
    public boolean spendsAttempt() {
        return status != MessageStatus.CANCELLED && !deferred;
    }

    /** Not sent, by decision rather than failure (the recipient unsubscribed or was deleted while it was queued). */
    public static Outcome cancelled(MessageState m, long at, String reason) {
        return new Outcome(m.id(), m.campaignId(), m.attempts(), MessageStatus.CANCELLED, at, 0, reason, null, null, null, null, false);
    }

    public static Outcome failed(MessageState m, long at, String error) {
        return new Outcome(m.id(), m.campaignId(), m.attempts(), MessageStatus.FAILED, at, 0, error, null, null, null, null, false);
    }
}
