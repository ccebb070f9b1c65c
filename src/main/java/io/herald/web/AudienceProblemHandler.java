package io.herald.web;

import java.util.List;
import java.util.Map;

import io.herald.audience.ImportNotFoundException;
import io.herald.audience.ImportRejectedException;
import io.herald.audience.ImportTooLargeException;
import io.herald.audience.RecipientConflictException;
import io.herald.audience.RecipientNotFoundException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * Problem details for the audience endpoints (recipients, imports). Ordered before {@link ProblemHandler},
 * whose catch-all would otherwise answer these with a 500.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class AudienceProblemHandler {
    private final long maxBytes;

    AudienceProblemHandler(io.herald.audience.ImportService imports) {
        this.maxBytes = imports.maxBytes();
    }

    @ExceptionHandler({RecipientNotFoundException.class, ImportNotFoundException.class})
    ResponseEntity<ProblemDetail> notFound(RuntimeException e) {
        return respond(ProblemHandler.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
    }

    @ExceptionHandler(io.herald.audience.AddressSuppressedException.class)
    ResponseEntity<ProblemDetail> suppressed(io.herald.audience.AddressSuppressedException e) {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.CONFLICT, "address-suppressed", "Address is suppressed",
                e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return respond(problem);
    }

    @ExceptionHandler(RecipientConflictException.class)
    ResponseEntity<ProblemDetail> conflict(RecipientConflictException e) {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.CONFLICT, "recipient-exists", "Recipient already exists",
                e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        if (e.existingId() != null) {
            problem.setProperty("existing_id", e.existingId());
        }
        return respond(problem);
    }

    @ExceptionHandler(ImportRejectedException.class)
    ResponseEntity<ProblemDetail> notCsv(ImportRejectedException e) {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.BAD_REQUEST, "invalid-csv", "Not an importable CSV file",
                e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "file", "message", e.getMessage())));
        return respond(problem);
    }

    @ExceptionHandler(ImportTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(ImportTooLargeException e) {
        return tooLarge();
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> uploadTooLarge(MaxUploadSizeExceededException e) {
        return tooLarge();
    }

    private ResponseEntity<ProblemDetail> tooLarge() {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", "File too large",
                "The file is larger than the import limit of " + maxBytes + " bytes (herald.import.max-bytes)");
        problem.setProperty("max_bytes", maxBytes);
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
