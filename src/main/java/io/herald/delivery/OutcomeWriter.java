package io.herald.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.herald.dispatch.MessageLedger;
import io.herald.dispatch.Outcome;
import io.herald.stats.StatsDelta;
import io.herald.stats.StatsService;
import io.herald.stats.ThroughputRecorder;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records a batch of outcomes in one transaction: one batched UPDATE of the message rows, and the
 * campaign counters and latency histogram moved by exactly the rows that changed; after the commit, the
 * per-second throughput goes to the {@link ThroughputRecorder}. A duplicate
 * outcome (the row had already moved on) changes neither.
 */
@Component
class OutcomeWriter {
    private final MessageLedger ledger;
    private final StatsService stats;
    private final ThroughputRecorder throughput;

    OutcomeWriter(MessageLedger ledger, StatsService stats, ThroughputRecorder throughput) {
        this.ledger = ledger;
        this.stats = stats;
        this.throughput = throughput;
    }

    @Transactional
    public boolean[] write(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return new boolean[0];
        }
        boolean[] applied = ledger.apply(outcomes);
        Map<Long, Tally> tallies = new HashMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (applied[i]) {
                Outcome o = outcomes.get(i);
                tallies.computeIfAbsent(o.campaignId(), id -> new Tally()).add(o);
            }
        }
        tallies.forEach((campaignId, t) -> stats.apply(campaignId,
                new StatsDelta(0, -(t.sent + t.failed + t.cancelled), t.sent, t.failed, t.retries, t.cancelled, t.segments),
                t.latencies.stream().mapToLong(Long::longValue).toArray()));
        // The throughput chart learns of the outcomes once they are committed (a rolled-back batch comes again).
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                tallies.forEach((campaignId, t) -> throughput.add(campaignId, t.bySecond));
            }
        });
        return applied;
    }

    private static final class Tally {
        long sent;
        long failed;
        long retries;
        long cancelled;
        long segments;
        final List<Long> latencies = new ArrayList<>();
        /** {sent, failed} per epoch second of the outcome, for the throughput series. */
        final Map<Long, long[]> bySecond = new HashMap<>();

        void add(Outcome o) {
            switch (o.status()) {
                case SENT -> {
                    sent++;
                    segments += o.segments() == null ? 0 : o.segments();
                    latencies.add(o.latencyMs());
                    bySecond.computeIfAbsent(o.at() / 1000, s -> new long[2])[0]++;
                }
                case FAILED -> {
                    failed++;
                    bySecond.computeIfAbsent(o.at() / 1000, s -> new long[2])[1]++;
                }
                case RETRYING -> {
                    if (!o.deferred()) {
                        retries++; // waiting out a provider outage is not a retry of this message
                    }
                }
                case CANCELLED -> cancelled++;
                default -> throw new IllegalArgumentException("not an outcome: " + o.status());
            }
        }
    }
}
