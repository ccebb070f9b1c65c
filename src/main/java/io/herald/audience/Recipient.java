package io.herald.audience;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A person Herald can message. {@code status} is ACTIVE, UNSUBSCRIBED or DELETED. */
public record Recipient(long id, String name, String email, String phone, List<String> tags,
                        Map<String, String> attributes, String status, Instant createdAt) {
}
