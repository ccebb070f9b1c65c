package io.herald.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Access control settings ({@code herald.security.*}).
 *
 * @param enabled              secure mode: API keys / console login required; off = local mode (loopback only)
 * @param bootstrapKey         an admin API key to accept from the start (stored hashed); when empty and no admin
 *                             key exists, one is generated and printed once
 * @param users                console users (username, bcrypt password hash, role)
 * @param loginFailuresPerMinute       failed logins allowed per username or API-key prefix per minute
 * @param loginFailuresPerMinutePerIp  failed logins allowed per client IP per minute
 * @param maxBodySize          largest non-multipart request body (JSON); larger answers 413
 */
@ConfigurationProperties("herald.security")
public record SecurityProperties(boolean enabled, String bootstrapKey, List<User> users,
                                 Integer loginFailuresPerMinute, Integer loginFailuresPerMinutePerIp,
                                 DataSize maxBodySize) {

    public SecurityProperties {
        users = users == null ? List.of() : List.copyOf(users);
        loginFailuresPerMinute = loginFailuresPerMinute == null ? 10 : loginFailuresPerMinute;
        loginFailuresPerMinutePerIp = loginFailuresPerMinutePerIp == null ? 10 : loginFailuresPerMinutePerIp;
        maxBodySize = maxBodySize == null ? DataSize.ofMegabytes(1) : maxBodySize;
    }

    Duration loginWindow() {
        return Duration.ofMinutes(1);
    }

    boolean hasBootstrapKey() {
        return bootstrapKey != null && !bootstrapKey.isBlank();
    }

    @Override
    public String toString() {
        // Never print the bootstrap key or password hashes.
        return "SecurityProperties[enabled=" + enabled + ", bootstrapKey=" + (hasBootstrapKey() ? "****" : "none")
                + ", users=" + users + ", loginFailuresPerMinute=" + loginFailuresPerMinute
                + ", loginFailuresPerMinutePerIp=" + loginFailuresPerMinutePerIp + ", maxBodySize=" + maxBodySize + "]";
    }

    /** A console user: {@code password} is a bcrypt hash ({@code {bcrypt}$2a$...} or plain {@code $2a$...}). */
    public record User(String username, String password, String role) {
        @Override
        public String toString() {
            return "User[username=" + username + ", role=" + role + ", password=****]";
        }
    }
}
