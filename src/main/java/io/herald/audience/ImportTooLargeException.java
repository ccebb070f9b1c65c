package io.herald.audience;

/** The CSV is larger than {@code herald.import.max-bytes}: an HTTP 413. */
public class ImportTooLargeException extends RuntimeException {
    private final long maxBytes;

    public ImportTooLargeException(long maxBytes) {
        super("the file is larger than the import limit of " + maxBytes + " bytes (herald.import.max-bytes)");
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
