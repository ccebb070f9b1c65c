package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.herald.InvalidInputException;
import io.herald.InvalidInputException.FieldError;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: {@code hk_} + 32 random bytes (base64url). Only the key's SHA-256 is stored (a fast hash is
 * enough for a 256-bit random secret; nothing there to brute-force) plus a short visible prefix so that
 * people can tell keys apart. The secret is returned once, by {@link #create}.
 */
@Service
public class ApiKeyService {
    static final String KEY_PREFIX = "hk_";
    static final int MAX_NAME = 200;
    private static final int VISIBLE = 10;
    private final SecureRandom random = new SecureRandom();
    private final ApiKeyRepository keys;
    private final Clock clock = Clock.systemUTC();

    ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @Transactional
    public CreatedApiKey create(String name, String role, String createdBy) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        }
        Role parsed = Role.parse(role);
        if (parsed == null) {
            errors.add(new FieldError("role", "must be one of admin, editor, viewer"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new CreatedApiKey(store(name.trim(), secret, parsed, createdBy), secret);
    }

    /** Stores a key whose secret is given (the configured bootstrap key). */
    @Transactional
    public ApiKey store(String name, String secret, Role role, String createdBy) {
        long id = keys.insert(name, visiblePrefix(secret), hash(secret), role, createdBy, clock.millis());
        return keys.find(id).orElseThrow();
    }

    /** The active key with this secret, if any. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 512) {
            return Optional.empty();
        }
        return keys.findByHash(hash(secret)).filter(ApiKey::active);
    }

    /** True when a key with this secret was ever stored (active or revoked). */
    public boolean known(String secret) {
        return keys.findByHash(hash(secret)).isPresent();
    }

    public List<ApiKey> list() {
        return keys.all();
    }

    public Optional<ApiKey> find(long id) {
        return keys.find(id);
    }

    /** Revokes the key; false if there is no such key. Revoking twice is harmless. */
    @Transactional
    public boolean revoke(long id) {
        if (keys.find(id).isEmpty()) {
            return false;
        }
        keys.revoke(id, clock.millis());
        return true;
    }

    public long activeAdminKeys() {
        return keys.countActive(Role.ADMIN);
    }

    /** What can be shown of a key: enough to tell keys apart and to rate-limit guesses per key. */
    static String visiblePrefix(String secret) {
        int visible = Math.min(VISIBLE, Math.max(3, secret.length() / 4));
        return secret.substring(0, Math.min(visible, secret.length()));
    }

    static String hash(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
