package io.herald.campaign;

import java.util.Locale;

import io.herald.InvalidInputException;

/** What an email body is: HTML (sent with a derived or given text alternative) or plain text. SMS is always text. */
public enum ContentType {
    HTML, TEXT;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ContentType parse(String value) {
        for (ContentType type : values()) {
            if (type.key().equalsIgnoreCase(value.trim())) {
                return type;
            }
        }
        throw InvalidInputException.of("content_type", "must be html or text; got \"" + value + "\"");
    }
}
