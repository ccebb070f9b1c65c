package io.herald.dispatch;

/**
 * QUEUED → SENT, or → RETRYING → ... → SENT / FAILED; CANCELLED when the campaign is cancelled first, or when
 * the recipient unsubscribed or was deleted before delivery.
 */
public enum MessageStatus {
    QUEUED, RETRYING, SENT, FAILED, CANCELLED;

    public boolean pending() {
        return this == QUEUED || this == RETRYING;
    }
}
