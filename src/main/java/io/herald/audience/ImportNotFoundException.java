package io.herald.audience;

/** No import with this id: an HTTP 404. */
public class ImportNotFoundException extends RuntimeException {
    public ImportNotFoundException(long id) {
        super("import " + id + " does not exist");
    }
}
