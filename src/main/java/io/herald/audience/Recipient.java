package io.herald.audience;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A person Herald can message. {@code status} is ACTIVE, UNSUBSCRIBED, BOUNCED or DELETED; {@code statusReason}
 * says why a recipient left ACTIVE when Herald knows (e.g. {@code complaint}, a bounce's reply).
 */
public record Recipient(long id, String name, String email, String phone, List<String> tags,
                        Map<String, String> attributes, String status, String statusReason, Instant createdAt) {
}
