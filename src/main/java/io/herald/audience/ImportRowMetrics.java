package io.herald.audience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code herald_import_rows_total{result}}: rows of CSV imports by what became of them, with the names
 * {@link ImportCounts} and {@code GET /imports/{id}} use (imported = new recipients, updated, skipped = rows
 * not stored, each with an error). Counted as an import records its progress, so a long import shows up while
 * it runs; dry runs store nothing and are not counted.
 */
@Component
class ImportRowMetrics {
    private final Counter imported;
    private final Counter updated;
    private final Counter skipped;

    ImportRowMetrics(MeterRegistry registry) {
        imported = counter(registry, "imported");
        updated = counter(registry, "updated");
        skipped = counter(registry, "skipped");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("herald.import.rows")
                .description("CSV import rows: imported (new recipients), updated, skipped (not stored)")
                .tag("result", result)
                .register(registry);
    }

    /** A meter for one import: each {@link Run#report} adds what its counts gained since the last report. */
    Run start(boolean dryRun) {
        return new Run(dryRun);
    }

    final class Run {
        private final boolean dryRun;
        private long imported;
        private long updated;
        private long skipped;

        private Run(boolean dryRun) {
            this.dryRun = dryRun;
        }

        void report(ImportCounts counts) {
            if (dryRun) {
                return;
            }
            ImportRowMetrics.this.imported.increment(counts.imported - imported);
            ImportRowMetrics.this.updated.increment(counts.updated - updated);
            ImportRowMetrics.this.skipped.increment(counts.skipped - skipped);
            imported = counts.imported;
            updated = counts.updated;
            skipped = counts.skipped;
        }
    }
}
