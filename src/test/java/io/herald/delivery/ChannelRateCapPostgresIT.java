package io.herald.delivery;

/** The rate-cap test with the buckets in Herald's PostgreSQL database (Bucket4j JDBC, table rate_limit_buckets). */
class ChannelRateCapPostgresIT extends AbstractChannelRateCapIT {
    ChannelRateCapPostgresIT() {
        super("database");
    }

    @Override
    void requireStore() {
        // The database is PostgreSQL itself; TestDatabase checks that it is there.
    }
}
