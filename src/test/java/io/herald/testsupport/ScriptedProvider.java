package io.herald.testsupport;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.herald.provider.OutboundMessage;
import io.herald.provider.Provider;
import io.herald.provider.ProviderFactory;
import io.herald.provider.SendResult;

/**
 * A deterministic provider for tests: recipients whose name starts with one of {@link #alwaysFail}
 * fail every attempt (retryable), those in {@link #failTwice} fail their first two attempts; the
 * rest succeed. Counts calls per idempotency key so tests can prove nobody got a message twice. With
 * {@link #sidPrefix} set, an accepted message is named by the provider like an SMS gateway does (prefix + key).
 */
public class ScriptedProvider implements Provider {
    public final Set<String> alwaysFail = ConcurrentHashMap.newKeySet();
    public final Set<String> failTwice = ConcurrentHashMap.newKeySet();
    public final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    public final Map<String, String> bodies = new ConcurrentHashMap<>();
    /** When set, each accepted message gets the provider id {@code sidPrefix + idempotencyKey}; null: none. */
    public volatile String sidPrefix;

    @Override
    public SendResult send(OutboundMessage message) {
        int call = calls.computeIfAbsent(message.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
        String name = message.recipient().name();
        if (alwaysFail.stream().anyMatch(name::startsWith)) {
            return new SendResult.RetryableFailure("scripted failure for " + name);
        }
        if (failTwice.stream().anyMatch(name::startsWith) && call <= 2) {
            return new SendResult.RetryableFailure("scripted transient failure " + call);
        }
        delivered.computeIfAbsent(message.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
        bodies.put(message.idempotencyKey(), message.body());
        String prefix = sidPrefix;
        return prefix == null ? SendResult.SENT : new SendResult.Sent(prefix + message.idempotencyKey());
    }

    /** Plugs this provider into Herald under the name {@code scripted} ({@code herald.provider.type=scripted}). */
    public ProviderFactory factory() {
        ScriptedProvider self = this;
        return new ProviderFactory() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public Provider create() {
                return self;
            }
        };
    }

    public void reset() {
        alwaysFail.clear();
        failTwice.clear();
        calls.clear();
        delivered.clear();
        bodies.clear();
        sidPrefix = null;
    }
}
