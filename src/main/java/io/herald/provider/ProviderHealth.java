package io.herald.provider;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One Resilience4j circuit breaker per provider in this process (see {@link CircuitBreakerProperties}), and the
 * shared record of their states in {@code provider_health}, so that an API process can show an outage that the
 * workers see. Only provider-side failures ({@link SendResult.RetryableFailure}) count against a provider; a
 * rejected recipient ({@link SendResult.PermanentFailure}) is the recipient's problem and counts as a working call.
 */
@Component
public class ProviderHealth {
    private static final Logger log = LoggerFactory.getLogger(ProviderHealth.class);
    private static final Duration FRESH = Duration.ofSeconds(60);

    private final CircuitBreakerProperties properties;
    private final JdbcClient jdbc;
    private final String worker;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    ProviderHealth(CircuitBreakerProperties properties, JdbcClient jdbc) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.worker = workerId();
    }

    /** A provider-side failure, as the breaker records it. */
    static final class ProviderFailure extends RuntimeException {
        ProviderFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    private final class Guard {
        final String provider;
        final CircuitBreaker breaker;
        volatile String lastError;
        volatile long since = System.currentTimeMillis();

        Guard(String provider) {
            this.provider = provider;
            CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    // every sender thread records every call: with the default synchronized window, 32 senders
                    // queued for its lock (13 s parked in a 1M send on H2, per JFR)
                    .slidingWindowSynchronizationStrategy(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
                    .slidingWindowSize(properties.slidingWindowSize())
                    .minimumNumberOfCalls(properties.minimumNumberOfCalls())
                    .failureRateThreshold(properties.failureRateThreshold())
                    .waitDurationInOpenState(properties.waitInOpenState())
                    .permittedNumberOfCallsInHalfOpenState(properties.permittedCallsInHalfOpenState())
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .recordExceptions(ProviderFailure.class)
                    .build();
            this.breaker = CircuitBreaker.of("provider-" + provider, config);
            breaker.getEventPublisher().onStateTransition(event -> {
                since = System.currentTimeMillis();
                CircuitBreaker.State to = event.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    log.warn("Provider {} looks down (circuit breaker open): messages wait without spending attempts; last error: {}",
                            provider, lastError);
                } else {
                    log.info("Provider {}: circuit breaker {}", provider, to);
                }
                store(this);
            });
        }
    }

    /**
     * The deferral a message gets without asking for a call, while the provider's breaker is open and its wait is
     * not over; empty when a call may be tried. Workers ask this before they spend a rate-limit token, so that
     * during a long outage the waiting messages pass through quickly instead of queueing for tokens they do not
     * use (under a rate limit, that queue made their retries late, and late retries are re-published).
     */
    java.util.Optional<SendResult.Deferred> refusing(String providerName) {
        Guard guard = properties.enabled() ? guards.get(providerName) : null;
        if (guard == null || guard.breaker.getState() != CircuitBreaker.State.OPEN
                || System.currentTimeMillis() - guard.since >= properties.waitInOpenState().toMillis()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new SendResult.Deferred("provider " + providerName
                + " is unavailable (circuit breaker OPEN); last error: " + guard.lastError, waitWhileOpen(guard)));
    }

    /** Calls the provider through its breaker; a call the breaker refuses, or one that opened it, is deferred. */
    SendResult send(String providerName, Provider provider, OutboundMessage message) {
        if (!properties.enabled()) {
            return provider.send(message);
        }
        // get() first: computeIfAbsent locks the map's bin even when the key is there, and every send comes here.
        Guard guard = guards.get(providerName);
        if (guard == null) {
            guard = guards.computeIfAbsent(providerName, Guard::new);
        }
        try {
            guard.breaker.acquirePermission();
        } catch (CallNotPermittedException e) {
            return new SendResult.Deferred("provider " + providerName + " is unavailable (circuit breaker "
                    + guard.breaker.getState() + "); last error: " + guard.lastError, waitWhileOpen(guard));
        }
        long start = System.nanoTime();
        SendResult result;
        try {
            result = provider.send(message);
        } catch (RuntimeException e) {
            result = new SendResult.RetryableFailure("provider error: " + e);
        }
        long took = System.nanoTime() - start;
        if (result instanceof SendResult.RetryableFailure failure) {
            guard.lastError = failure.reason();
            guard.breaker.onError(took, java.util.concurrent.TimeUnit.NANOSECONDS, new ProviderFailure(failure.reason()));
            if (guard.breaker.getState() != CircuitBreaker.State.CLOSED) {
                // This failure was part of an outage the breaker now sees: it does not spend the message's attempt.
                Duration wait = waitWhileOpen(guard);
                if (failure.retryAfter() != null && failure.retryAfter().compareTo(wait) > 0) {
                    wait = failure.retryAfter();
                }
                return new SendResult.Deferred(failure.reason(), wait);
            }
        } else {
            guard.breaker.onSuccess(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return result;
    }

    /**
     * How long a message waits before it is offered again: about the rest of the open period, spread out so that
     * the waiting messages do not all return at once (only a few of them are let through as probes anyway).
     */
    private Duration waitWhileOpen(Guard guard) {
        long open = properties.waitInOpenState().toMillis();
        long remaining = guard.breaker.getState() == CircuitBreaker.State.OPEN
                ? Math.max(0, open - (System.currentTimeMillis() - guard.since)) : open / 4;
        return Duration.ofMillis(Math.max(500, remaining) + ThreadLocalRandom.current().nextLong(open / 2 + 1));
    }

    /** Keeps the rows of breakers that are not CLOSED fresh, so readers can tell them from a dead worker's. */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void refresh() {
        for (Guard guard : guards.values()) {
            // Reading the state also moves an OPEN breaker whose wait is over to HALF_OPEN.
            guard.breaker.tryAcquirePermission();
            guard.breaker.releasePermission();
            if (guard.breaker.getState() != CircuitBreaker.State.CLOSED) {
                store(guard);
            }
        }
    }

    private void store(Guard guard) {
        // One write at a time per breaker, each reading the state inside the lock: two transitions in quick
        // succession (HALF_OPEN, then CLOSED after the probes), or a refresh beside a transition, could otherwise
        // commit out of order and leave a recovered provider recorded as HALF_OPEN.
        synchronized (guard) {
            write(guard);
        }
    }

    private void write(Guard guard) {
        long now = System.currentTimeMillis();
        String state = guard.breaker.getState().name();
        String error = guard.lastError == null || guard.lastError.length() <= 500 ? guard.lastError : guard.lastError.substring(0, 500);
        try {
            int updated = jdbc.sql("UPDATE provider_health SET state = ?, since = ?, last_error = ?, updated_at = ?"
                            + " WHERE provider = ? AND worker = ?")
                    .params(state, guard.since, error, now, guard.provider, worker).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO provider_health (provider, worker, state, since, last_error, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")
                        .params(guard.provider, worker, state, guard.since, error, now).update();
            }
        } catch (RuntimeException e) {
            // Best effort: the breaker works without the record; the API then shows the provider as closed.
            log.debug("Could not record the state of provider {}: {}", guard.provider, e.toString());
        }
    }

    /**
     * The provider's state across the worker processes: the worst state any of them reported within the last
     * minute (OPEN, then HALF_OPEN), else CLOSED.
     */
    public ProviderState state(String provider) {
        long freshSince = System.currentTimeMillis() - FRESH.toMillis();
        List<ProviderState> rows = jdbc.sql("SELECT state, since, last_error FROM provider_health"
                        + " WHERE provider = ? AND updated_at >= ? AND state <> 'CLOSED'")
                .params(provider, freshSince)
                .query((rs, row) -> new ProviderState(provider, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)))
                .list();
        return rows.stream()
                .min(java.util.Comparator.comparing((ProviderState s) -> "OPEN".equals(s.state()) ? 0 : 1)
                        .thenComparing(ProviderState::since))
                .orElse(ProviderState.closed(provider));
    }

    private static String workerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        String id = ProcessHandle.current().pid() + "@" + host + "#" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        return id.length() <= 100 ? id : id.substring(0, 100);
    }
}
