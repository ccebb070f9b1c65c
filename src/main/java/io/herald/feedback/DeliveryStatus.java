package io.herald.feedback;

import java.util.Locale;
import java.util.Set;

/**
 * What a provider reports about a message after accepting it, and which report may follow which. Reports can
 * arrive twice or out of order (a "sent" receipt after "delivered"); a report that would move a message
 * backwards, or repeat its current state, changes nothing, so each message counts at most once in each counter.
 */
enum DeliveryStatus {
    SENT, DELIVERED, UNDELIVERED, FAILED, SOFT_BOUNCED, BOUNCED, COMPLAINED;

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryStatus fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * Maps a Twilio-format {@code MessageStatus}; null for interim or inbound states that Herald does not
     * record (queued, accepted, scheduled, sending, receiving, received).
     */
    static DeliveryStatus fromSmsStatus(String status) {
        return switch (status == null ? "" : status.trim().toLowerCase(Locale.ROOT)) {
            case "sent" -> SENT;
            case "delivered", "read" -> DELIVERED;
            case "undelivered", "partially_delivered" -> UNDELIVERED;
            case "failed", "canceled" -> FAILED;
            default -> null;
        };
    }

    /** Whether a message whose latest report is {@code current} (null: none yet) takes this report. */
    boolean follows(DeliveryStatus current) {
        if (current == this) {
            return false;
        }
        return switch (this) {
            case SENT -> current == null;
            case DELIVERED, UNDELIVERED, FAILED -> current == null || current == SENT;
            case SOFT_BOUNCED -> current == null || current == SENT || current == DELIVERED;
            case BOUNCED -> current == null || Set.of(SENT, DELIVERED, SOFT_BOUNCED).contains(current);
            case COMPLAINED -> true;
        };
    }

    /** {delivered, undelivered, bounced, complaints} that moving from {@code current} to this report adds. */
    long[] counts(DeliveryStatus current) {
        return switch (this) {
            case SENT -> new long[]{0, 0, 0, 0};
            case DELIVERED -> new long[]{1, 0, 0, 0};
            case UNDELIVERED, FAILED -> new long[]{0, 1, 0, 0};
            // A message counts as bounced once, however many bounce reports it gets.
            case SOFT_BOUNCED -> new long[]{0, 0, 1, 0};
            case BOUNCED -> new long[]{0, 0, current == SOFT_BOUNCED ? 0 : 1, 0};
            case COMPLAINED -> new long[]{0, 0, 0, 1};
        };
    }
}
