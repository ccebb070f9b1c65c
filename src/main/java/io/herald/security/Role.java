package io.herald.security;

import java.util.Locale;

/**
 * What a caller may do. Each role includes the ones below it: admin ⊃ editor ⊃ viewer.
 * <ul>
 *   <li>{@code viewer}: read everything (campaigns, stats, messages, recipients, tags, imports)</li>
 *   <li>{@code editor}: also create/edit/send/pause/resume/cancel campaigns, write and import recipients</li>
 *   <li>{@code admin}: also API keys and the audit log</li>
 * </ul>
 * {@code webhook} stands apart: it may only report what providers send back ({@code /webhooks/**}), and no
 * other role includes it or is included by it.
 */
public enum Role {
    VIEWER, EDITOR, ADMIN, WEBHOOK;

    public String authority() {
        return "ROLE_" + name();
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean includes(Role other) {
        if (this == WEBHOOK || other == WEBHOOK) {
            return this == other;
        }
        return ordinal() >= other.ordinal();
    }

    /** Parses admin/editor/viewer (any case); null when it is none of them. */
    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
