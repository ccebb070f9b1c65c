package io.herald.audience;

/** A server-side CSV path that is refused (outside herald.import.dir) or does not name a readable file. */
public class ImportPathException extends RuntimeException {
    private final boolean missing;

    public ImportPathException(String message, boolean missing) {
        super(message);
        this.missing = missing;
    }

    /** True when the path is allowed but no such file exists (a 404 rather than a refusal). */
    public boolean missing() {
        return missing;
    }
}
