package io.herald.security;

import java.io.Serializable;

/**
 * Who is calling: {@code actor} is what the audit log records ({@code key:7:ci-bot}, {@code user:alice},
 * {@code local}), {@code name} what the console shows, {@code method} how they authenticated
 * ({@code api_key}, {@code password}, {@code local}).
 */
public record HeraldPrincipal(String actor, String name, Role role, String method, Long apiKeyId) implements Serializable {
    public static final HeraldPrincipal LOCAL = new HeraldPrincipal("local", "local", Role.ADMIN, "local", null);

    static HeraldPrincipal apiKey(ApiKey key) {
        return new HeraldPrincipal("key:" + key.id() + ":" + key.name(), key.name(), key.role(), "api_key", key.id());
    }

    /** A recipient acting through a signed link (unsubscribe): no role, no login. */
    public static HeraldPrincipal recipient(long recipientId) {
        return new HeraldPrincipal("recipient:" + recipientId, "recipient " + recipientId, null, "signed_link", null);
    }

    /** A provider reporting through a signed webhook (SES through SNS, an SMS gateway): no role, no login. */
    public static HeraldPrincipal provider(String name) {
        return new HeraldPrincipal("provider:" + name, name, null, "signature", null);
    }

    /** The caller of the current request, or null outside one (or before authentication). */
    public static HeraldPrincipal current() {
        return Principals.current();
    }

    static HeraldPrincipal user(String username, Role role) {
        return new HeraldPrincipal("user:" + username, username, role, "password", null);
    }

    @Override
    public String toString() {
        return actor;
    }
}
