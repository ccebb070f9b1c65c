package io.herald;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * "{@code column} is one of these ids" for a batch of scattered ids (a worker's batch), written the way each engine
 * reads it fastest, with its positional parameters. An {@code IN} list's text changes with its length, so PostgreSQL
 * parsed and planned every one (2.7-3.0 ms for a few hundred ids, against 1.0-1.3 ms as one array) and MariaDB's
 * driver spliced every id into the statement text; they get one array (PostgreSQL) or one JSON array read by
 * {@code JSON_TABLE} (MariaDB 10.6+, MySQL 8; a semi-join that reads the table by its key). H2 keeps the list.
 */
public record IdMatch(String sql, List<Object> parameters) {

    /** {@code ids} must not be empty. */
    public static IdMatch of(DatabaseVendor vendor, String column, Collection<Long> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no ids to match");
        }
        if (vendor == DatabaseVendor.POSTGRES) {
            Object array = ids.toArray(Long[]::new); // one parameter: List.of(Long[]) would spread it as varargs
            return new IdMatch(column + " = ANY(?::bigint[])", List.of(array));
        }
        if (vendor.mySqlFamily()) {
            String json = ids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
            return new IdMatch(column + " IN (SELECT id FROM JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$')) AS ids_)",
                    List.of(json));
        }
        return new IdMatch(column + " IN (" + "?, ".repeat(ids.size() - 1) + "?)", new ArrayList<>(ids));
    }
}
