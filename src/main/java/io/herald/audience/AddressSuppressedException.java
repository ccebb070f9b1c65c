package io.herald.audience;

/** A recipient may not get an address that is on the suppression list (409 naming the field). */
public class AddressSuppressedException extends RuntimeException {
    private final String field;

    AddressSuppressedException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
