package io.herald.web;

import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.herald.feedback.Suppression;
import io.herald.feedback.SuppressionList;
import io.herald.security.HeraldPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The suppression list: addresses that are never messaged or re-imported. */
@RestController
@RequestMapping("/suppressions")
@Tag(name = "Suppressions", description = "Bounced, complained, unsubscribed and hand-added addresses")
class SuppressionController {
    private final SuppressionList suppressions;

    SuppressionController(SuppressionList suppressions) {
        this.suppressions = suppressions;
    }

    @GetMapping
    @Operation(summary = "List suppressed addresses, newest first (keyset-paged)")
    PageView<Suppression> list(@RequestParam(required = false) String reason,
                               @io.swagger.v3.oas.annotations.Parameter(description = "part of the address") @RequestParam(required = false) String q,
                               @RequestParam(required = false) Integer limit,
                               @RequestParam(required = false) String cursor) {
        int size = Paging.limit(limit, 50, 500);
        Long before = Paging.cursor(cursor);
        List<Suppression> rows = suppressions.page(reason == null || reason.isBlank() ? null : reason.trim(), q,
                before == null ? Long.MAX_VALUE : before, size + 1);
        return Paging.page(rows, size, Suppression::id, page -> page);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One suppressed address")
    Suppression get(@PathVariable long id) {
        return suppressions.find(id).orElseThrow(() -> new SuppressionNotFound(id));
    }

    @Schema(description = "An address to suppress by hand")
    record AddRequest(@Schema(description = "Email or phone number", example = "someone@example.com",
            requiredMode = Schema.RequiredMode.REQUIRED) String address, @Schema(description = "Why (free text)") String detail) {
    }

    @PostMapping
    @Operation(summary = "Suppress an address", description = "Its recipient becomes UNSUBSCRIBED; 409 when it is already listed")
    ResponseEntity<Suppression> add(@RequestBody AddRequest body, HttpServletRequest request) {
        Suppression added = suppressions.addManually(body == null ? null : body.address(), body == null ? null : body.detail(),
                HeraldPrincipal.current(), request.getRemoteAddr());
        return ResponseEntity.created(URI.create("/suppressions/" + added.id())).body(added);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove an address from the list", description = "Its recipient becomes ACTIVE again unless their"
            + " other address is still suppressed")
    ResponseEntity<Void> remove(@PathVariable long id, HttpServletRequest request) {
        suppressions.remove(id, HeraldPrincipal.current(), request.getRemoteAddr()).orElseThrow(() -> new SuppressionNotFound(id));
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(SuppressionList.AlreadySuppressedException.class)
    ResponseEntity<ProblemDetail> already(SuppressionList.AlreadySuppressedException e) {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.CONFLICT, "already-suppressed", "Already suppressed", e.getMessage());
        problem.setProperty("errors", List.of(java.util.Map.of("field", "address", "message", e.getMessage())));
        problem.setProperty("existing_id", e.existing().id());
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(SuppressionNotFound.class)
    ResponseEntity<ProblemDetail> notFound(SuppressionNotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemHandler.problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
    }

    static final class SuppressionNotFound extends RuntimeException {
        SuppressionNotFound(long id) {
            super("no suppression with id " + id);
        }
    }
}
