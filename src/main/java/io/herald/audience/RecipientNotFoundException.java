package io.herald.audience;

/** No recipient with this id (or it was deleted): an HTTP 404. */
public class RecipientNotFoundException extends RuntimeException {
    public RecipientNotFoundException(long id) {
        super("recipient " + id + " does not exist");
    }
}
