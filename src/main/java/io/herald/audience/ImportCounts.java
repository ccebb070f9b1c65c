package io.herald.audience;

/** Running totals of one import (rows = imported + updated + skipped). */
final class ImportCounts {
    long rows;
    long imported;
    long updated;
    long skipped;
}
