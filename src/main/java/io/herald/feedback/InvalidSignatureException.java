package io.herald.feedback;

/** A provider callback whose signature is missing or wrong (403: nothing changes). */
public class InvalidSignatureException extends RuntimeException {
    public InvalidSignatureException(String message) {
        super(message);
    }
}
