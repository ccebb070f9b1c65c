package io.herald;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.core.env.Environment;

/**
 * The parts of Herald a process runs ({@code herald.roles}): {@code api} serves HTTP,
 * {@code worker} consumes and delivers messages, {@code scheduler} starts scheduled campaigns,
 * resumes interrupted fan-outs and completes drained campaigns.
 */
public final class HeraldRoles {
    public static final String API = "api";
    public static final String WORKER = "worker";
    public static final String SCHEDULER = "scheduler";
    public static final String PROPERTY = "herald.roles";
    private static final Set<String> KNOWN = Set.of(API, WORKER, SCHEDULER);

    private HeraldRoles() {
    }

    public static Set<String> of(Environment environment) {
        String raw = environment.getProperty(PROPERTY, "api,worker,scheduler");
        Set<String> roles = Arrays.stream(raw.split(","))
                .map(r -> r.trim().toLowerCase(Locale.ROOT))
                .filter(r -> !r.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String role : roles) {
            if (!KNOWN.contains(role)) {
                throw new IllegalArgumentException("Unknown role '" + role + "' in " + PROPERTY + "; known roles: " + KNOWN);
            }
        }
        return roles;
    }

    public static boolean has(Environment environment, String role) {
        return of(environment).contains(role);
    }
}
