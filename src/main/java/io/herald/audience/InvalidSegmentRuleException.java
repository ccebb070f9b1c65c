package io.herald.audience;

/** A segment rule or tag that is empty or not of the allowed syntax. */
public class InvalidSegmentRuleException extends IllegalArgumentException {
    public InvalidSegmentRuleException(String message) {
        super(message);
    }
}
