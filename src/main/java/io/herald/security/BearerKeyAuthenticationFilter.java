package io.herald.security;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <api key>}: a valid, unrevoked key authenticates this one request
 * (nothing is stored in a session). A wrong or revoked key is a 401 at once and counts as a failed
 * login; too many failures from one IP or for one key prefix are a 429 with Retry-After.
 */
class BearerKeyAuthenticationFilter extends OncePerRequestFilter {
    private final ApiKeyService keys;
    private final LoginThrottle throttle;
    private final ProblemWriter problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    BearerKeyAuthenticationFilter(ApiKeyService keys, LoginThrottle throttle, ProblemWriter problems) {
        this.keys = keys;
        this.throttle = throttle;
        this.problems = problems;
    }

    static boolean hasBearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!hasBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String secret = request.getHeader(HttpHeaders.AUTHORIZATION).substring(7).trim();
        String ip = request.getRemoteAddr();
        String throttleKey = secret.isEmpty() ? null : "key:" + ApiKeyService.visiblePrefix(secret);
        Optional<Duration> wait = throttle.blocked(ip, throttleKey);
        if (wait.isPresent()) {
            problems.tooManyAttempts(request, response, wait.get());
            return;
        }
        Optional<ApiKey> key = keys.authenticate(secret);
        if (key.isEmpty()) {
            throttle.failed(ip, throttleKey);
            problems.unauthorized(request, response, "The API key is not valid or has been revoked");
            return;
        }
        HeraldPrincipal principal = HeraldPrincipal.apiKey(key.get());
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority(principal.role().authority()))));
        contexts.setContext(context);
        chain.doFilter(request, response);
    }
}
