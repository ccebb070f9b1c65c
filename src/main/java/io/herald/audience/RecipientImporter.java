package io.herald.audience;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import java.util.concurrent.atomic.AtomicInteger;
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
 * UPDATE of the existing ones (and their added tag rows), all in one transaction. While batches turn out to
 * hold only new recipients, the next one is first tried as inserts alone, without the lookup: the unique
 * email and phone indexes check the same thing during the insert, and a batch that hits an existing recipient
 * is rolled back and planned again with the lookup. Nothing is held beyond one batch except a compact set of
 * the emails/phones already seen in the file.
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
    private final int writers;
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
        this.writers = properties.writers();
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
     * Stores batches on writer threads while the import thread reads and validates the next ones (phone and email
     * validation cost about as much CPU as the inserts). Rows of different batches never share an email or a phone
     * (a repeat is skipped before batching), so batches that only insert new recipients do not depend on each other:
     * up to {@code writers} of them are in flight at once, each in its own transaction. A batch that needs the lookup
     * (it meets existing recipients, or it is a dry run) starts only when every earlier batch is stored, and no other
     * looked-up batch runs beside it, so updates apply in file order, each planned from what the earlier ones stored.
     * Outcomes are booked in file order; counts and errors are only touched on the import thread.
     */
    private final class BatchWriter implements AutoCloseable {
        private final boolean dryRun;
        private final ImportCounts counts;
        private final List<ImportRowError> errors;
        private final ExecutorService threads;
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        /** The batches so far held new recipients only: try the next ones as inserts alone, without the lookup. */
        private boolean insertFirst;
        /** Recipients imported when the statistics were last refreshed. */
        private long analyzedAt;

        BatchWriter(boolean dryRun, ImportCounts counts, List<ImportRowError> errors) {
            this.dryRun = dryRun;
            this.counts = counts;
            this.errors = errors;
            this.insertFirst = !dryRun;
            AtomicInteger number = new AtomicInteger();
            this.threads = Executors.newFixedThreadPool(writers, r -> {
                Thread t = new Thread(r, "herald-import-writer-" + number.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        void submit(List<CsvRecipientReader.Row> batch) {
            while (insertFirst && inFlight.size() >= writers) {
                drainOldest();
            }
            // Also when draining just met an existing recipient: a looked-up batch waits for every earlier one.
            if (!insertFirst) {
                drain();
            }
            if (insertFirst) {
                inFlight.add(new InFlight(batch, threads.submit(() -> insertOnly(batch))));
            } else {
                refreshStatistics();
                inFlight.add(new InFlight(batch, threads.submit(() -> lookedUp(batch, dryRun))));
            }
        }

        /** Waits for every batch in flight and books their outcomes. */
        void drain() {
            while (!inFlight.isEmpty()) {
                drainOldest();
            }
        }

        /**
         * Books the oldest batch in flight. One that met an existing recipient was rolled back: it is stored again
         * with the lookup, here, while later batches in flight only insert recipients it cannot meet.
         */
        private void drainOldest() {
            InFlight oldest = inFlight.removeFirst();
            Plan plan = await(oldest.plan);
            if (plan == null) {
                insertFirst = false;
                refreshStatistics();
                plan = lookedUp(oldest.batch, false);
            }
            if (plan.lookedUp && !dryRun) {
                insertFirst = plan.inserts.size() + plan.suppressed == oldest.batch.size();
            }
            counts.imported += plan.inserts.size();
            counts.updated += plan.updates.size();
            counts.skipped += plan.errors.size();
            plan.errors.forEach(e -> addError(errors, e));
        }

        private Plan await(Future<Plan> plan) {
            try {
                return plan.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the import was interrupted (the server is shutting down)", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }

        /** After a failure elsewhere: book what the batches in flight stored, if they did. */
        void drainQuietly() {
            while (!inFlight.isEmpty()) {
                try {
                    drainOldest();
                } catch (RuntimeException e) {
                    log.warn("Import batch failed while the import was stopping: {}", e.toString());
                }
            }
        }

        /**
         * PostgreSQL plans the batch lookups once per pooled connection (server-side prepared statements); a plan
         * made while the table was small is a sequential scan that gets slower with every batch. Before a lookup, the
         * table is re-analysed if this import has doubled it since the last time (a fraction of a second each, at most
         * about 7 times for a million rows into an empty table). Batches inserted without a lookup need no statistics.
         */
        private void refreshStatistics() {
            if (postgres && counts.imported >= 10_000 && counts.imported >= 2 * analyzedAt) {
                recipients.analyze();
                analyzedAt = counts.imported;
            }
        }

        @Override
        public void close() {
            threads.shutdownNow();
        }
    }

    private record InFlight(List<CsvRecipientReader.Row> batch, Future<Plan> plan) {
    }

    /**
     * Stores a batch as new recipients only, in one transaction; null when a unique index refused one of them
     * (an existing recipient, or a concurrent writer's), and the transaction was rolled back.
     */
    private Plan insertOnly(List<CsvRecipientReader.Row> batch) {
        try {
            return store(batch, false);
        } catch (DataIntegrityViolationException e) {
            return null;
        }
    }

    /** Stores a batch planned with the lookup in one transaction; a conflicting concurrent write gets it one more try. */
    private Plan lookedUp(List<CsvRecipientReader.Row> batch, boolean dryRun) {
        if (dryRun) {
            return plan(batch, true);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return store(batch, true);
            } catch (DataIntegrityViolationException e) {
                if (attempt >= 2) {
                    // Another writer keeps taking these emails/phones: report the batch, keep going.
                    Plan skipped = new Plan(true);
                    for (CsvRecipientReader.Row row : batch) {
                        skipped.errors.add(new ImportRowError(row.row(), null,
                                "could not be stored (a concurrent change to the same recipient); import it again"));
                    }
                    return skipped;
                }
            }
        }
    }

    private Plan store(List<CsvRecipientReader.Row> batch, boolean lookUp) {
        return tx.execute(s -> {
            Plan p = plan(batch, lookUp);
            write(p);
            return p;
        });
    }

    private static final class Plan {
        /** Planned with the lookup of existing recipients (else every row not suppressed is an insert). */
        final boolean lookedUp;
        final List<NewRecipient> inserts = new ArrayList<>();
        final List<RecipientRepository.Row> updates = new ArrayList<>();
        final List<Object[]> addedTags = new ArrayList<>();
        final List<ImportRowError> errors = new ArrayList<>();
        /** Rows skipped because an address is on the suppression list. */
        int suppressed;

        Plan(boolean lookedUp) {
            this.lookedUp = lookedUp;
        }
    }

    /** Plans a batch; without {@code lookUp} every row that is not suppressed is taken for a new recipient. */
    private Plan plan(List<CsvRecipientReader.Row> batch, boolean lookUp) {
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
        for (Recipient r : lookUp ? recipients.findByEmailsOrPhones(emails, phones) : List.<Recipient>of()) {
            if (r.email() != null) {
                byEmail.put(r.email(), r);
            }
            if (r.phone() != null) {
                byPhone.put(r.phone(), r);
            }
        }
        Map<String, String> suppressedReasons = suppressedAmong(emails, phones);
        Plan plan = new Plan(lookUp);
        Set<Long> touched = new java.util.HashSet<>();
        for (CsvRecipientReader.Row row : batch) {
            String blocked = row.email() != null && suppressedReasons.containsKey(row.email()) ? "email"
                    : row.phone() != null && suppressedReasons.containsKey(row.phone()) ? "phone" : null;
            if (blocked != null) {
                String address = blocked.equals("email") ? row.email() : row.phone();
                plan.errors.add(new ImportRowError(row.row(), blocked, address + " is on the suppression list ("
                        + suppressedReasons.get(address) + "); not imported"));
                plan.suppressed++;
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
