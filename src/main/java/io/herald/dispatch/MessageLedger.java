package io.herald.dispatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.herald.DatabaseVendor;
import io.herald.IdMatch;
import io.herald.IdRange;
import io.herald.transport.DeliveryTask;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The messages table: one row per (campaign, recipient), created by fan-out and moved by workers.
 * Everything here works in batches; nothing counts messages (counters live in the stats module).
 */
@Service
public class MessageLedger {
    private static final JsonMapper OUTCOME_ROWS = JsonMapper.builder().build();
    private static final int MAX_ERROR = 500;
    private static final String RECORD_COLUMNS = "id, campaign_id, recipient_id, status, attempts, created_at, sent_at,"
            + " latency_ms, last_error, next_attempt_at, provider_message_id, segments, sms_encoding, delivery_status, delivered_at,"
            + " delivery_error, variant";

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final DatabaseVendor vendor;

    MessageLedger(JdbcClient jdbc, JdbcTemplate jdbcTemplate, DatabaseVendor vendor) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.vendor = vendor;
    }

    /**
     * Inserts QUEUED rows for the recipients of one fan-out page that have none yet, and returns the
     * tasks for all QUEUED rows of that recipient range. {@code recipientIds} ascend; the range is
     * ({@code afterRecipient}, last id].
     */
    QueuedPage insertQueued(long campaignId, long afterRecipient, List<Long> recipientIds, long now) {
        return insertQueued(campaignId, afterRecipient, recipientIds.get(recipientIds.size() - 1), recipientIds, null, now);
    }

    /**
     * As above for the range ({@code afterRecipient}, {@code upTo}], of which {@code recipientIds} may be a part (an
     * A/B phase takes only its share); {@code variants} (null: none) holds each recipient's variant position.
     */
    QueuedPage insertQueued(long campaignId, long afterRecipient, long upTo, List<Long> recipientIds, int[] variants,
                            long now) {
        if (vendor == DatabaseVendor.POSTGRES) {
            return insertQueuedSetBased(campaignId, afterRecipient, upTo, recipientIds, variants, now, true);
        }
        Set<Long> existing = recipientIds.isEmpty() ? Set.of()
                : new HashSet<>(jdbc.sql("SELECT recipient_id FROM messages WHERE campaign_id = ?"
                        + " AND recipient_id > ? AND recipient_id <= ?")
                .params(campaignId, afterRecipient, upTo).query(Long.class).list());
        List<Object[]> rows = new ArrayList<>(recipientIds.size());
        for (int i = 0; i < recipientIds.size(); i++) {
            Long recipientId = recipientIds.get(i);
            if (!existing.contains(recipientId)) {
                rows.add(new Object[]{campaignId, recipientId, now, now, variants == null ? null : variants[i]});
            }
        }
        if (!rows.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO messages (campaign_id, recipient_id, status, attempts, created_at, updated_at,"
                    + " variant) VALUES (?, ?, 'QUEUED', 0, ?, ?, ?)", rows);
        }
        return new QueuedPage(rows.size(), queuedTasks(campaignId, afterRecipient, upTo));
    }

    /**
     * As {@link #insertQueued(long, long, long, List, int[], long)} for a page whose recipients have no row yet, which
     * is every page that fan-out did not commit before (it commits a page's rows with the cursor that moves past them).
     * On PostgreSQL that is a plain INSERT: ON CONFLICT's speculative insertion took a fifth of a 5,000-row page's
     * INSERT (README "2026-12-03, late night"). Should a row exist after all, it throws {@link DuplicateKeyException},
     * which rolls back the caller's transaction; the caller then does the page again with {@code insertQueued}.
     */
    QueuedPage insertNew(long campaignId, long afterRecipient, long upTo, List<Long> recipientIds, int[] variants,
                         long now) {
        if (vendor == DatabaseVendor.POSTGRES) {
            return insertQueuedSetBased(campaignId, afterRecipient, upTo, recipientIds, variants, now, false);
        }
        return insertQueued(campaignId, afterRecipient, upTo, recipientIds, variants, now);
    }

    /**
     * PostgreSQL: the page as one INSERT of the ids as an array, returning the new rows, so they need not be read back.
     * With {@code skipExisting}, recipients that have a row already are skipped (ON CONFLICT on the campaign/recipient
     * key), and a page that met such rows (an earlier try of it got as far as its INSERT) reads the range's QUEUED
     * rows again; without it, such a row fails the INSERT.
     */
    private QueuedPage insertQueuedSetBased(long campaignId, long afterRecipient, long upTo, List<Long> recipientIds,
                                            int[] variants, long now, boolean skipExisting) {
        // the variants travel as a second array beside the ids (all null without variants)
        Integer[] variantArray = new Integer[recipientIds.size()];
        for (int i = 0; variants != null && i < variantArray.length; i++) {
            variantArray[i] = variants[i];
        }
        List<DeliveryTask> added = jdbc.sql("INSERT INTO messages"
                        + " (campaign_id, recipient_id, status, attempts, created_at, updated_at, variant)"
                        + " SELECT ?, r.id, 'QUEUED', 0, ?, ?, r.variant FROM unnest(?::bigint[], ?::smallint[]) AS r(id, variant)"
                        + (skipExisting ? " ON CONFLICT (campaign_id, recipient_id) DO NOTHING" : "") + " RETURNING id, recipient_id")
                .params(campaignId, now, now, recipientIds.toArray(Long[]::new), variantArray)
                .query((rs, row) -> new DeliveryTask(rs.getLong(1), campaignId, rs.getLong(2), 0))
                .list();
        if (added.size() == recipientIds.size()) {
            return new QueuedPage(added.size(), added);
        }
        return new QueuedPage(added.size(), queuedTasks(campaignId, afterRecipient, upTo));
    }

    /**
     * A fan-out page: how many message rows it created (what the counters count) and the tasks of every QUEUED row
     * in its range, including rows an earlier, interrupted try of the same page created (what is published).
     */
    record QueuedPage(int inserted, List<DeliveryTask> tasks) {
    }

    /**
     * Refreshes the planner statistics of the messages table. A campaign's rows appear by the hundred
     * thousand within seconds, long before autovacuum analyses them; with stale statistics PostgreSQL
     * estimates a new campaign at a few rows and answers the workers' "these ids of this campaign" lookups
     * by scanning the whole campaign. Best effort: a failure only costs speed.
     */
    void refreshStatistics() {
        try {
            if (vendor == DatabaseVendor.POSTGRES) {
                jdbcTemplate.execute("ANALYZE messages");
            } else if (vendor.mySqlFamily()) {
                jdbcTemplate.queryForList("ANALYZE TABLE messages");
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(MessageLedger.class).warn("Could not analyse messages: {}", e.toString());
        }
    }

    /** Tasks for the QUEUED rows of a recipient range (used to re-publish what a crash may have lost). */
    List<DeliveryTask> queuedTasks(long campaignId, long afterRecipient, long upToRecipient) {
        return tasks(campaignId, "recipient_id > ? AND recipient_id <= ? AND status = 'QUEUED'", afterRecipient, upToRecipient);
    }

    /** One keyset page (by message id) of the campaign's pending messages as tasks. */
    List<DeliveryTask> pendingTasks(long campaignId, long afterMessageId, int limit) {
        return tasks(campaignId, "status IN ('QUEUED', 'RETRYING') AND id > ? ORDER BY id LIMIT ?", afterMessageId, limit);
    }

    /** RETRYING messages whose retry is overdue by more than the grace period (their retry task was lost). */
    List<DeliveryTask> overdueRetries(long campaignId, long dueBefore, int limit) {
        return tasks(campaignId, stateColumn(MessageStatus.RETRYING) + " = 'RETRYING' AND next_attempt_at < ? ORDER BY id LIMIT ?",
                dueBefore, limit);
    }

    /** Tasks for the campaign's rows matching {@code condition} (which may end with ORDER BY / LIMIT). */
    private List<DeliveryTask> tasks(long campaignId, String condition, Object... params) {
        Object[] all = new Object[params.length + 1];
        all[0] = campaignId;
        System.arraycopy(params, 0, all, 1, params.length);
        return jdbc.sql("SELECT id, recipient_id, attempts FROM messages WHERE campaign_id = ? AND " + condition)
                .params(all)
                .query((rs, row) -> new DeliveryTask(rs.getLong(1), campaignId, rs.getLong(2), rs.getInt(3)))
                .list();
    }

    void postponeRetries(long campaignId, Collection<Long> messageIds, long nextAttemptAt) {
        if (!messageIds.isEmpty()) {
            jdbc.sql("UPDATE messages SET next_attempt_at = :next WHERE campaign_id = :c AND id IN (:ids) AND status = 'RETRYING'")
                    .param("next", nextAttemptAt).param("c", campaignId).param("ids", messageIds).update();
        }
    }

    /** Current state of the given messages of one campaign, for workers. */
    @Transactional(readOnly = true)
    public List<MessageState> load(long campaignId, Collection<Long> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        IdRange range = IdRange.of(messageIds);
        String select = "SELECT id, recipient_id, status, attempts, created_at, variant FROM messages WHERE campaign_id = ";
        JdbcClient.StatementSpec query;
        if (range.dense()) {
            query = jdbc.sql(select + "? AND id BETWEEN ? AND ?").params(campaignId, range.min(), range.max());
        } else {
            IdMatch ids = IdMatch.of(vendor, "id", messageIds);
            query = jdbc.sql(select + "? AND " + ids.sql()).param(campaignId).params(ids.parameters());
        }
        List<MessageState> states = query
                .query((rs, row) -> new MessageState(rs.getLong(1), campaignId, rs.getLong(2),
                        MessageStatus.valueOf(rs.getString(3)), rs.getInt(4), rs.getLong(5), nullableInt(rs, "variant")))
                .list();
        if (!range.dense()) {
            return states;
        }
        Set<Long> wanted = new HashSet<>(messageIds);
        return states.stream().filter(m -> wanted.contains(m.id())).toList();
    }

    /**
     * Writes outcomes in one JDBC batch inside the caller's transaction. Each row changes only if it is
     * still pending with the attempts the worker saw; the result says which outcomes took effect.
     */
    @Transactional
    public boolean[] apply(List<Outcome> outcomes) {
        if (vendor == DatabaseVendor.POSTGRES && outcomes.size() > 1) {
            boolean[] applied = applySetBased(outcomes);
            if (applied != null) {
                return applied;
            }
        }
        if (vendor.mySqlFamily() && outcomes.size() > 1) {
            boolean[] applied = applyLockedThenJoined(outcomes);
            if (applied != null) {
                return applied;
            }
        }
        List<Object[]> rows = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            List<Object> row = new ArrayList<>(outcomeColumns(o));
            row.addAll(List.of(o.campaignId(), o.messageId(), o.expectedAttempts()));
            rows.add(row.toArray());
        }
        int[] counts = jdbcTemplate.batchUpdate("UPDATE messages SET status = ?, attempts = ?, updated_at = ?, sent_at = ?,"
                + " latency_ms = ?, next_attempt_at = ?, last_error = ?,"
                // A delivery receipt may have overtaken this outcome and stored the provider's id already.
                + " provider_message_id = COALESCE(?, provider_message_id), segments = ?, sms_encoding = ?"
                + " WHERE campaign_id = ? AND id = ? AND attempts = ? AND status IN ('QUEUED', 'RETRYING')", rows);
        boolean[] applied = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                // Without per-row counts the counters could move twice for a duplicate; refuse (and roll back).
                throw new IllegalStateException("the JDBC driver did not report per-row update counts"
                        + " (MariaDB: do not set useBulkStmts=true)");
            }
            applied[i] = counts[i] > 0;
        }
        return applied;
    }

    /**
     * PostgreSQL: the batch as one {@code UPDATE ... FROM unnest(arrays)} per campaign instead of one statement per
     * row. The server then joins the batch to the rows like the set-based ceiling does, which costs a fraction of
     * executing hundreds of single-row statements; RETURNING tells which rows changed. Null when a message occurs
     * twice in the batch (one row could take only one of its outcomes), so the caller applies it row by row.
     */
    private boolean[] applySetBased(List<Outcome> outcomes) {
        java.util.Map<Long, List<Integer>> byCampaign = groupByCampaign(outcomes);
        if (byCampaign == null) {
            return null;
        }
        boolean[] applied = new boolean[outcomes.size()];
        byCampaign.forEach((campaignId, indexes) -> {
            int n = indexes.size();
            Long[] ids = new Long[n];
            Integer[] expected = new Integer[n];
            String[] status = new String[n];
            Integer[] attempts = new Integer[n];
            Long[] at = new Long[n];
            Long[] sentAt = new Long[n];
            Long[] latency = new Long[n];
            Long[] nextAt = new Long[n];
            String[] error = new String[n];
            String[] providerId = new String[n];
            Integer[] segments = new Integer[n];
            String[] encoding = new String[n];
            for (int k = 0; k < n; k++) {
                Outcome o = outcomes.get(indexes.get(k));
                ids[k] = o.messageId();
                expected[k] = o.expectedAttempts();
                status[k] = o.status().name();
                attempts[k] = o.attemptsAfter();
                at[k] = o.at();
                sentAt[k] = o.sentAt();
                latency[k] = o.sentLatencyMs();
                nextAt[k] = o.nextAttemptAt();
                error[k] = truncate(o.error());
                providerId[k] = o.providerMessageId();
                segments[k] = o.segments();
                encoding[k] = o.smsEncoding();
            }
            Set<Long> changed = new HashSet<>(jdbc.sql("UPDATE messages m SET status = u.status, attempts = u.attempts,"
                            + " updated_at = u.at, sent_at = u.sent_at, latency_ms = u.latency_ms, next_attempt_at = u.next_at,"
                            + " last_error = u.error, provider_message_id = COALESCE(u.provider_id, m.provider_message_id),"
                            + " segments = u.segments, sms_encoding = u.encoding"
                            + " FROM unnest(?::bigint[], ?::int[], ?::varchar[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[],"
                            + " ?::bigint[], ?::varchar[], ?::varchar[], ?::int[], ?::varchar[])"
                            + " AS u(id, expected, status, attempts, at, sent_at, latency_ms, next_at, error, provider_id, segments, encoding)"
                            + " WHERE m.campaign_id = ? AND m.id = u.id AND m.attempts = u.expected"
                            + " AND m.status IN ('QUEUED', 'RETRYING') RETURNING m.id")
                    .params(ids, expected, status, attempts, at, sentAt, latency, nextAt, error, providerId, segments,
                            encoding, campaignId)
                    .query(Long.class).list());
            for (int index : indexes) {
                applied[index] = changed.contains(outcomes.get(index).messageId());
            }
        });
        return applied;
    }

    /**
     * MariaDB/MySQL: no RETURNING on UPDATE, and a JDBC batch there is one parsed statement per row (most of a worker's
     * database time on MariaDB). So per campaign: lock the batch's rows and read which are still pending with the
     * attempts the worker saw (those, and only those, take their outcome, as nobody can change them until commit),
     * then update them in one multi-table UPDATE joined to the outcomes, which travel as one JSON array read by
     * JSON_TABLE (MariaDB 10.6+, MySQL 8): one parameter. A derived table of one {@code SELECT ?, ?... UNION ALL} per
     * row took 11 parameters per row, each bound by Spring and spliced into a statement text of some 60 KB by the
     * driver; delivery then fell seconds behind fan-out (bench/throughput, README). Null when a message occurs twice
     * in the batch, so the caller applies it row by row.
     */
    private boolean[] applyLockedThenJoined(List<Outcome> outcomes) {
        java.util.Map<Long, List<Integer>> byCampaign = groupByCampaign(outcomes);
        if (byCampaign == null) {
            return null;
        }
        boolean[] applied = new boolean[outcomes.size()];
        byCampaign.forEach((campaignId, indexes) -> {
            List<Long> ids = indexes.stream().map(i -> outcomes.get(i).messageId()).toList();
            // the attempts of the rows still pending, locked until commit
            java.util.Map<Long, Integer> pendingAttempts = new java.util.HashMap<>();
            jdbc.sql("SELECT id, attempts, status FROM messages WHERE campaign_id = :c AND id IN (:ids) FOR UPDATE")
                    .param("c", campaignId).param("ids", ids)
                    .query(rs -> {
                        if (MessageStatus.valueOf(rs.getString(3)).pending()) {
                            pendingAttempts.put(rs.getLong(1), rs.getInt(2));
                        }
                    });
            List<List<Object>> rows = new ArrayList<>();
            for (int index : indexes) {
                Outcome o = outcomes.get(index);
                Integer attempts = pendingAttempts.get(o.messageId());
                if (attempts == null || attempts != o.expectedAttempts()) {
                    continue;
                }
                applied[index] = true;
                List<Object> row = new ArrayList<>(11);
                row.add(o.messageId());
                row.addAll(outcomeColumns(o));
                rows.add(row);
            }
            if (rows.isEmpty()) {
                return;
            }
            jdbc.sql("UPDATE messages m JOIN JSON_TABLE(?, '$[*]' COLUMNS (id BIGINT PATH '$[0]', status VARCHAR(12) PATH '$[1]',"
                            + " attempts INT PATH '$[2]', at BIGINT PATH '$[3]', sent_at BIGINT PATH '$[4]',"
                            + " latency_ms BIGINT PATH '$[5]', next_at BIGINT PATH '$[6]', error VARCHAR(500) PATH '$[7]',"
                            + " provider_id VARCHAR(200) PATH '$[8]', segments INT PATH '$[9]', encoding VARCHAR(16) PATH '$[10]'))"
                            + " u ON m.id = u.id SET m.status = u.status,"
                            + " m.attempts = u.attempts, m.updated_at = u.at, m.sent_at = u.sent_at, m.latency_ms = u.latency_ms,"
                            + " m.next_attempt_at = u.next_at, m.last_error = u.error,"
                            + " m.provider_message_id = COALESCE(u.provider_id, m.provider_message_id),"
                            + " m.segments = u.segments, m.sms_encoding = u.encoding WHERE m.campaign_id = ?")
                    .params(OUTCOME_ROWS.writeValueAsString(rows), campaignId).update();
        });
        return applied;
    }

    /**
     * An outcome's new column values in the order both UPDATEs that take them as parameters name the columns:
     * status, attempts, updated_at, sent_at, latency_ms, next_attempt_at, last_error, provider_message_id, segments,
     * sms_encoding. A cancelled or deferred message was not attempted: its attempt count stays.
     */
    private static List<Object> outcomeColumns(Outcome o) {
        return java.util.Arrays.asList(o.status().name(), o.attemptsAfter(), o.at(), o.sentAt(), o.sentLatencyMs(),
                o.nextAttemptAt(), truncate(o.error()), o.providerMessageId(), o.segments(), o.smsEncoding());
    }

    /** The outcomes' indexes per campaign, in order; null when a message occurs twice. */
    private static java.util.Map<Long, List<Integer>> groupByCampaign(List<Outcome> outcomes) {
        java.util.Map<Long, List<Integer>> byCampaign = new java.util.LinkedHashMap<>();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            if (!seen.add(o.messageId())) {
                return null;
            }
            byCampaign.computeIfAbsent(o.campaignId(), c -> new ArrayList<>()).add(i);
        }
        return byCampaign;
    }

    /**
     * The message's delivery report, with its row locked until the caller's transaction ends, so that two reports
     * about one message (a receipt sent twice) apply one after the other. Empty when there is no such message.
     */
    @Transactional
    public java.util.Optional<DeliveryReport> lockReport(long campaignId, long messageId) {
        return jdbc.sql("SELECT id, recipient_id, status, provider_message_id, delivery_status FROM messages"
                        + " WHERE campaign_id = ? AND id = ? FOR UPDATE")
                .params(campaignId, messageId).query((rs, row) -> mapReport(rs, campaignId)).optional();
    }

    /** As {@link #lockReport}, for the campaign's message to one recipient. */
    @Transactional
    public java.util.Optional<DeliveryReport> lockReportByRecipient(long campaignId, long recipientId) {
        return jdbc.sql("SELECT id, recipient_id, status, provider_message_id, delivery_status FROM messages"
                        + " WHERE campaign_id = ? AND recipient_id = ? FOR UPDATE")
                .params(campaignId, recipientId).query((rs, row) -> mapReport(rs, campaignId)).optional();
    }

    private static DeliveryReport mapReport(ResultSet rs, long campaignId) throws SQLException {
        return new DeliveryReport(rs.getLong(1), campaignId, rs.getLong(2), MessageStatus.valueOf(rs.getString(3)),
                rs.getString(4), rs.getString(5));
    }

    /**
     * Stores a report about a message (call after {@link #lockReport} in the same transaction): its new delivery
     * status, the provider's id when the message has none yet, the delivery time (delivered only) and the error.
     */
    @Transactional
    public void storeReport(long campaignId, long messageId, String deliveryStatus, String providerMessageId,
                            Long deliveredAt, String error) {
        jdbc.sql("UPDATE messages SET delivery_status = ?, provider_message_id = COALESCE(provider_message_id, ?),"
                        + " delivered_at = COALESCE(?, delivered_at), delivery_error = ? WHERE campaign_id = ? AND id = ?")
                .params(deliveryStatus, providerMessageId, deliveredAt, truncate(error), campaignId, messageId).update();
    }

    /** Moves every pending message of the campaign to CANCELLED; returns how many moved. */
    int cancelPending(long campaignId, long now) {
        return jdbc.sql("UPDATE messages SET status = 'CANCELLED', updated_at = ?, next_attempt_at = NULL"
                        + " WHERE campaign_id = ? AND status IN ('QUEUED', 'RETRYING')")
                .params(now, campaignId).update();
    }

    /** Puts FAILED messages back to QUEUED with a fresh attempt budget; returns how many. */
    int requeueFailed(long campaignId, long now) {
        return jdbc.sql("UPDATE messages SET status = 'QUEUED', attempts = 0, updated_at = ?, next_attempt_at = NULL"
                        + " WHERE campaign_id = ? AND " + stateColumn(MessageStatus.FAILED) + " = 'FAILED'")
                .params(now, campaignId).update();
    }

    /** Newest first, keyset-paged on id; {@code status} null means all. */
    @Transactional(readOnly = true)
    public List<MessageRecord> page(long campaignId, MessageStatus status, long beforeId, int limit) {
        PageQuery query = pageQuery(campaignId, status, beforeId, limit);
        return jdbcTemplate.query(query.sql(), MessageLedger::mapRecord, query.params());
    }

    /**
     * As {@link #page}, only the messages of one A/B variant (its position). The variant is a filter on the index walk
     * of {@link #pageQuery}: a campaign has at most five variants, so a page is found within a few times its size.
     */
    @Transactional(readOnly = true)
    public List<MessageRecord> page(long campaignId, MessageStatus status, int variant, long beforeId, int limit) {
        PageQuery query = pageQuery(campaignId, status, beforeId, limit);
        String sql = query.sql().replace(" AND id < ?", " AND variant = ? AND id < ?");
        Object[] params = new Object[query.params().length + 1];
        int at = status == null ? 1 : 2;
        System.arraycopy(query.params(), 0, params, 0, at);
        params[at] = variant;
        System.arraycopy(query.params(), at, params, at + 1, query.params().length - at);
        return jdbcTemplate.query(sql, MessageLedger::mapRecord, params);
    }

    /**
     * Per A/B variant position: messages by status, delivered receipts, and unique opens and clicks (a grouped read of
     * the campaign's messages and of its first-open / first-click tracking rows, which name the message).
     */
    @Transactional(readOnly = true)
    public Map<Integer, VariantCounts> variantCounts(long campaignId) {
        Map<Integer, long[]> counts = new TreeMap<>();
        jdbc.sql("SELECT variant, status, COUNT(*), SUM(CASE WHEN delivery_status = 'delivered' THEN 1 ELSE 0 END)"
                        + " FROM messages WHERE campaign_id = ? AND variant IS NOT NULL GROUP BY variant, status")
                .param(campaignId)
                .query(rs -> {
                    long[] c = counts.computeIfAbsent(rs.getInt(1), k -> new long[7]);
                    MessageStatus status = MessageStatus.valueOf(rs.getString(2));
                    int slot = switch (status) {
                        case QUEUED, RETRYING -> 0;
                        case SENT -> 1;
                        case FAILED -> 2;
                        case CANCELLED -> 3;
                    };
                    c[slot] += rs.getLong(3);
                    c[4] += rs.getLong(4);
                });
        // link_index -1 is a message's first open, -2 its first click on any link (see the tracking module)
        jdbc.sql("SELECT m.variant, e.link_index, COUNT(*) FROM tracking_events e JOIN messages m"
                        + " ON m.campaign_id = e.campaign_id AND m.id = e.message_id"
                        + " WHERE e.campaign_id = ? AND e.link_index IN (-1, -2) AND m.variant IS NOT NULL"
                        + " GROUP BY m.variant, e.link_index")
                .param(campaignId)
                .query(rs -> {
                    long[] c = counts.computeIfAbsent(rs.getInt(1), k -> new long[7]);
                    c[rs.getInt(2) == -1 ? 5 : 6] += rs.getLong(3);
                });
        Map<Integer, VariantCounts> result = new TreeMap<>();
        counts.forEach((variant, c) -> result.put(variant, new VariantCounts(c[0], c[1], c[2], c[3], c[4], c[5], c[6])));
        return result;
    }

    /** One variant's messages: pending (queued or retrying), sent, failed, cancelled, delivered; unique opens and clicks. */
    public record VariantCounts(long queued, long sent, long failed, long cancelled, long delivered, long opens, long clicks) {
        public static final VariantCounts NONE = new VariantCounts(0, 0, 0, 0, 0, 0, 0);

        public long total() {
            return queued + sent + failed + cancelled;
        }
    }

    /**
     * The statement behind {@link #page}, for tests that check its plan. The ORDER BY names every column of the
     * index it walks, all descending ("campaign_id DESC, id DESC", the same order as "id DESC" since campaign_id
     * and status are fixed): H2 only walks an index backwards then, and otherwise read and sorted the whole
     * campaign for the console's first page (700 ms at 200,000 messages). PostgreSQL and MariaDB do either way.
     */
    public PageQuery pageQuery(long campaignId, MessageStatus status, long beforeId, int limit) {
        // MariaDB sometimes takes the index by campaign alone ("ref") and walks the campaign from its newest row
        // down to the cursor, filtering: a deep page then read the whole campaign above it. Named, the index is
        // walked as a range that starts at the cursor.
        boolean hint = vendor.mySqlFamily();
        if (status == null) {
            return new PageQuery("SELECT " + RECORD_COLUMNS + " FROM messages"
                    + (hint ? " FORCE INDEX (messages_campaign_id_idx)" : "") + " WHERE campaign_id = ? AND id < ?"
                    + " ORDER BY campaign_id DESC, id DESC LIMIT ?", new Object[]{campaignId, beforeId, limit});
        }
        if (vendor == DatabaseVendor.POSTGRES) {
            // no index names status (V21): the rare states walk the index of the attention column, QUEUED and SENT
            // (dense wherever they occur) the primary key, filtered
            return new PageQuery("SELECT " + RECORD_COLUMNS + " FROM messages WHERE campaign_id = ? AND "
                    + stateColumn(status) + " = ? AND id < ? ORDER BY campaign_id DESC, id DESC LIMIT ?",
                    new Object[]{campaignId, status.name(), beforeId, limit});
        }
        if (hint) {
            // as on PostgreSQL (V21), with the index by campaign in place of the primary key. MariaDB does not count
            // the state as fixed when the parameter's collation differs from the column's (utf8mb4_bin), so naming it
            // in the ORDER BY costs a sort there; it needs only "id DESC".
            String index = inAttention(status) ? "messages_attention_idx" : "messages_campaign_id_idx";
            return new PageQuery("SELECT " + RECORD_COLUMNS + " FROM messages FORCE INDEX (" + index + ")"
                    + " WHERE campaign_id = ? AND " + stateColumn(status) + " = ? AND id < ? ORDER BY id DESC LIMIT ?",
                    new Object[]{campaignId, status.name(), beforeId, limit});
        }
        return new PageQuery("SELECT " + RECORD_COLUMNS + " FROM messages WHERE campaign_id = ? AND status = ? AND id < ?"
                + " ORDER BY campaign_id DESC, status DESC, id DESC LIMIT ?",
                new Object[]{campaignId, status.name(), beforeId, limit});
    }


    /**
     * The column to compare a status with. On PostgreSQL and MariaDB no index names status (V21), so that sending a
     * message writes no index entry (on PostgreSQL, a HOT update): the rare states are found through the generated
     * column "attention" (the status, or NULL while QUEUED or SENT) and its index. H2 keeps its status index.
     */
    private String stateColumn(MessageStatus status) {
        return vendor != DatabaseVendor.H2 && inAttention(status) ? "attention" : "status";
    }

    /** Whether the attention column holds this status (V21): the rare ones, not QUEUED or SENT. */
    private static boolean inAttention(MessageStatus status) {
        return status != MessageStatus.QUEUED && status != MessageStatus.SENT;
    }

    /** A statement with its bind parameters. */
    public record PageQuery(String sql, Object[] params) {
    }

    private static MessageRecord mapRecord(ResultSet rs, int row) throws SQLException {
        return new MessageRecord(rs.getLong("id"), rs.getLong("campaign_id"), rs.getLong("recipient_id"),
                MessageStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("created_at")), instant(rs, "sent_at"), nullableLong(rs, "latency_ms"),
                rs.getString("last_error"), instant(rs, "next_attempt_at"), rs.getString("provider_message_id"),
                nullableInt(rs, "segments"), rs.getString("sms_encoding"), rs.getString("delivery_status"), instant(rs, "delivered_at"),
                rs.getString("delivery_error"), nullableInt(rs, "variant"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long value = nullableLong(rs, column);
        return value == null ? null : Instant.ofEpochMilli(value);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
    }
}
