package io.herald.security;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's session: {@code GET /auth/me} says who is logged in (or, in local mode, that no login is
 * needed); {@code POST /auth/login} takes an API key or a username and password and starts a session
 * (cookie + CSRF token); {@code POST /auth/logout} (handled by Spring Security) ends it.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Tag(name = "Auth", description = "Who am I; console login and logout")
class AuthController {
    private final SecurityProperties properties;
    private final ApiKeyService keys;
    private final UserDirectory users;
    private final LoginThrottle throttle;
    private final ProblemWriter problems;
    private final AuditLog audit;
    private final SecurityContextRepository contexts;
    private final SessionAuthenticationStrategy sessionStrategy;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    AuthController(SecurityProperties properties, ApiKeyService keys, UserDirectory users, LoginThrottle throttle,
                   ProblemWriter problems, AuditLog audit, SecurityContextRepository contexts,
                   CsrfTokenRepository csrfTokens) {
        this.properties = properties;
        this.keys = keys;
        this.users = users;
        this.throttle = throttle;
        this.problems = problems;
        this.audit = audit;
        this.contexts = contexts;
        this.sessionStrategy = new CompositeSessionAuthenticationStrategy(List.of(
                new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrfTokens)));
    }

    /** Who is calling, as the console needs it. */
    record Me(boolean authenticated, String mode, String name, String actor, String role, String method) {
        static Me of(HeraldPrincipal p, boolean secure) {
            return new Me(true, secure ? "secure" : "local", p.name(), p.actor(), p.role().wire(), p.method());
        }
    }

    record LoginRequest(String apiKey, String username, String password) {
        @Override
        public String toString() {
            return "LoginRequest[username=" + username + ", apiKey=****, password=****]";
        }
    }

    @GetMapping("/auth/me")
    @Operation(summary = "Who am I", description = "Local mode: {authenticated: true, mode: local, role: admin}. "
            + "Secure mode: the caller, or 401 problem+json (with login_methods) when not logged in.")
    Object me(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HeraldPrincipal principal = Principals.current();
        if (principal == null) {
            if (!properties.enabled()) {
                return Me.of(HeraldPrincipal.LOCAL, false);
            }
            ProblemDetail problem = ProblemWriter.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Authentication required",
                    "Log in with an API key" + (users.isEmpty() ? "" : " or a username and password"));
            problem.setProperty("mode", "secure");
            problem.setProperty("login_methods", loginMethods());
            problems.write(request, response, problem);
            return null;
        }
        return Me.of(principal, properties.enabled());
    }

    @PostMapping("/auth/login")
    @Operation(summary = "Console login", description = "{api_key} or {username, password}; starts a session "
            + "(HttpOnly cookie) and sets a new XSRF-TOKEN cookie to echo in X-XSRF-TOKEN on writes. "
            + "401 on wrong credentials, 429 with Retry-After after too many failures.")
    Object login(@RequestBody LoginRequest login, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!properties.enabled()) {
            return Me.of(HeraldPrincipal.LOCAL, false);
        }
        boolean byKey = login.apiKey() != null && !login.apiKey().isBlank();
        String ip = request.getRemoteAddr();
        String claimed = byKey ? "key:" + ApiKeyService.visiblePrefix(login.apiKey().trim())
                : login.username() == null ? null : "user:" + login.username().trim().toLowerCase(Locale.ROOT);
        Optional<Duration> wait = throttle.blocked(ip, claimed);
        if (wait.isPresent()) {
            problems.tooManyAttempts(request, response, wait.get());
            return null;
        }
        Optional<HeraldPrincipal> principal = byKey
                ? keys.authenticate(login.apiKey().trim()).map(HeraldPrincipal::apiKey)
                : users.authenticate(login.username(), login.password());
        if (principal.isEmpty()) {
            throttle.failed(ip, claimed);
            audit.record(new HeraldPrincipal(claimed == null ? "anonymous" : claimed, null, null, null, null),
                    "auth.login_failed", null, null, byKey ? "api key" : "password", ip);
            problems.write(request, response, ProblemWriter.problem(HttpStatus.UNAUTHORIZED, "bad-credentials",
                    "Login failed", byKey ? "The API key is not valid or has been revoked" : "Wrong username or password"));
            return null;
        }
        HeraldPrincipal who = principal.get();
        Authentication auth = UsernamePasswordAuthenticationToken.authenticated(who, null,
                List.of(new SimpleGrantedAuthority(who.role().authority())));
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(auth);
        holder.setContext(context);
        sessionStrategy.onAuthentication(auth, request, response);
        contexts.saveContext(context, request, response);
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken(); // send the rotated XSRF-TOKEN cookie with this answer
        }
        audit.record(who, "auth.login", null, null, who.method(), ip);
        return Me.of(who, true);
    }

    private List<String> loginMethods() {
        List<String> methods = new ArrayList<>(List.of("api_key"));
        if (!users.isEmpty()) {
            methods.add("password");
        }
        return methods;
    }
}
