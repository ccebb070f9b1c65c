package io.herald.audience;

/** The upload is not an importable CSV (not text, empty, no header row): an HTTP 400. */
public class ImportRejectedException extends RuntimeException {
    public ImportRejectedException(String message) {
        super(message);
    }
}
