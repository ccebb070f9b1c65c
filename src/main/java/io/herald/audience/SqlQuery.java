package io.herald.audience;

/** A statement with its bind parameters, built in one place so tests can EXPLAIN exactly what runs. */
record SqlQuery(String sql, Object[] params) {
}
