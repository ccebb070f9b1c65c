package io.herald.audience;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Upserts the rows of a {@link CsvRecipientReader} in batches: per batch, one lookup of the existing
 * recipients by email and by phone, one batched INSERT of the new ones (and their tag rows), one batched
 * UPDATE of the existing ones (and their added tag rows), all in one transaction. Nothing is held
 * beyond one batch except a compact set of the emails/phones already seen in the file.
 * <p>
 * Rules: the first row with an email or phone wins; a later row repeating it is skipped as a duplicate.
 * A row matching an existing recipient updates it: non-empty name/email/phone replace the stored ones,
 * tags are added, attributes merged. A deleted recipient comes back ACTIVE; an UNSUBSCRIBED one stays
 * unsubscribed. A row whose email and phone belong to two different recipients is skipped, and so is a row
 * whose email or phone is on the suppression list (reported per row: an import never brings one back).
 */
@Component
class RecipientImporter {
    private static final Logger log = LoggerFactory.getLogger(RecipientImporter.class);
    private static final long PROGRESS_EVERY_MS = 500;

    private final RecipientRepository recipients;
    private final ImportRepository imports;
    private final TransactionTemplate tx;
    private final int batchSize;
    private final int maxErrors;
    private final boolean postgres;
    private final ObjectProvider<SuppressedAddresses> suppressed;
    private final ImportRowMetrics metrics;

    RecipientImporter(RecipientRepository recipients, ImportRepository imports, PlatformTransactionManager transactions,
                      ImportProperties properties, ObjectProvider<SuppressedAddresses> suppressed, ImportRowMetrics metrics) {
        this.recipients = recipients;
        this.suppressed = suppressed;
        this.metrics = metrics;
        this.postgres = recipients.isPostgres();
        this.imports = imports;
        this.tx = new TransactionTemplate(transactions);
        this.batchSize = properties.batchSize();
        this.maxErrors = properties.maxErrors();
    }

