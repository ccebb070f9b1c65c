package io.herald.audience;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code herald.import.*}: {@code dir} is the only folder seed 004's {@code csv_file_path} may point into,
 * {@code max-bytes} the largest CSV accepted (uploads and files alike), {@code batch-size} the rows
 * written per transaction, {@code max-errors} the row errors kept per import (counts stay exact), {@code writers}
 * the batches of new recipients stored at once, each on its own connection.
 */
@ConfigurationProperties("herald.import")
public record ImportProperties(Path dir, DataSize maxBytes, Integer batchSize, Integer maxErrors, Integer writers) {
    public ImportProperties {
        dir = dir == null ? Path.of("data", "imports") : dir;
        maxBytes = maxBytes == null ? DataSize.ofMegabytes(100) : maxBytes;
        batchSize = batchSize == null || batchSize < 1 ? 5000 : batchSize;
        maxErrors = maxErrors == null || maxErrors < 1 ? 1000 : maxErrors;
        writers = writers == null || writers < 1 ? 2 : writers;
    }
}
