package io.herald.template;

/** A template that does not parse; {@link #line()} and {@link #column()} are 1-based (0 when unknown). */
public class TemplateSyntaxException extends RuntimeException {
    private final int line;
    private final int column;

    public TemplateSyntaxException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
