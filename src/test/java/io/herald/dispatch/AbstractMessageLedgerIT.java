package io.herald.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.herald.HeraldApplication;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outcome write on each database ({@link MessageLedger#apply}: a JDBC batch of conditional UPDATEs, or on
 * PostgreSQL one set-based UPDATE per campaign): an outcome changes its row only while the row is pending with the
 * attempts the worker saw, the answer says exactly which outcomes took effect, and every column lands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractMessageLedgerIT {
    ConfigurableApplicationContext context;
    MessageLedger ledger;
    JdbcTemplate jdbc;
    TransactionTemplate tx;

    abstract TestDatabase database();

    @BeforeAll
    void start() {
        Map<String, String> properties = new HashMap<>(database().create());
        properties.put("herald.roles", "api");
        properties.put("herald.demo-data", "false");
        context = new SpringApplicationBuilder(HeraldApplication.class).web(WebApplicationType.NONE)
                .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        ledger = context.getBean(MessageLedger.class);
        jdbc = context.getBean(JdbcTemplate.class);
        tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void eachOutcomeChangesItsRowOnlyWhileThatRowIsPendingWithTheAttemptsTheWorkerSaw() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        long other = campaign + 1;
        List<MessageState> a = queue(campaign, 6);
        List<MessageState> b = queue(other, 2);
        long at = 1_700_000_000_000L;

        // Message 3 already moved on (SENT by another worker); message 4 was retried meanwhile (attempts 1).
        assertThat(ledger.apply(List.of(Outcome.sent(a.get(3), at - 5)))).containsExactly(true);
        assertThat(ledger.apply(List.of(Outcome.retry(a.get(4), at - 5, "timeout", at + 1_000)))).containsExactly(true);

        List<Outcome> batch = new ArrayList<>();
        batch.add(Outcome.sent(a.get(0), at, "prov-0", 2, "GSM7"));
        batch.add(Outcome.failed(a.get(1), at, "x".repeat(600)));
        batch.add(Outcome.deferred(a.get(2), at, "provider down", at + 30_000));
        batch.add(Outcome.sent(a.get(3), at));             // stale: the row is SENT already
        batch.add(Outcome.sent(a.get(4), at));             // stale: the row has attempts 1 now
        batch.add(Outcome.cancelled(a.get(5), at, "unsubscribed"));
        batch.add(Outcome.sent(b.get(0), at));             // a second campaign in the same batch
        batch.add(Outcome.retry(b.get(1), at, "503", at + 500));
        boolean[] applied = ledger.apply(batch);

        assertThat(applied).containsExactly(true, true, true, false, false, true, true, true);
        Map<String, Object> sent = row(campaign, a.get(0).id());
        assertThat(sent.get("status")).isEqualTo("SENT");
        assertThat(number(sent, "attempts")).isEqualTo(1);
        assertThat(number(sent, "sent_at")).isEqualTo(at);
        assertThat(number(sent, "latency_ms")).isEqualTo(at - a.get(0).createdAt());
        assertThat(sent.get("provider_message_id")).isEqualTo("prov-0");
        assertThat(number(sent, "segments")).isEqualTo(2);
        assertThat(sent.get("sms_encoding")).isEqualTo("GSM7");

        Map<String, Object> failed = row(campaign, a.get(1).id());
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("last_error")).hasSize(500);
        assertThat(failed.get("sent_at")).isNull();

        Map<String, Object> deferred = row(campaign, a.get(2).id());
        assertThat(deferred.get("status")).isEqualTo("RETRYING");
        assertThat(number(deferred, "attempts")).as("a deferral spends no attempt").isZero();
        assertThat(number(deferred, "next_attempt_at")).isEqualTo(at + 30_000);

        assertThat(number(row(campaign, a.get(3).id()), "sent_at")).as("the earlier SENT stays").isEqualTo(at - 5);
        assertThat(row(campaign, a.get(4).id()).get("status")).isEqualTo("RETRYING");
        Map<String, Object> cancelled = row(campaign, a.get(5).id());
        assertThat(cancelled.get("status")).isEqualTo("CANCELLED");
        assertThat(number(cancelled, "attempts")).isZero();
        assertThat(row(other, b.get(0).id()).get("status")).isEqualTo("SENT");
        assertThat(number(row(other, b.get(1).id()), "attempts")).isEqualTo(1);
    }

    @Test
    void aMessageTwiceInOneBatchTakesOnlyTheFirstOutcome() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        List<MessageState> m = queue(campaign, 2);
        long at = 1_700_000_000_000L;
        boolean[] applied = ledger.apply(List.of(Outcome.sent(m.get(0), at), Outcome.sent(m.get(1), at),
                Outcome.failed(m.get(0), at + 1, "duplicate task")));
        assertThat(applied).containsExactly(true, true, false);
        assertThat(row(campaign, m.get(0).id()).get("status")).isEqualTo("SENT");
    }

    @Test
    void aReceiptThatOvertookTheOutcomeKeepsTheProviderId() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        List<MessageState> m = queue(campaign, 2);
        jdbc.update("UPDATE messages SET provider_message_id = 'from-receipt' WHERE campaign_id = ? AND id = ?",
                campaign, m.get(0).id());
        long at = 1_700_000_000_000L;
        assertThat(ledger.apply(List.of(Outcome.sent(m.get(0), at), Outcome.sent(m.get(1), at, "from-send", null, null))))
                .containsExactly(true, true);
        assertThat(row(campaign, m.get(0).id()).get("provider_message_id")).isEqualTo("from-receipt");
        assertThat(row(campaign, m.get(1).id()).get("provider_message_id")).isEqualTo("from-send");
    }

    @Test
    void aFanOutPageTriedAgainQueuesOnlyTheMissingRowsAndReturnsEveryQueuedRowOfItsRange() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        long now = System.currentTimeMillis();
        // The interrupted first try queued recipients 2, 4 and 9 (9 has left the segment since); 4 was sent meanwhile.
        MessageLedger.QueuedPage first = ledger.insertQueued(campaign, 0, List.of(2L, 4L, 9L), now);
        assertThat(first.inserted()).isEqualTo(3);
        MessageState four = ledger.load(campaign, first.tasks().stream().map(t -> t.messageId()).toList()).stream()
                .filter(m -> m.recipientId() == 4).findFirst().orElseThrow();
        assertThat(ledger.apply(List.of(Outcome.sent(four, now)))).containsExactly(true);

        MessageLedger.QueuedPage again = ledger.insertQueued(campaign, 0, List.of(1L, 2L, 3L, 4L, 5L, 10L), now);
        assertThat(again.inserted()).as("rows for 1, 3, 5 and 10").isEqualTo(4);
        assertThat(again.tasks().stream().map(t -> t.recipientId()).sorted().toList())
                .as("every QUEUED row of (0, 10]: the new ones and the earlier try's 2 and 9, not the SENT 4")
                .containsExactly(1L, 2L, 3L, 5L, 9L, 10L);
        assertThat(again.tasks()).allSatisfy(t -> {
            assertThat(t.campaignId()).isEqualTo(campaign);
            assertThat(t.attempt()).isZero();
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM messages WHERE campaign_id = ?", Long.class, campaign))
                .isEqualTo(7);
    }

    /**
     * A fan-out page expected to be new ({@link MessageLedger#insertNew}) queues every recipient and returns their tasks;
     * should one have a row already, it never makes a second: PostgreSQL's plain INSERT refuses the page and its
     * transaction writes nothing (the dispatcher then does the page with insertQueued), the others skip the row.
     */
    @Test
    void aPageExpectedNewQueuesEveryRecipientAndNeverASecondRowForOne() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        long now = System.currentTimeMillis();
        MessageLedger.QueuedPage page = ledger.insertNew(campaign, 0, 9, List.of(3L, 5L, 9L), new int[]{0, 1, 0}, now);
        assertThat(page.inserted()).isEqualTo(3);
        assertThat(page.tasks()).extracting(t -> t.recipientId()).containsExactly(3L, 5L, 9L);
        assertThat(jdbc.queryForList("SELECT variant FROM messages WHERE campaign_id = ? ORDER BY recipient_id",
                Integer.class, campaign)).containsExactly(0, 1, 0);

        try {
            MessageLedger.QueuedPage again = tx.execute(s -> ledger.insertNew(campaign, 9, 22, List.of(12L, 20L, 21L, 22L), null, now));
            // a page of new recipients only, so every database queues it
            assertThat(again.inserted()).isEqualTo(4);
            MessageLedger.QueuedPage met = tx.execute(s -> ledger.insertNew(campaign, 0, 30, List.of(1L, 22L, 30L), null, now));
            assertThat(database()).as("only PostgreSQL refuses a page that meets a row").isNotEqualTo(TestDatabase.POSTGRES);
            assertThat(met.inserted()).isEqualTo(2);
        } catch (DuplicateKeyException e) {
            assertThat(database()).isEqualTo(TestDatabase.POSTGRES);
            assertThat(jdbc.queryForList("SELECT recipient_id FROM messages WHERE campaign_id = ? ORDER BY recipient_id",
                    Long.class, campaign)).as("the refused page wrote nothing").containsExactly(3L, 5L, 9L, 12L, 20L, 21L, 22L);
            MessageLedger.QueuedPage met = tx.execute(s -> ledger.insertQueued(campaign, 0, 30, List.of(1L, 22L, 30L), null, now));
            assertThat(met.inserted()).isEqualTo(2);
        }
        assertThat(jdbc.queryForList("SELECT recipient_id FROM messages WHERE campaign_id = ? ORDER BY recipient_id",
                Long.class, campaign)).containsExactly(1L, 3L, 5L, 9L, 12L, 20L, 21L, 22L, 30L);
    }

    /**
     * Workers read their batch's messages and contacts by id: a range when the ids are close together, otherwise the
     * ids themselves (one array on PostgreSQL). Either way they get exactly the rows asked for.
     */
    @Test
    void workersReadExactlyTheMessagesAndContactsOfTheirBatchWhetherItsIdsAreCloseOrScattered() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        String run = Long.toString(campaign, 36);
        List<io.herald.audience.NewRecipient> people = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            people.add(new io.herald.audience.NewRecipient("P" + i, run + "-" + i + "@ledger.example", null, List.of(), Map.of()));
        }
        io.herald.audience.AudienceService audience = context.getBean(io.herald.audience.AudienceService.class);
        List<Long> recipients = audience.insertAll(people, System.currentTimeMillis());
        MessageLedger.QueuedPage page = ledger.insertQueued(campaign, 0, recipients, System.currentTimeMillis());
        List<MessageState> all = ledger.load(campaign, page.tasks().stream().map(t -> t.messageId()).toList()).stream()
                .sorted(java.util.Comparator.comparingLong(MessageState::id)).toList();
        assertThat(all).hasSize(200);

        List<MessageState> close = new ArrayList<>();      // 30 of 40 consecutive messages: read as a range
        List<MessageState> scattered = new ArrayList<>();  // every 7th: read by their ids
        for (int i = 0; i < 40; i++) {
            if (i % 4 != 0) {
                close.add(all.get(i));
            }
        }
        for (int i = 3; i < all.size(); i += 7) {
            scattered.add(all.get(i));
        }
        for (List<MessageState> batch : List.of(close, scattered, all.subList(5, 9))) {
            List<Long> ids = batch.stream().map(MessageState::id).toList();
            assertThat(ledger.load(campaign, ids)).as("messages %s", ids).containsExactlyInAnyOrderElementsOf(batch);
            List<Long> recipientIds = batch.stream().map(MessageState::recipientId).toList();
            Map<Long, io.herald.audience.Contact> contacts = audience.contacts(recipientIds);
            assertThat(contacts.keySet()).as("contacts of %s", recipientIds).containsExactlyInAnyOrderElementsOf(recipientIds);
            contacts.forEach((id, contact) ->
                    assertThat(contact.email()).isEqualTo(run + "-" + recipients.indexOf(id) + "@ledger.example"));
        }
    }

    @Test
    void pagesByStatusListExactlyThatStatusNewestFirstAndRetriesAndDeadLettersAreFoundAgain() {
        long campaign = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        List<MessageState> m = queue(campaign, 10);
        long at = 1_700_000_000_000L;
        // 0, 1: stay QUEUED; 2-4: SENT; 5, 6: RETRYING (6 overdue); 7, 8: FAILED; 9: CANCELLED
        ledger.apply(List.of(Outcome.sent(m.get(2), at), Outcome.sent(m.get(3), at), Outcome.sent(m.get(4), at),
                Outcome.retry(m.get(5), at, "503", at + 60_000), Outcome.retry(m.get(6), at, "503", at - 60_000),
                Outcome.failed(m.get(7), at, "550"), Outcome.failed(m.get(8), at, "550"),
                Outcome.cancelled(m.get(9), at, "unsubscribed")));
        Map<MessageStatus, List<Integer>> expected = Map.of(MessageStatus.QUEUED, List.of(1, 0),
                MessageStatus.SENT, List.of(4, 3, 2), MessageStatus.RETRYING, List.of(6, 5),
                MessageStatus.FAILED, List.of(8, 7), MessageStatus.CANCELLED, List.of(9));
        expected.forEach((status, indexes) -> {
            List<Long> ids = indexes.stream().map(i -> m.get(i).id()).toList();
            assertThat(ledger.page(campaign, status, Long.MAX_VALUE, 50)).as("%s", status)
                    .extracting(MessageRecord::id).containsExactlyElementsOf(ids);
            assertThat(ledger.page(campaign, status, ids.get(0), 50)).as("%s after the first", status)
                    .extracting(MessageRecord::id).containsExactlyElementsOf(ids.subList(1, ids.size()));
        });
        assertThat(ledger.overdueRetries(campaign, at, 100)).extracting(io.herald.transport.DeliveryTask::messageId)
                .containsExactly(m.get(6).id());
        assertThat(ledger.requeueFailed(campaign, at + 1)).isEqualTo(2);
        assertThat(ledger.page(campaign, MessageStatus.FAILED, Long.MAX_VALUE, 50)).isEmpty();
        assertThat(ledger.page(campaign, MessageStatus.QUEUED, Long.MAX_VALUE, 50)).extracting(MessageRecord::id)
                .containsExactly(m.get(8).id(), m.get(7).id(), m.get(1).id(), m.get(0).id());
    }

    /** Queues messages for {@code n} recipients of a campaign the way fan-out does. */
    List<MessageState> queue(long campaign, int n) {
        List<Long> recipients = new ArrayList<>();
        for (long r = 1; r <= n; r++) {
            recipients.add(r);
        }
        MessageLedger.QueuedPage page = ledger.insertQueued(campaign, 0, recipients, System.currentTimeMillis());
        assertThat(page.inserted()).isEqualTo(n);
        List<Long> ids = page.tasks().stream().map(t -> t.messageId()).sorted().toList();
        return ledger.load(campaign, ids).stream()
                .sorted(java.util.Comparator.comparingLong(MessageState::id)).toList();
    }

    private Map<String, Object> row(long campaign, long id) {
        Map<String, Object> raw = jdbc.queryForMap("SELECT * FROM messages WHERE campaign_id = ? AND id = ?", campaign, id);
        Map<String, Object> lower = new HashMap<>();
        raw.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return lower;
    }

    private static long number(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
