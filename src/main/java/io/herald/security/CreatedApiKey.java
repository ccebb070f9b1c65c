package io.herald.security;

/** A newly created key with its secret, which exists only in this answer: it is stored hashed. */
public record CreatedApiKey(ApiKey key, String secret) {
    @Override
    public String toString() {
        return "CreatedApiKey[key=" + key + ", secret=****]";
    }
}
