package io.herald.audience;

/** The email or phone already belongs to another recipient: an HTTP 409 naming the field and that recipient. */
public class RecipientConflictException extends RuntimeException {
    private final String field;
    private final Long existingId;

    public RecipientConflictException(String field, Long existingId, String message) {
        super(message);
        this.field = field;
        this.existingId = existingId;
    }

    public String field() {
        return field;
    }

    /** The recipient that owns the value, when known. */
    public Long existingId() {
        return existingId;
    }
}
