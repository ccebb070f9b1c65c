package io.herald;

import java.util.List;

/**
 * Input that fails validation, naming each offending field (by its JSON name) and why.
 * The web layer answers it with a 400 problem+json listing {@link #errors()}.
 */
public class InvalidInputException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidInputException(List<FieldError> errors) {
        super(errors.isEmpty() ? "invalid input" : errors.get(0).field() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** {@code column}: 1-based position of the error in the field's text (segment rules), null when none. */
    public record FieldError(String field, String message, Integer column) {
        public FieldError(String field, String message) {
            this(field, message, null);
        }
    }
}
