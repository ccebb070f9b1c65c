package io.herald.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.herald.DatabaseVendor;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.github.bucket4j.mysql.Bucket4jMySQL;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the channel caps' buckets live. Every store is Bucket4j's own: its JDBC proxy managers (PostgreSQL,
 * MySQL/MariaDB) on a table created by Flyway, its Lettuce proxy manager on Redis, or a plain local bucket where
 * there is only one process (embedded H2).
 *
 * <p>The JDBC proxy managers take a connection from the pool for each bucket operation and give it back when the
 * operation ends (Bucket4j's {@code AbstractSelectForUpdateBasedProxyManager}: allocate, SELECT ... FOR UPDATE, UPDATE,
 * commit, release), so a worker waiting for its turn sleeps without holding a database connection.
 */
interface CapBuckets extends AutoCloseable {
    /** The table of the shared buckets (Flyway migration V13). */
    String TABLE = "rate_limit_buckets";
    /** Bounds one bucket operation, so a hung database or Redis surfaces as an error (and a retry) instead of a hang. */
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** A bucket left alone this long after it is full again is deleted (Redis expiry; expired rows on start-up). */
    Duration KEEP_AFTER_FULL = Duration.ofMinutes(10);

    /** The bucket stored under {@code key}, created with {@code configuration} if it does not exist yet. */
    Bucket bucket(String key, BucketConfiguration configuration);

    /** For the start-up log: where the buckets are. */
    String description();

    /** False when the buckets are this process's own (embedded H2), i.e. not shared with other processes. */
    boolean shared();

    @Override
    default void close() {
    }

    /** Opens the store that {@code herald.rate-limit.store} names. */
    static CapBuckets open(RateLimitProperties properties, DataSource dataSource, DatabaseVendor vendor) {
        if (properties.store() == RateLimitProperties.Store.REDIS) {
            return Redis.connect(properties.redisUrl());
        }
        if (vendor == DatabaseVendor.POSTGRES) {
            return new Jdbc(Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table(TABLE).idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .requestTimeout(REQUEST_TIMEOUT)
                    .build(), "PostgreSQL table " + TABLE);
        }
        if (vendor.mySqlFamily()) {
            return new Jdbc(Bucket4jMySQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table(TABLE).idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .requestTimeout(REQUEST_TIMEOUT)
                    .build(), (vendor == DatabaseVendor.MARIADB ? "MariaDB" : "MySQL") + " table " + TABLE);
        }
        // Embedded H2: one process only.
        return new Local();
    }

    /** Embedded H2 serves one process only, so a bucket in this process's memory is the installation's bucket. */
    final class Local implements CapBuckets {
        private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

        @Override
        public Bucket bucket(String key, BucketConfiguration configuration) {
            return buckets.computeIfAbsent(key, k -> {
                LocalBucketBuilder builder = Bucket.builder();
                for (Bandwidth bandwidth : configuration.getBandwidths()) {
                    builder.addLimit(bandwidth);
                }
                // Window caps are aligned to the wall clock, which nanoTime is not.
                return builder.withMillisecondPrecision().build();
            });
        }

        @Override
        public String description() {
            return "this process's memory (embedded H2 runs one process; use PostgreSQL, MariaDB or Redis to share caps)";
        }

        @Override
        public boolean shared() {
            return false;
        }
    }

    /** Buckets in a Bucket4j proxy manager: shared by every process that uses the same database or Redis. */
    class Shared implements CapBuckets {
        private final ProxyManager<String> proxies;
        private final String description;

        Shared(ProxyManager<String> proxies, String description) {
            this.proxies = proxies;
            this.description = description;
        }

        @Override
        public Bucket bucket(String key, BucketConfiguration configuration) {
            // The first operation creates the stored bucket; later ones use the stored state and configuration.
            return proxies.builder().build(key, () -> configuration);
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public boolean shared() {
            return true;
        }
    }

    /** Bucket4j's JDBC proxy manager (SELECT ... FOR UPDATE on one row per bucket). */
    final class Jdbc extends Shared {
        private static final Logger log = LoggerFactory.getLogger(CapBuckets.class);

        Jdbc(ProxyManager<String> proxies, String description) {
            super(proxies, description);
            if (proxies instanceof ExpiredEntriesCleaner cleaner) {
                // Buckets of settings no longer in use (the key names the settings) are tidied up once per start.
                try {
                    int removed = cleaner.removeExpired(1_000);
                    if (removed > 0) {
                        log.info("Removed {} unused rate-cap buckets from {}", removed, description);
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not remove unused rate-cap buckets from {}: {}", description, e.toString());
                }
            }
        }
    }

    /** Bucket4j's Lettuce proxy manager (compare-and-swap in a Lua script); keys expire once their bucket is full. */
    final class Redis extends Shared {
        private final RedisClient client;
        private final StatefulRedisConnection<String, byte[]> connection;

        private Redis(RedisClient client, StatefulRedisConnection<String, byte[]> connection, String description) {
            super(Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .requestTimeout(REQUEST_TIMEOUT)
                    .build(), description);
            this.client = client;
            this.connection = connection;
        }

        static Redis connect(String url) {
            RedisURI uri = RedisURI.create(url);
            uri.setTimeout(REQUEST_TIMEOUT);
            RedisClient client = RedisClient.create(uri);
            try {
                // One thread-safe connection serves every bucket operation of the process (Lettuce pipelines them).
                StatefulRedisConnection<String, byte[]> connection =
                        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                return new Redis(client, connection, "Redis " + uri.getHost() + ":" + uri.getPort());
            } catch (RuntimeException e) {
                client.shutdown();
                throw new IllegalStateException("herald.rate-limit.store=redis: cannot connect to " + uri.getHost() + ":"
                        + uri.getPort() + " (herald.rate-limit.redis-url): " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }
}
