package io.herald.audience;

import java.util.List;

/**
 * State of one CSV import: {@code rows} data rows read so far = {@code imported} (new recipients) +
 * {@code updated} (existing ones merged) + {@code skipped} (rows with errors or duplicates; up to
 * {@code herald.import.max-errors} of them listed in {@code errors}).
 */
public record ImportResult(long id, String status, boolean dryRun, long rows, long imported, long updated, long skipped,
                           long bytesRead, long bytesTotal, List<ImportRowError> errors, String failure) {
    public static final String RUNNING = "RUNNING";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";
}
