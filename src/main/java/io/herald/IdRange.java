package io.herald;

import java.util.Collection;

/**
 * The span of a batch of ids. Batches from fan-out are mostly consecutive ids; a range predicate
 * then reads the same rows as a long {@code IN} list, which some engines (H2) evaluate per row.
 */
public record IdRange(long min, long max, int count) {
    public static IdRange of(Collection<Long> ids) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long id : ids) {
            min = Math.min(min, id);
            max = Math.max(max, id);
        }
        return new IdRange(min, max, ids.size());
    }

    /** True when the range holds at most twice as many ids as the batch, so reading it whole is cheap. */
    public boolean dense() {
        return count > 16 && max - min < 2L * count;
    }
}
