package io.herald.audience;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.herald.InvalidInputException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * CSV import of recipients (the audience module's import API). The file is streamed and stored in
 * batches (see {@link RecipientImporter} for the upsert rules); each import has a row in the imports
 * table with its progress, so {@code GET /imports/{id}} works from any API process while it runs.
 * <p>
 * An upload is read once, from its stream; an asynchronous import reads a file the caller hands over
 * (and that this service deletes when done). A file that is not UTF-8 text, is empty or has no header
 * row is an {@link ImportRejectedException} before anything is stored; one larger than
 * {@code herald.import.max-bytes} an {@link ImportTooLargeException}.
 */
@Service
public class ImportService implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ImportService.class);
    private static final long STALE_MS = 120_000;

    private final RecipientImporter importer;
    private final ImportRepository imports;
    private final ImportProperties properties;
    private final ContactFields fields;
    private final ExecutorService background = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "herald-import");
        t.setDaemon(true);
        return t;
    });

    ImportService(RecipientImporter importer, ImportRepository imports, ImportProperties properties,
                  AudienceProperties audience) {
        this.importer = importer;
        this.imports = imports;
        this.properties = properties;
        this.fields = new ContactFields(audience.defaultRegion());
    }

    public long maxBytes() {
        return properties.maxBytes().toBytes();
    }

    /** Normalises the comma-separated tags to add to every row; a 400 naming {@code tags} when one is invalid. */
    public static List<String> parseTags(String tags) {
        if (tags == null || tags.isBlank()) {
            return List.of();
        }
        try {
            return ContactFields.tags(List.of(tags.split("[,;|]")));
        } catch (ContactFields.Invalid e) {
            throw InvalidInputException.of("tags", e.getMessage());
        }
    }

    /** Imports from the stream now and returns the finished result. */
    public ImportResult importNow(InputStream in, long bytesTotal, String fileName, ImportOptions options) {
        checkSize(bytesTotal);
        CountingInputStream counting = new CountingInputStream(in, maxBytes());
        CsvRecipientReader reader = CsvRecipientReader.open(counting, fields, options.tags());
        try (reader) {
            long id = imports.create(fileName, options.dryRun(), Math.max(bytesTotal, 0), System.currentTimeMillis());
            return importer.run(id, reader, counting::count, options.dryRun());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports a file in {@code herald.import.dir} (or elsewhere, for callers that checked the path) now. */
    public ImportResult importFile(Path file, ImportOptions options) {
        try (InputStream in = Files.newInputStream(file)) {
            return importNow(in, Files.size(file), file.getFileName().toString(), options);
        } catch (IOException e) {
            throw new ImportPathException("cannot read " + file.getFileName() + ": " + e.getMessage(), false);
        }
    }

    /**
     * Starts importing {@code file} in the background and returns the RUNNING import; the header is checked
     * first, so a file that is not an importable CSV is still rejected here. The file is deleted afterwards.
     */
    public ImportResult start(Path file, String fileName, ImportOptions options) {
        long size;
        try {
            size = Files.size(file);
            checkSize(size);
            try (InputStream in = Files.newInputStream(file);
                 CsvRecipientReader ignored = CsvRecipientReader.open(in, fields, options.tags())) {
                // header checked
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        long id = imports.create(fileName, options.dryRun(), size, System.currentTimeMillis());
        try {
            background.execute(() -> runInBackground(id, file, options));
        } catch (RejectedExecutionException e) {
            deleteQuietly(file);
            imports.finish(id, ImportResult.FAILED, new ImportCounts(), 0, List.of(), "the server is shutting down",
                    System.currentTimeMillis());
        }
        return get(id);
    }

    private void runInBackground(long id, Path file, ImportOptions options) {
        try (InputStream raw = Files.newInputStream(file)) {
            CountingInputStream counting = new CountingInputStream(raw, maxBytes());
            try (CsvRecipientReader reader = CsvRecipientReader.open(counting, fields, options.tags())) {
                importer.run(id, reader, counting::count, options.dryRun());
            }
        } catch (IOException | RuntimeException e) {
            log.error("Import {} failed", id, e);
            imports.finish(id, ImportResult.FAILED, new ImportCounts(), 0, List.of(), String.valueOf(e.getMessage()),
                    System.currentTimeMillis());
        } finally {
            deleteQuietly(file);
        }
    }

    /** The import's current state; a RUNNING import whose process stopped reporting is shown FAILED. */
    public ImportResult get(long id) {
        ImportResult result = imports.find(id).orElseThrow(() -> new ImportNotFoundException(id));
        if (ImportResult.RUNNING.equals(result.status())) {
            long now = System.currentTimeMillis();
            if (imports.failStale(now - STALE_MS, now) > 0) {
                result = imports.find(id).orElseThrow(() -> new ImportNotFoundException(id));
            }
        }
        return result;
    }

    /**
     * Resolves a client-given path inside {@code herald.import.dir}. Refused: absolute paths, any {@code ..}
     * segment, and paths that leave the folder through a symbolic link.
     */
    public Path resolveInImportDir(String relative) {
        if (relative == null || relative.isBlank()) {
            throw new ImportPathException("csv_file_path is required", false);
        }
        String text = relative.trim();
        if (text.indexOf('\0') >= 0) {
            throw new ImportPathException("csv_file_path is not a valid path", false);
        }
        Path given;
        try {
            given = Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ImportPathException("csv_file_path is not a valid path", false);
        }
        if (given.isAbsolute() || text.startsWith("/") || text.startsWith("\\") || given.getRoot() != null) {
            throw new ImportPathException("csv_file_path must be relative to the import folder (herald.import.dir)", false);
        }
        for (Path part : given) {
            if (part.toString().equals("..")) {
                throw new ImportPathException("csv_file_path must not contain \"..\"", false);
            }
        }
        Path base;
        try {
            base = properties.dir().toRealPath();
        } catch (IOException e) {
            throw new ImportPathException("the import folder " + properties.dir() + " does not exist", true);
        }
        Path candidate = base.resolve(given).normalize();
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImportPathException("no file " + text + " in the import folder", true);
        } catch (IOException e) {
            throw new ImportPathException("cannot read " + text + ": " + e.getMessage(), false);
        }
        if (!real.startsWith(base)) {
            throw new ImportPathException("csv_file_path leaves the import folder (through a symbolic link)", false);
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new ImportPathException(text + " is not a file", false);
        }
        return real;
    }

    private void checkSize(long bytes) {
        if (bytes > maxBytes()) {
            throw new ImportTooLargeException(maxBytes());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete import file {}: {}", file, e.toString());
        }
    }

    @Override
    public void destroy() {
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
