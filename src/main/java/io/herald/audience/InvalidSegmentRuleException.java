package io.herald.audience;

/** A segment rule or tag that is empty or not of the allowed syntax; {@link #column()} points at the fault when known. */
public class InvalidSegmentRuleException extends IllegalArgumentException {
    private final Integer column;

    public InvalidSegmentRuleException(String message) {
        this(message, null);
    }

    public InvalidSegmentRuleException(String message, Integer column) {
        super(message);
        this.column = column;
    }

    /** 1-based column of the rule's text where the error is, or null when the error is not at one place. */
    public Integer column() {
        return column;
    }
}
