package io.herald.web;

import java.util.List;
import java.util.function.ToLongFunction;

import io.herald.InvalidInputException;

/** Parses limit/cursor parameters and builds keyset pages (cursor = last id returned, newest-first order). */
final class Paging {
    private Paging() {
    }

    static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) {
            return defaultLimit;
        }
        if (requested < 1 || requested > max) {
            throw InvalidInputException.of("limit", "must be between 1 and " + max);
        }
        return requested;
    }

    /** The id to page before; null for the first page. */
    static Long cursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(cursor.trim());
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("cursor", "is not a cursor returned by this API");
        }
    }

    /** Fetches one extra row to know whether a next page exists. */
    static <T, V> PageView<V> page(List<T> rowsPlusOne, int limit, ToLongFunction<T> id, java.util.function.Function<List<T>, List<V>> view) {
        boolean more = rowsPlusOne.size() > limit;
        List<T> rows = more ? rowsPlusOne.subList(0, limit) : rowsPlusOne;
        String next = more ? Long.toString(id.applyAsLong(rows.get(rows.size() - 1))) : null;
        return new PageView<>(view.apply(rows), next);
    }
}
