package io.herald.security;

import java.time.Instant;

/** A stored API key: never the secret, only its visible prefix (the hash stays in the repository). */
public record ApiKey(long id, String name, String prefix, Role role, String createdBy, Instant createdAt,
                     Instant revokedAt) {
    public boolean active() {
        return revokedAt == null;
    }
}
