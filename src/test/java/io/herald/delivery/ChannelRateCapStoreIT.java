package io.herald.delivery;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;
import io.herald.Channel;
import io.herald.testsupport.ExternalService;
import io.herald.testsupport.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.herald.testsupport.TestTags.EXCLUSIVE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared bucket stores themselves, on the real servers: two {@link ChannelRateCaps} — two worker processes, each
 * with its own connection pool of ONE connection — share one cap; a worker waiting for its turn holds no connection
 * (the other user of its one-connection pool gets it at once) and stops waiting when the message is no longer wanted.
 */
@Tag(EXCLUSIVE) // runs alone: it times how soon a waiting turn answers
class ChannelRateCapStoreIT {
    private static final Duration WEEK = Duration.ofDays(7);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb", "redis"})
    @Timeout(60)
    void twoProcessesShareOneCap(String store) throws Exception {
        ChannelRateCapSettings settings = new ChannelRateCapSettings(Map.of(Channel.EMAIL, new ChannelRateCap(20, null, 0)));
        Installation installation = installation(store);
        if (installation.database != null) {
            installation.execute("INSERT INTO rate_limit_buckets (id, state, expires_at) VALUES ('"
                    + installation.prefix + "email:old-settings', NULL, 1)");
        }
        ChannelRateCaps first = installation.process(settings);
        ChannelRateCaps second = installation.process(settings);
        if (installation.database != null) {
            assertThat(installation.count("SELECT COUNT(*) FROM rate_limit_buckets WHERE expires_at = 1"))
                    .as("expired buckets (of settings no longer used) are removed at start-up").isZero();
        }

        // Two threads per process take turns as fast as the cap lets them, for 2.5 s.
        List<Long> turns = Collections.synchronizedList(new ArrayList<>());
        long end = System.currentTimeMillis() + 2_500;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (ChannelRateCaps process : List.of(first, second, first, second)) {
            done.add(threads.submit(() -> {
                while (process.acquire(Channel.EMAIL, () -> System.currentTimeMillis() < end)) {
                    turns.add(System.currentTimeMillis());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        threads.shutdown();
        List<Long> sorted = new ArrayList<>(turns);
        Collections.sort(sorted);
        int busiest = busiestSecond(sorted);
        System.out.printf("[rate-cap-store] %s: %d turns in 2.5 s at a shared cap of 20/s, busiest second %d%n",
                store, sorted.size(), busiest);
        // 20/s for 2.5 s is 51 (the first is free), plus the turns reserved up to a slice ahead just before the end.
        assertThat(sorted.size()).isBetween(40, 57);
        // 20 + 1 spaced turns; a stall can add the one late turn each process may hold.
        assertThat(busiest).as("turns in any one second").isLessThanOrEqualTo(22);
        assertThat(first.capped(Channel.EMAIL)).isTrue();
        assertThat(first.capped(Channel.SMS)).isFalse();
        assertThat(first.acquire(Channel.SMS, () -> true)).as("a channel without a cap never waits").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "mariadb", "redis"})
    @Timeout(60)
    void waitingHoldsNoConnectionAndEndsWhenNoLongerWanted(String store) throws Exception {
        ChannelRateCapSettings settings = new ChannelRateCapSettings(Map.of(Channel.SMS, new ChannelRateCap(0, WEEK, 2)));
        Installation installation = installation(store);
        ChannelRateCaps caps = installation.process(settings);
        assertThat(caps.acquire(Channel.SMS, () -> true)).isTrue();
        assertThat(caps.acquire(Channel.SMS, () -> true)).isTrue();

        // The window has run out for days: the third waits.
        AtomicBoolean wanted = new AtomicBoolean(true);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        Future<Boolean> third = thread.submit(() -> caps.acquire(Channel.SMS, wanted::get));
        long deadline = System.currentTimeMillis() + 5_000;
        while (caps.waiting() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(caps.waiting()).isEqualTo(1);
        if (installation.pool) {
            // The process's pool has one connection; the waiting worker must not be sitting on it.
            for (int i = 0; i < 5; i++) {
                long asked = System.nanoTime();
                try (Connection connection = installation.lastPool.getConnection()) {
                    assertThat(connection.isValid(1)).isTrue();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(500));
                Thread.sleep(200);
            }
        }
        assertThat(third).isNotDone();

        long stopped = System.nanoTime();
        wanted.set(false);
        assertThat(third.get(5, TimeUnit.SECONDS)).as("no turn once the message is no longer wanted").isFalse();
        Duration reaction = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf("[rate-cap-store] %s: the wait ended %d ms after the message stopped being wanted%n",
                store, reaction.toMillis());
        assertThat(reaction).isLessThan(ChannelRateCaps.SLICE.plusMillis(200));
        assertThat(caps.waiting()).isZero();
        thread.shutdown();

        if (store.equals("redis")) {
            // Keys expire once their bucket would be full again, so Redis keeps no garbage.
            try (StatefulRedisConnection<String, String> redis = installation.redis.connect()) {
                Long ttl = redis.sync().pttl(installation.prefix + "sms:2/PT168H");
                assertThat(ttl).isPositive();
            }
        }
    }

    private Installation installation(String store) {
        String prefix = "herald-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Installation installation = new Installation(store, prefix);
        switch (store) {
            case "postgres", "mariadb" -> {
                TestDatabase database = store.equals("postgres") ? TestDatabase.POSTGRES : TestDatabase.MARIADB;
                installation.database = database.create();
                Flyway.configure().dataSource(installation.database.get("spring.datasource.url"),
                                installation.database.get("spring.datasource.username"), "")
                        .locations("classpath:db/migration/" + (store.equals("postgres") ? "postgresql" : "mariadb"))
                        .load().migrate();
                installation.pool = true;
            }
            case "redis" -> {
                ExternalService.require("Redis", 6379);
                installation.redis = RedisClient.create("redis://127.0.0.1:6379");
                closeables.add(installation.redis::shutdown);
            }
            default -> throw new IllegalArgumentException(store);
        }
        return installation;
    }

    private static int busiestSecond(List<Long> sortedMillis) {
        int busiest = 0;
        int from = 0;
        for (int to = 0; to < sortedMillis.size(); to++) {
            while (sortedMillis.get(to) - sortedMillis.get(from) >= 1_000) {
                from++;
            }
            busiest = Math.max(busiest, to - from + 1);
        }
        return busiest;
    }

    /** One Herald installation: a database or a Redis that several "processes" share. */
    private final class Installation {
        final String store;
        final String prefix;
        Map<String, String> database;
        boolean pool;
        HikariDataSource lastPool;
        RedisClient redis;

        Installation(String store, String prefix) {
            this.store = store;
            this.prefix = prefix;
        }

        void execute(String sql) throws Exception {
            try (Connection c = java.sql.DriverManager.getConnection(database.get("spring.datasource.url"),
                    database.get("spring.datasource.username"), "")) {
                c.createStatement().execute(sql);
            }
        }

        long count(String sql) throws Exception {
            try (Connection c = java.sql.DriverManager.getConnection(database.get("spring.datasource.url"),
                    database.get("spring.datasource.username"), "");
                 java.sql.ResultSet rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** A worker process's caps, with a connection pool of its own (one connection). */
        ChannelRateCaps process(ChannelRateCapSettings settings) {
            RateLimitProperties properties = new RateLimitProperties(
                    store.equals("redis") ? RateLimitProperties.Store.REDIS : RateLimitProperties.Store.DATABASE,
                    "redis://127.0.0.1:6379", prefix);
            HikariDataSource dataSource = null;
            if (database != null) {
                dataSource = new HikariDataSource();
                dataSource.setJdbcUrl(database.get("spring.datasource.url"));
                dataSource.setUsername(database.get("spring.datasource.username"));
                dataSource.setPassword("");
                dataSource.setMaximumPoolSize(1);
                dataSource.setConnectionTimeout(2_000);
                closeables.add(dataSource);
                lastPool = dataSource;
            }
            ChannelRateCaps caps = new ChannelRateCaps(settings, properties, dataSource, dataSource == null ? null : io.herald.DatabaseVendor.of(dataSource));
            closeables.add(0, caps::destroy);
            return caps;
        }
    }
}
