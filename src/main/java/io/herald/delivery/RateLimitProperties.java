package io.herald.delivery;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the installation-wide channel caps ({@code herald.channels.<channel>.rate-per-sec} etc.) keep their shared
 * buckets ({@code herald.rate-limit.*}).
 *
 * @param store     {@code database} (default): a table in Herald's own PostgreSQL or MySQL/MariaDB database, through
 *                  Bucket4j's JDBC integration (on embedded H2, a single process, the bucket is kept in memory);
 *                  {@code redis}: a Redis server, through Bucket4j's Lettuce integration
 * @param redisUrl  the Redis server for {@code store=redis}, e.g. {@code redis://127.0.0.1:6379} or
 *                  {@code redis://:password@host:6379/2}
 * @param keyPrefix start of every bucket key, so installations that share one Redis or database keep apart
 */
@ConfigurationProperties("herald.rate-limit")
public record RateLimitProperties(@DefaultValue("database") Store store,
                                  @DefaultValue("redis://127.0.0.1:6379") String redisUrl,
                                  @DefaultValue("herald:rate:") String keyPrefix) {

    /** Longest key prefix: bucket ids are at most 255 characters in the bucket table. */
    static final int MAX_KEY_PREFIX = 100;

    public RateLimitProperties {
        if (redisUrl == null || redisUrl.isBlank()) {
            throw new IllegalArgumentException("herald.rate-limit.redis-url must not be empty");
        }
        if (keyPrefix == null || keyPrefix.length() > MAX_KEY_PREFIX) {
            throw new IllegalArgumentException("herald.rate-limit.key-prefix must be at most " + MAX_KEY_PREFIX + " characters");
        }
    }

    /** The kinds of shared bucket store. */
    public enum Store {
        /** Herald's own database (JDBC); in memory on embedded H2. */
        DATABASE,
        /** A Redis server. */
        REDIS
    }
}
