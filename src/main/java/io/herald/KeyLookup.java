package io.herald;

import java.util.Collection;

import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code SELECT columns FROM table WHERE column IN (a batch of strings)} for batches of thousands of keys (an
 * import's emails and phones). PostgreSQL takes them as one array parameter; MariaDB/MySQL as one JSON array read
 * by {@code JSON_TABLE} (MariaDB 10.6+, MySQL 8): an {@code IN} list of 5,000 bound strings cost MariaDB 35 ms per
 * lookup in parsing and binding alone (its slow log: 22 s of a 1M-row import, no rows examined). H2 keeps the list.
 */
public final class KeyLookup {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KeyLookup() {
    }

    /**
     * The statement, ready to run. {@code columns} must not be named {@code k} (the keys' column on MariaDB/MySQL).
     * Tables on MariaDB/MySQL are utf8mb4_bin, so the keys are compared in that collation and the index serves.
     */
    public static JdbcClient.StatementSpec select(JdbcClient jdbc, DatabaseVendor vendor, String columns, String table,
                                                  String column, Collection<String> keys) {
        if (vendor == DatabaseVendor.POSTGRES) {
            return jdbc.sql("SELECT " + columns + " FROM " + table + " WHERE " + column + " = ANY(?)")
                    .param(keys.toArray(String[]::new));
        }
        if (vendor.mySqlFamily()) {
            return jdbc.sql("SELECT " + columns + " FROM JSON_TABLE(?, '$[*]' COLUMNS (k VARCHAR(1000) CHARACTER SET utf8mb4 PATH '$')) AS keys_"
                            + " JOIN " + table + " ON " + table + "." + column + " = keys_.k COLLATE utf8mb4_bin")
                    .param(JSON.writeValueAsString(keys));
        }
        return jdbc.sql("SELECT " + columns + " FROM " + table + " WHERE " + column + " IN (:keys)").param("keys", keys);
    }
}
