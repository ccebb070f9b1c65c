package io.herald.security;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every successful (2xx) write request — POST, PUT, PATCH, DELETE — with the caller, the route
 * and its target id. Works for any controller, including ones added after this module. Login and logout
 * are recorded by the auth endpoints themselves.
 */
class AuditInterceptor implements HandlerInterceptor {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private final AuditLog audit;

    AuditInterceptor(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!WRITES.contains(request.getMethod()) || response.getStatus() < 200 || response.getStatus() >= 300 || ex != null) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(pattern instanceof String route) || route.startsWith("/auth/") || route.startsWith("/u/")
                || route.startsWith("/webhooks/")) {
            // /auth/ records itself; /u/ (signed unsubscribe links) records the recipient as actor; /webhooks/ records
            // the changes a report makes (a bounced recipient), not every receipt.
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        AuditActions.Described what = AuditActions.describe(request.getMethod(), route, variables,
                response.getHeader(HttpHeaders.LOCATION));
        audit.record(Principals.current(), what.action(), what.targetType(), what.targetId(),
                request.getMethod() + " " + request.getRequestURI(), request.getRemoteAddr());
    }
}
