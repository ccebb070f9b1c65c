package io.herald.feedback;

import java.util.Locale;

import io.herald.InvalidInputException;

/**
 * One bounce or complaint about one address. {@code email}, {@code phone} or {@code recipientId} names who; the
 * message is named by {@code campaignId} (with the recipient), by a numeric {@code messageId} with
 * {@code campaignId}, or by the email's {@code Message-ID} ({@code <herald-{campaign}-{recipient}@...>}), which
 * bounce messages quote. {@code eventKey}, when given, makes a report delivered twice count once.
 */
public record BounceReport(String email, String phone, Long recipientId, Type type, Long campaignId, String messageId,
                           String reason, String source, String eventKey) {
    public enum Type {
        HARD, SOFT, COMPLAINT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** hard / soft / complaint; {@link InvalidInputException} on {@code type} otherwise. */
        public static Type parse(String value) {
            if (value != null) {
                for (Type t : values()) {
                    if (t.wire().equalsIgnoreCase(value.trim())) {
                        return t;
                    }
                }
            }
            throw InvalidInputException.of("type", "must be one of hard, soft, complaint; got "
                    + (value == null ? "nothing" : "\"" + (value.length() <= 40 ? value : value.substring(0, 37) + "...") + "\""));
        }
    }
}
