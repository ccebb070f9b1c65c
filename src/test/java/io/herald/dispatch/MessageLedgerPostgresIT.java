package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;

class MessageLedgerPostgresIT extends AbstractMessageLedgerIT {
    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    /**
     * V21: no index names a column that sending changes, and fan-out leaves room on each page, so a SENT outcome is a
     * heap-only update (no index entries written) as long as its page has room; a FAILED one moves the row into the
     * attention index and never is.
     */
    @Test
    void sendingAMessageIsAHeapOnlyUpdate() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        List<MessageState> m = queue(campaign, 50);
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            outcomes.add(Outcome.sent(m.get(i), 1_700_000_000_000L));
        }
        outcomes.add(Outcome.failed(m.get(49), 1_700_000_000_000L, "550 no such user"));
        long[] counts = tx.execute(s -> {
            // The backend's counts not yet reported (earlier transactions' too, until it is idle for a second): the
            // difference across the apply, on the connection it ran on, is the apply's own.
            long[] before = updateCounts();
            ledger.apply(outcomes);
            long[] after = updateCounts();
            return new long[]{after[0] - before[0], after[1] - before[1]};
        });
        assertThat(counts[0]).as("rows updated").isEqualTo(50);
        // A SENT version is 16 bytes longer than the QUEUED one (sent_at, latency_ms), so the half of a page that
        // fan-out leaves free holds most of its rows' new versions, not all (43 of 49 here; 86 % in a 1M send).
        // With status indexed, none is heap-only.
        assertThat(counts[1]).as("heap-only updates").isBetween(40L, 49L);
    }

    private long[] updateCounts() {
        Map<String, Object> row = jdbc.queryForMap("SELECT COALESCE(SUM(n_tup_upd), 0) AS updated,"
                + " COALESCE(SUM(n_tup_hot_upd), 0) AS hot FROM pg_stat_xact_user_tables WHERE relname LIKE 'messages\\_p%'");
        return new long[]{((Number) row.get("updated")).longValue(), ((Number) row.get("hot")).longValue()};
    }
}
