package io.herald.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * Limits failed logins (password or API key) per client IP and per username / key prefix: each failure
 * takes a token; with no token left every attempt — even a correct one — is refused until tokens refill.
 * Successful logins cost nothing, so users who type their password right are never slowed down.
 */
class LoginThrottle {
    private static final int MAX_TRACKED = 100_000;
    private final int perPrincipal;
    private final int perIp;
    private final Duration window;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    LoginThrottle(int perPrincipal, int perIp, Duration window) {
        this.perPrincipal = perPrincipal;
        this.perIp = perIp;
        this.window = window;
    }

    /** How long to wait when this IP or principal has used up its failures; empty when the attempt may proceed. */
    Optional<Duration> blocked(String ip, String principal) {
        long waitNanos = Math.max(wait(ipKey(ip)), principal == null ? 0 : wait(principalKey(principal)));
        return waitNanos > 0 ? Optional.of(Duration.ofNanos(waitNanos)) : Optional.empty();
    }

    void failed(String ip, String principal) {
        if (buckets.size() > MAX_TRACKED) {
            // Forget fully refilled buckets; an attacker cannot grow the map without bound.
            buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= capacityOf(e.getKey()));
        }
        bucket(ipKey(ip)).tryConsume(1);
        if (principal != null) {
            bucket(principalKey(principal)).tryConsume(1);
        }
    }

    private long wait(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return 0;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    private Bucket bucket(String key) {
        return buckets.computeIfAbsent(key, k -> {
            int capacity = capacityOf(k);
            return Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, window).build()).build();
        });
    }

    private int capacityOf(String key) {
        return Math.max(1, key.startsWith("ip:") ? perIp : perPrincipal);
    }

    private static String ipKey(String ip) {
        return "ip:" + ip;
    }

    private static String principalKey(String principal) {
        return "p:" + principal;
    }
}