    /** Runs the whole import, recording progress and the outcome in the imports row {@code importId}. */
    ImportResult run(long importId, CsvRecipientReader reader, LongSupplier bytesRead, boolean dryRun) {
        ImportCounts counts = new ImportCounts();
        List<ImportRowError> errors = new ArrayList<>();
        KeySet seen = new KeySet();
        List<CsvRecipientReader.Row> batch = new ArrayList<>(batchSize);
        long lastProgress = System.currentTimeMillis();
        int errorsWritten = 0;
        String status = ImportResult.COMPLETED;
        String failure = null;
        long started = System.nanoTime();
        BatchWriter writer = new BatchWriter(dryRun, counts, errors);
        ImportRowMetrics.Run meter = metrics.start(dryRun);
        try {
            boolean end = false;
            while (!end) {
                List<CsvRecipientReader.Row> rows;
                try {
                    rows = reader.nextRows(batchSize);
                    end = rows.isEmpty();
                } catch (UncheckedIOException e) {
                    // The rest of the file is unreadable: keep what was stored, report where it broke off.
                    counts.rows++;
                    counts.skipped++;
                    addError(errors, new ImportRowError(reader.position(), null, e.getMessage()));
                    failure = e.getMessage();
                    status = ImportResult.FAILED;
                    rows = List.of();
                    end = true;
                }
                for (CsvRecipientReader.Row row : rows) {
                    counts.rows++;
                    if (!row.valid()) {
                        skip(counts, errors, row.errors());
                    } else if (firstOccurrence(row, seen, counts, errors)) {
                        batch.add(row);
                    }
                    if (batch.size() >= batchSize) {
                        writer.submit(batch);
                        batch = new ArrayList<>(batchSize);
                    }
                }
                if (end && !batch.isEmpty()) {
                    writer.submit(batch);
                    batch = new ArrayList<>(batchSize);
                }
                if (end) {
                    writer.drain();
                }
                long now = System.currentTimeMillis();
                if (!end && now - lastProgress >= PROGRESS_EVERY_MS) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("the import was interrupted (the server is shutting down)");
                    }
                    imports.progress(importId, counts, bytesRead.getAsLong(), errors.size() == errorsWritten ? null : errors, now);
                    meter.report(counts);
                    errorsWritten = errors.size();
                    lastProgress = now;
                }
            }
        } catch (ImportTooLargeException e) {
            writer.drainQuietly();
            status = ImportResult.FAILED;
            failure = e.getMessage();
            imports.finish(importId, status, counts, bytesRead.getAsLong(), errors, failure, System.currentTimeMillis());
            meter.report(counts);
            throw e;
        } catch (RuntimeException e) {
            writer.drainQuietly();
            log.error("Import {} failed after {} rows", importId, counts.rows, e);
            status = ImportResult.FAILED;
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        writer.close();
        long elapsedMs = Math.max(1, (System.nanoTime() - started) / 1_000_000);
        log.info("Import {} {}: {} rows ({} new, {} updated, {} skipped) in {} ms, {} rows/s{}", importId, status,
                counts.rows, counts.imported, counts.updated, counts.skipped, elapsedMs, counts.rows * 1000 / elapsedMs,
                dryRun ? " (dry run)" : "");
        imports.finish(importId, status, counts, bytesRead.getAsLong(), errors, failure, System.currentTimeMillis());
        meter.report(counts);
        return imports.find(importId).orElseThrow();
    }

    private boolean firstOccurrence(CsvRecipientReader.Row row, KeySet seen, ImportCounts counts, List<ImportRowError> errors) {
        boolean emailSeen = row.email() != null && seen.contains('e', row.email());
        boolean phoneSeen = row.phone() != null && seen.contains('p', row.phone());
        if (emailSeen || phoneSeen) {
            String column = emailSeen ? "email" : "phone";
            skip(counts, errors, List.of(new ImportRowError(row.row(), column, "duplicate: "
                    + (emailSeen ? row.email() : row.phone()) + " already appears in an earlier row of this file")));
            return false;
        }
        if (row.email() != null) {
            seen.add('e', row.email());
        }
        if (row.phone() != null) {
            seen.add('p', row.phone());
        }
        return true;
    }

    private void skip(ImportCounts counts, List<ImportRowError> errors, List<ImportRowError> rowErrors) {
        counts.skipped++;
        for (ImportRowError e : rowErrors) {
            addError(errors, e);
        }
    }

    private void addError(List<ImportRowError> errors, ImportRowError error) {
        if (errors.size() < maxErrors) {
            errors.add(error);
        }
    }

    /**
     * Stores batches on a second thread while the import thread reads and validates the next one (phone
     * and email validation cost about as much CPU as the inserts). At most one batch is in flight, and it is
     * committed before the next one is planned, so batches still apply in file order; counts and errors are
     * only touched on the import thread.
     */
    private final class BatchWriter implements AutoCloseable {
        private final boolean dryRun;
        private final ImportCounts counts;
        private final List<ImportRowError> errors;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "herald-import-writer");
            t.setDaemon(true);
            return t;
        });
        private Future<Plan> inFlight;

        BatchWriter(boolean dryRun, ImportCounts counts, List<ImportRowError> errors) {
            this.dryRun = dryRun;
            this.counts = counts;
            this.errors = errors;
        }

        void submit(List<CsvRecipientReader.Row> batch) {
            drain();
            inFlight = thread.submit(() -> write(batch, dryRun));
        }

        /** Waits for the batch in flight and books its outcome. */
        void drain() {
            if (inFlight == null) {
                return;
            }
            Plan plan;
            try {
                plan = inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the import was interrupted (the server is shutting down)", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } finally {
                inFlight = null;
            }
            long before = counts.imported;
            counts.imported += plan.inserts.size();
            refreshStatistics(before, counts.imported);
            counts.updated += plan.updates.size();
            counts.skipped += plan.errors.size();
            plan.errors.forEach(e -> addError(errors, e));
        }

        /** After a failure elsewhere: book what the batch in flight stored, if it did. */
        void drainQuietly() {
            try {
                drain();
            } catch (RuntimeException e) {
                log.warn("Import batch failed while the import was stopping: {}", e.toString());
            }
        }

        @Override
        public void close() {
            thread.shutdownNow();
        }
    }

    /** Stores one batch in one transaction; a conflicting concurrent write gets the batch one more try. */
    private Plan write(List<CsvRecipientReader.Row> batch, boolean dryRun) {
        for (int attempt = 1; ; attempt++) {
            try {
                return dryRun ? plan(batch) : tx.execute(s -> {
                    Plan p = plan(batch);
                    write(p);
                    return p;
                });
            } catch (DataIntegrityViolationException e) {
                if (attempt >= 2) {
                    // Another writer keeps taking these emails/phones: report the batch, keep going.
                    Plan skipped = new Plan();
                    for (CsvRecipientReader.Row row : batch) {
                        skipped.errors.add(new ImportRowError(row.row(), null,
                                "could not be stored (a concurrent change to the same recipient); import it again"));
                    }
                    return skipped;
                }
            }
        }
    }

    /**
     * PostgreSQL plans the batch lookups once per pooled connection (server-side prepared statements); a plan made
     * while the table was small is a sequential scan that gets slower with every batch. Re-analysing the table
     * each time this import has doubled it invalidates such plans (a fraction of a second each, about 7 times
     * for a million rows into an empty table).
     */
    private void refreshStatistics(long before, long after) {
        if (!postgres || after < 10_000) {
            return;
        }
        if (Long.numberOfLeadingZeros(before / 10_000) != Long.numberOfLeadingZeros(after / 10_000) || before < 10_000) {
            recipients.analyze();
        }
    }

    private static final class Plan {
        final List<NewRecipient> inserts = new ArrayList<>();
        final List<RecipientRepository.Row> updates = new ArrayList<>();
        final List<Object[]> addedTags = new ArrayList<>();
        final List<ImportRowError> errors = new ArrayList<>();
    }

    private Plan plan(List<CsvRecipientReader.Row> batch) {
        Set<String> emails = new LinkedHashSet<>();
        Set<String> phones = new LinkedHashSet<>();
        for (CsvRecipientReader.Row row : batch) {
            if (row.email() != null) {
                emails.add(row.email());
            }
            if (row.phone() != null) {
                phones.add(row.phone());
            }
        }
        Map<String, Recipient> byEmail = new HashMap<>();
        Map<String, Recipient> byPhone = new HashMap<>();
        for (Recipient r : recipients.findByEmailsOrPhones(emails, phones)) {
            if (r.email() != null) {
                byEmail.put(r.email(), r);
            }
            if (r.phone() != null) {
                byPhone.put(r.phone(), r);
            }
        }
        Map<String, String> suppressedReasons = suppressedAmong(emails, phones);
        Plan plan = new Plan();
        Set<Long> touched = new java.util.HashSet<>();
        for (CsvRecipientReader.Row row : batch) {
            String blocked = row.email() != null && suppressedReasons.containsKey(row.email()) ? "email"
                    : row.phone() != null && suppressedReasons.containsKey(row.phone()) ? "phone" : null;
            if (blocked != null) {
                String address = blocked.equals("email") ? row.email() : row.phone();
                plan.errors.add(new ImportRowError(row.row(), blocked, address + " is on the suppression list ("
                        + suppressedReasons.get(address) + "); not imported"));
                continue;
            }
            Recipient a = row.email() == null ? null : byEmail.get(row.email());
            Recipient b = row.phone() == null ? null : byPhone.get(row.phone());
            if (a != null && b != null && a.id() != b.id()) {
                plan.errors.add(new ImportRowError(row.row(), "phone", "the email belongs to recipient " + a.id()
                        + " but the phone to recipient " + b.id()));
                continue;
            }
            Recipient owner = a != null ? a : b;
            if (owner == null) {
                plan.inserts.add(new NewRecipient(row.name(), row.email(), row.phone(), row.tags(), row.attributes()));
                continue;
            }
            if (!touched.add(owner.id())) {
                plan.errors.add(new ImportRowError(row.row(), a != null ? "email" : "phone",
                        "duplicate: recipient " + owner.id() + " is already updated by an earlier row"));
                continue;
            }
            boolean deleted = RecipientService.DELETED.equals(owner.status());
            List<String> storedTags = deleted ? List.of() : owner.tags();
            LinkedHashSet<String> tags = new LinkedHashSet<>(storedTags);
            tags.addAll(row.tags());
            Map<String, String> attributes = new LinkedHashMap<>(deleted ? Map.of() : owner.attributes());
            attributes.putAll(row.attributes());
            try {
                ContactFields.tags(tags);
                ContactFields.checkAttributesSize(attributes);
            } catch (ContactFields.Invalid e) {
                plan.errors.add(new ImportRowError(row.row(), null, "merged with recipient " + owner.id() + ": " + e.getMessage()));
                continue;
            }
            plan.updates.add(new RecipientRepository.Row(owner.id(),
                    row.name().isEmpty() ? owner.name() : row.name(),
                    row.email() != null ? row.email() : owner.email(),
                    row.phone() != null ? row.phone() : owner.phone(),
                    new ArrayList<>(tags), attributes,
                    deleted ? RecipientService.ACTIVE : owner.status()));
            for (String tag : row.tags()) {
                if (!storedTags.contains(tag)) {
                    plan.addedTags.add(new Object[]{owner.id(), tag});
                }
            }
        }
        return plan;
    }

    /** One lookup per batch: the suppressed ones among the batch's emails and phones. */
    private Map<String, String> suppressedAmong(Set<String> emails, Set<String> phones) {
        SuppressedAddresses list = suppressed.getIfAvailable();
        if (list == null || (emails.isEmpty() && phones.isEmpty())) {
            return Map.of();
        }
        List<String> addresses = new ArrayList<>(emails.size() + phones.size());
        addresses.addAll(emails);
        addresses.addAll(phones);
        return list.reasons(addresses);
    }

    private void write(Plan plan) {
        long now = System.currentTimeMillis();
        if (!plan.inserts.isEmpty()) {
            recipients.insertAll(plan.inserts, now);
        }
        recipients.updateAll(plan.updates, now);
        recipients.addTags(plan.addedTags);
    }
}
