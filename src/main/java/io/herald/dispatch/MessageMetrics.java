package io.herald.dispatch;

import java.util.EnumMap;
import java.util.Map;

import io.herald.Channel;
import io.herald.provider.ProviderRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The send path's message counters, for Prometheus: {@code herald_messages_total{channel,provider,outcome}}
 * (outcome sent, failed, retried, cancelled: the same events the campaign's stats count, counted once their
 * write committed) and {@code herald_fanout_messages_total} (message rows fan-out created). Counters are made
 * once per channel and outcome, so counting is an increment; no campaign or recipient is a label.
 */
@Component
public class MessageMetrics {
    /** The outcome label of each counted status; RETRYING counts as "retried" (a deferral is not counted). */
    private static final Map<MessageStatus, String> OUTCOMES = Map.of(MessageStatus.SENT, "sent",
            MessageStatus.FAILED, "failed", MessageStatus.RETRYING, "retried", MessageStatus.CANCELLED, "cancelled");

    private final Map<Channel, Map<MessageStatus, Counter>> messages = new EnumMap<>(Channel.class);
    private final Counter fannedOut;

    MessageMetrics(MeterRegistry registry, ProviderRegistry providers) {
        for (Channel channel : Channel.values()) {
            Map<MessageStatus, Counter> byStatus = new EnumMap<>(MessageStatus.class);
            OUTCOMES.forEach((status, outcome) -> byStatus.put(status, Counter.builder("herald.messages")
                    .description("Message outcomes recorded: sent, failed for good, retried, cancelled")
                    .tag("channel", channel.key())
                    .tag("provider", providers.nameOf(channel))
                    .tag("outcome", outcome)
                    .register(registry)));
            messages.put(channel, byStatus);
        }
        fannedOut = Counter.builder("herald.fanout.messages")
                .description("Message rows created by fan-out")
                .register(registry);
    }

    /** Counts an outcome that was written (call after its batch committed). A deferral spends no attempt and is not counted. */
    public void recorded(Channel channel, Outcome outcome) {
        if (outcome.deferred()) {
            return;
        }
        Counter counter = messages.get(channel).get(outcome.status());
        if (counter != null) {
            counter.increment();
        }
    }

    /** Counts messages a campaign's cancel moved to CANCELLED, once the cancelling transaction commits. */
    void cancelled(Channel channel, long count) {
        Counter counter = messages.get(channel).get(MessageStatus.CANCELLED);
        afterCommit(() -> counter.increment(count));
    }

    /** Counts the message rows one committed fan-out page inserted. */
    void fannedOut(long inserted) {
        if (inserted > 0) {
            fannedOut.increment(inserted);
        }
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
