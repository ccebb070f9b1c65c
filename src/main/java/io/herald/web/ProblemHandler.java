package io.herald.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.herald.InvalidInputException;
import io.herald.audience.InvalidSegmentRuleException;
import io.herald.campaign.CampaignNotFoundException;
import io.herald.campaign.CampaignStateException;
import io.herald.template.TemplateSyntaxException;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Every error is an RFC 9457 problem+json: a {@code type}, a human {@code title} and {@code detail},
 * and for bad input an {@code errors} list naming each field and what is wrong with it.
 * Stack traces never leave the server.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    static final String TYPE_PREFIX = "urn:herald:problem:";

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalidInput(InvalidInputException e) {
        return invalid(e.errors());
    }

    @ExceptionHandler(InvalidSegmentRuleException.class)
    ProblemDetail invalidRule(InvalidSegmentRuleException e) {
        return invalid(List.of(new InvalidInputException.FieldError("segment_rule", e.getMessage(), e.column())));
    }

    /**
     * A stored campaign whose template no longer parses (saved before a stricter check) when it is previewed: the
     * field at fault is its template; PATCH it to fix it.
     */
    @ExceptionHandler(TemplateSyntaxException.class)
    ProblemDetail storedTemplate(TemplateSyntaxException e) {
        return invalid(List.of(new InvalidInputException.FieldError("template", "does not parse: " + e.getMessage())));
    }

    @ExceptionHandler(CampaignNotFoundException.class)
    ProblemDetail notFound(RuntimeException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(CampaignStateException.class)
    ProblemDetail conflict(CampaignStateException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "invalid-state", "Not allowed in the current status", e.getMessage());
        problem.setProperty("current_status", e.current().name());
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : switch (e.getRequiredType().getSimpleName()) {
            case "long", "Long", "int", "Integer" -> "a whole number";
            case "boolean", "Boolean" -> "true or false";
            default -> e.getRequiredType().getSimpleName();
        };
        return invalid(List.of(new InvalidInputException.FieldError(e.getName(), "must be " + expected + ", got \"" + e.getValue() + "\"")));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unhandled error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "The server failed to handle this request; it has been logged.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = malformed("A JSON request body is required");
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException parse) {
                String where = parse.getLocation() == null ? ""
                        : " at line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr();
                problem = malformed("The request body is not valid JSON" + where);
                break;
            }
            if (cause instanceof JacksonException mapping) {
                String field = jsonField(mapping, "body");
                problem = invalid(List.of(new InvalidInputException.FieldError(field, "has the wrong type or format")));
                break;
            }
        }
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(invalid(List.of(new InvalidInputException.FieldError(ex.getParameterName(), "is required"))));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex, HttpHeaders headers,
                                                                     HttpStatusCode status, WebRequest request) {
        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(invalid(List.of(new InvalidInputException.FieldError(ex.getRequestPartName(),
                        "is required (a multipart/form-data part)"))));
    }

    /**
     * Form parameters are parsed only when first read, and then the firewall may refuse their names or Tomcat fail to
     * decode them (a form-encoded body holding JSON with a stray '%'): a 400, and the refused text is not echoed.
     */
    @ExceptionHandler({RequestRejectedException.class, InvalidParameterException.class})
    ProblemDetail rejected(RuntimeException e) {
        return invalid(List.of(new InvalidInputException.FieldError("request",
                "was rejected: its path, parameters or headers hold characters or forms Herald does not accept")));
    }

    /** A multipart body that does not parse (no boundary, cut short): the client's fault, not the server's. */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e) {
        return invalid(List.of(new InvalidInputException.FieldError("body",
                "is not a readable multipart/form-data body (check the boundary and that the body is complete)")));
    }

    /**
     * Every other 400 Spring answers by itself (a missing header, an unreadable parameter) still names what is at
     * fault, as the API promises: the request itself when nothing narrower is known.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (statusCode.value() == 400 && body instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("errors"))) {
            String detail = problem.getDetail() == null ? "is not a valid request" : problem.getDetail();
            problem.setProperty("errors", List.of(Map.of("field", "request", "message", detail)));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    /** A body that is not JSON: the field at fault is the body itself. */
    private static ProblemDetail malformed(String detail) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-json", "Malformed JSON", detail);
        problem.setProperty("errors", List.of(Map.of("field", "body", "message", detail)));
        return problem;
    }

    /** The JSON path of the field a Jackson error is about, e.g. {@code scheduled_at}. */
    static String jsonField(Exception e, String fallback) {
        if (e instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference ref : jackson.getPath()) {
                if (ref.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return path.isEmpty() ? fallback : path.toString();
        }
        if (e.getCause() instanceof Exception cause && cause != e) {
            return jsonField(cause, fallback);
        }
        return fallback;
    }

    static ProblemDetail invalid(List<InvalidInputException.FieldError> errors) {
        String detail = errors.isEmpty() ? "Invalid input" : errors.get(0).field() + " " + errors.get(0).message();
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail);
        problem.setProperty("errors", errors.stream().map(f -> f.column() == null
                ? Map.of("field", f.field(), "message", f.message())
                : Map.of("field", f.field(), "message", f.message(), "column", f.column())).toList());
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }
}
