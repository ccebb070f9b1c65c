package io.herald.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Signs and verifies the tokens in links that recipients follow without logging in (unsubscribe, click and
 * open tracking): {@code <a>.<b>.<mac>} (or {@code <a>.<b>.<c>.<mac>}), where the MAC is HMAC-SHA256 over the
 * purpose and the numbers, cut to 128 bits and base64url-encoded.
 * <p>
 * The key is {@code herald.security.signing-key} when set; otherwise one random key is generated on first
 * use and stored in the database, so every process of the installation accepts every other's links, and
 * links stay valid across restarts.
 */
@Service
public class TokenSigner {
    static final String SETTING = "signing-key";
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final JdbcClient jdbc;
    private final String configuredKey;
    private volatile SecretKeySpec key;
    private final ThreadLocal<Mac> macs = new ThreadLocal<>();

    TokenSigner(JdbcClient jdbc, @Value("${herald.security.signing-key:}") String configuredKey) {
        this.jdbc = jdbc;
        this.configuredKey = configuredKey;
    }

    /** A token naming {@code a} and {@code b} (e.g. recipient and campaign) for {@code purpose}. */
    public String sign(String purpose, long a, long b) {
        return a + "." + b + "." + B64.encodeToString(mac(purpose, a, b));
    }

    /** A token naming three numbers (e.g. message, campaign and link) for {@code purpose}. */
    public String sign(String purpose, long a, long b, long c) {
        return a + "." + b + "." + c + "." + B64.encodeToString(mac(purpose, a, b, c));
    }

    /** The two numbers of a token this installation signed for {@code purpose}; empty when forged or malformed. */
    public Optional<long[]> verify(String purpose, String token) {
        return verify(purpose, token, 2);
    }

    /**
     * The {@code count} (2 or 3) numbers of a token this installation signed for {@code purpose}; empty when forged,
     * malformed or of another length.
     */
    public Optional<long[]> verify(String purpose, String token, int count) {
        if (token == null || token.length() > 120) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != count + 1) {
            return Optional.empty();
        }
        try {
            long[] numbers = new long[count];
            for (int i = 0; i < count; i++) {
                numbers[i] = Long.parseLong(parts[i]);
                // one spelling per number only (no "+1", "01"), so a token cannot be altered and still verify
                if (numbers[i] < 0 || !parts[i].equals(Long.toString(numbers[i]))) {
                    return Optional.empty();
                }
            }
            // Compared as text, not decoded: the last Base64 character of a 16-byte MAC carries only 2 of its 6 bits,
            // and a decoder ignores the rest, so 16 spellings of one token would otherwise verify.
            byte[] expected = B64.encodeToString(mac(purpose, numbers)).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(parts[count].getBytes(StandardCharsets.US_ASCII), expected)
                    ? Optional.of(numbers) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String purpose, long... numbers) {
        StringBuilder text = new StringBuilder(purpose);
        for (long n : numbers) {
            text.append(':').append(n);
        }
        byte[] full = threadMac().doFinal(text.toString().getBytes(StandardCharsets.UTF_8));
        byte[] cut = new byte[MAC_BYTES];
        System.arraycopy(full, 0, cut, 0, MAC_BYTES);
        return cut;
    }

    /**
     * This thread's Mac, keyed once. Every email of a send signs its unsubscribe link here, and a fresh
     * {@code Mac.getInstance} + {@code init} per token (a provider lookup, a reflective constructor, the key's pads)
     * cost more than the HMAC itself; doFinal leaves the Mac ready for the next token with the same key.
     */
    private Mac threadMac() {
        Mac mac = macs.get();
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(key());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
            macs.set(mac);
        }
        return mac;
    }

    private SecretKeySpec key() {
        SecretKeySpec known = key;
        if (known == null) {
            synchronized (this) {
                if (key == null) {
                    key = new SecretKeySpec(loadKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
                }
                known = key;
            }
        }
        return known;
    }

    private String loadKey() {
        if (configuredKey != null && !configuredKey.isBlank()) {
            return configuredKey;
        }
        Optional<String> stored = storedKey();
        if (stored.isPresent()) {
            return stored.get();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            jdbc.sql("INSERT INTO herald_settings (name, setting_value, created_at) VALUES (?, ?, ?)")
                    .params(SETTING, B64.encodeToString(random), System.currentTimeMillis()).update();
        } catch (DataIntegrityViolationException e) {
            // Another process stored its key first: use that one.
        }
        return storedKey().orElseThrow(() -> new IllegalStateException("could not store the signing key"));
    }

    private Optional<String> storedKey() {
        return jdbc.sql("SELECT setting_value FROM herald_settings WHERE name = ?").param(SETTING).query(String.class).optional();
    }
}
