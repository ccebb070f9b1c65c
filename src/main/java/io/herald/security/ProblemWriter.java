package io.herald.security;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/** Writes RFC 9457 problem+json answers from filters, where no controller advice runs. */
class ProblemWriter {
    static final String TYPE_PREFIX = "urn:herald:problem:";
    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }

    void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"herald\"");
        write(request, response, problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required", detail));
    }

    void forbidden(HttpServletRequest request, HttpServletResponse response, String type, String detail) throws IOException {
        write(request, response, problem(HttpStatus.FORBIDDEN, type, "Forbidden", detail));
    }

    void tooManyAttempts(HttpServletRequest request, HttpServletResponse response, Duration retryAfter) throws IOException {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-login-failures", "Too many failed logins",
                "Too many failed login attempts; try again in " + seconds + " s");
        problem.setProperty("retry_after_seconds", seconds);
        write(request, response, problem);
    }

    /** A request the firewall refused (never echoed back: it may be huge or crafted). */
    void rejected(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String message = "was rejected: its path, parameters or headers hold characters or forms Herald does not accept";
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected", "The request " + message);
        problem.setProperty("errors", java.util.List.of(Map.of("field", "request", "message", message)));
        write(request, response, problem);
    }

    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(request.getRequestURI()));
        }
        // A plain map, so the wire shape does not depend on which Jackson mix-ins this mapper has.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance().toString());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body);
    }
}
