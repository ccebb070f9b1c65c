package io.herald.security;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the current request, from Spring Security's context. */
final class Principals {
    private Principals() {
    }

    static HeraldPrincipal current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof HeraldPrincipal principal) {
            return principal;
        }
        return null;
    }
}
