package io.herald.audience;

import static io.herald.testsupport.TestTags.EXCLUSIVE;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.Channel;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A keyset page must cost the same wherever it starts: the fan-out reads a campaign's recipients page by
 * page, and a page whose cost grows with the cursor makes the whole fan-out quadratic (the PostgreSQL plan
 * once merge-joined against a scan of recipients from id 1 on every page). Each query is run at the start
 * and near the end of 60,000 recipients, and the rows the database reads for it are compared (and bounded by
 * a small multiple of the page): PostgreSQL's
 * EXPLAIN ANALYZE row counts, MariaDB's Handler_read counters, H2's scan counts. The lists' newest-first pages
 * (recipients, a campaign's messages, its dead letters) must read about a page of rows, first page or deep.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "herald.roles=api", "herald.demo-data=false"})
@Tag(EXCLUSIVE) // runs alone: it times queries
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractKeysetPageCostIT {
    static final int RECIPIENTS = 60_000;
    static final int PAGE = 1_000;

    @Autowired
    RecipientRepository recipients;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;
    @Autowired
    io.herald.dispatch.MessageLedger messages;
    static final long CAMPAIGN = 1L << 40;

    static void register(DynamicPropertyRegistry registry, TestDatabase database) {
        database.create().forEach((k, v) -> registry.add(k, () -> v));
    }

    @BeforeAll
    void load() {
        var tx = new org.springframework.transaction.support.TransactionTemplate(transactions);
        for (int offset = 0; offset < RECIPIENTS; offset += 5_000) {
            List<NewRecipient> batch = new ArrayList<>();
            for (int i = offset; i < offset + 5_000; i++) {
                List<String> tags = i % 2 == 0 ? List.of("all", "even") : List.of("all");
                // Every tenth has no email: reachability is part of the query.
                batch.add(new NewRecipient("R" + i, i % 10 == 0 ? null : "r" + i + "@cost.test", "+1555" + (1_000_000 + i),
                        tags, i % 3 == 0 ? Map.of("city", "Taipei") : Map.of("city", "Tainan")));
            }
            tx.executeWithoutResult(s -> recipients.insertAll(batch, System.currentTimeMillis()));
        }
        // One campaign's messages (every tenth FAILED), beside another campaign's, for the messages list.
        for (long campaign : new long[]{CAMPAIGN, CAMPAIGN + 1}) {
            for (int offset = 0; offset < RECIPIENTS; offset += 5_000) {
                List<Object[]> rows = new ArrayList<>();
                for (int i = offset; i < offset + 5_000; i++) {
                    rows.add(new Object[]{campaign, i + 1, i % 10 == 0 ? "FAILED" : "SENT", 1, 0, 0});
                }
                jdbc.batchUpdate("INSERT INTO messages (campaign_id, recipient_id, status, attempts, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", rows);
            }
        }
        // One in a hundred unsubscribed (odd ones, outside the "even" targets counted below): a listing by a rare
        // status must not walk the others.
        jdbc.update("UPDATE recipients SET status = 'UNSUBSCRIBED' WHERE name LIKE '%99'");
        if (recipients.isPostgres()) {
            recipients.analyze();
            jdbc.execute("ANALYZE messages");
        }
    }

    @Test
    void listPagesReadAboutAPageWhereverTheyStart() {
        int limit = 51;
        long maxId = Long.MAX_VALUE;
        Long firstMessage = jdbc.queryForObject("SELECT MIN(id) FROM messages WHERE campaign_id = ?", Long.class, CAMPAIGN);
        long deepMessage = firstMessage + RECIPIENTS / 10;
        assertPage("messages, first page", messages.pageQuery(CAMPAIGN, null, maxId, limit), limit);
        assertPage("messages, deep page", messages.pageQuery(CAMPAIGN, null, deepMessage, limit), limit);
        assertPage("dead letters, first page", messages.pageQuery(CAMPAIGN, io.herald.dispatch.MessageStatus.FAILED, maxId, limit), limit);
        assertPage("dead letters, deep page", messages.pageQuery(CAMPAIGN, io.herald.dispatch.MessageStatus.FAILED, deepMessage, limit), limit);
        Long firstRecipient = jdbc.queryForObject("SELECT MIN(id) FROM recipients", Long.class);
        long deepRecipient = firstRecipient + RECIPIENTS / 10;
        assertPage("recipients, first page", recipients.pageQuery(null, null, null, maxId, limit), limit);
        assertPage("recipients, deep page", recipients.pageQuery(null, null, null, deepRecipient, limit), limit);
        assertPage("recipients with a tag, first page", recipients.pageQuery(SegmentRule.parse("all"), null, null, maxId, limit), limit);
        assertPage("recipients with a tag, deep page", recipients.pageQuery(SegmentRule.parse("all"), null, null, deepRecipient, limit), limit);
        assertPage("unsubscribed recipients, first page", recipients.pageQuery(null, null, "UNSUBSCRIBED", maxId, limit), limit);
        assertPage("unsubscribed recipients, deep page", recipients.pageQuery(null, null, "UNSUBSCRIBED", deepRecipient, limit), limit);
        assertPage("active recipients, deep page", recipients.pageQuery(null, null, "ACTIVE", deepRecipient, limit), limit);
        // An expression filters the primary key walked backwards: about a page of rows plus its lookups.
        SegmentRule expression = SegmentRule.parse("even and not city = \"Taipei\" or has(nothing)");
        assertPage("recipients of an expression, first page", recipients.pageQuery(expression, null, null, maxId, limit), limit);
        assertPage("recipients of an expression, deep page", recipients.pageQuery(expression, null, null, deepRecipient, limit), limit);
    }

    private void assertPage(String what, io.herald.dispatch.MessageLedger.PageQuery query, int limit) {
        assertPage(what, new SqlQuery(query.sql(), query.params()), limit);
    }

    private void assertPage(String what, SqlQuery query, int limit) {
        long read = rowsRead(query);
        System.out.printf("[keyset-cost] %s: %d rows read for %d%n", what, read, limit);
        if (read > 10L * limit + 200) {
            System.out.println("[keyset-cost] plan:\n" + plan(query));
        }
        assertThat(read).as("%s: rows read for a page of %d", what, limit).isLessThanOrEqualTo(10L * limit + 200);
    }

    @Test
    void fanOutPageCostDoesNotGrowWithTheCursor() {
        // Both cursors leave many pages behind them, so only the position differs, not what is left to read.
        long early = RECIPIENTS / 10;
        long late = RECIPIENTS - RECIPIENTS / 5;
        assertFlat("tag slice", recipients.tagSliceQuery("all", early, PAGE), recipients.tagSliceQuery("all", late, PAGE));
        List<Long> earlySlice = ids(recipients.tagSliceQuery("all", early, PAGE));
        List<Long> lateSlice = ids(recipients.tagSliceQuery("all", late, PAGE));
        assertFlat("reachable by email", recipients.reachableQuery(earlySlice, Channel.EMAIL),
                recipients.reachableQuery(lateSlice, Channel.EMAIL));
        assertFlat("second tag", recipients.taggedQuery("even", earlySlice), recipients.taggedQuery("even", lateSlice));
        // Sparse slices take the IN-list form.
        List<Long> sparseEarly = ids(recipients.tagSliceQuery("even", early, PAGE));
        List<Long> sparseLate = ids(recipients.tagSliceQuery("even", late, PAGE));
        assertFlat("reachable by sms, sparse", recipients.reachableQuery(sparseEarly.subList(0, 100), Channel.SMS),
                recipients.reachableQuery(sparseLate.subList(0, 100), Channel.SMS));
    }

    @Test
    void expressionFanOutPageCostDoesNotGrowWithTheCursor() {
        long early = RECIPIENTS / 10;
        long late = RECIPIENTS - RECIPIENTS / 5;
        // Without a required tag the slice comes from the primary key.
        SegmentRule rule = SegmentRule.parse("even or city in (\"Taipei\", \"Keelung\") and not odd");
        assertFlat("id slice", recipients.idSliceQuery(early, PAGE), recipients.idSliceQuery(late, PAGE));
        List<Long> earlySlice = ids(recipients.idSliceQuery(early, PAGE));
        List<Long> lateSlice = ids(recipients.idSliceQuery(late, PAGE));
        assertFlat("expression over an id slice", recipients.matchingQuery(earlySlice, Channel.EMAIL, rule.expression()),
                recipients.matchingQuery(lateSlice, Channel.EMAIL, rule.expression()));
        List<Long> sparseEarly = ids(recipients.tagSliceQuery("even", early, PAGE));
        List<Long> sparseLate = ids(recipients.tagSliceQuery("even", late, PAGE));
        assertFlat("expression over a sparse tag slice", recipients.matchingQuery(sparseEarly, Channel.SMS, rule.expression()),
                recipients.matchingQuery(sparseLate, Channel.SMS, rule.expression()));
    }

    @Test
    void expressionFanOutPagesSelectExactlyTheReachableTargets() {
        // Tag-driven ("even" is required) and id-driven (an OR at the top): every third recipient is in Taipei.
        for (String text : new String[]{"even and city = \"taipei\"", "city = \"Taipei\" and even or z"}) {
            SegmentRule rule = SegmentRule.parse(text);
            List<Long> all = new ArrayList<>();
            long cursor = 0;
            while (true) {
                List<Long> page = recipients.targetIds(rule, Channel.EMAIL, cursor, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                assertThat(page.size()).isLessThanOrEqualTo(PAGE);
                all.addAll(page);
                cursor = page.get(page.size() - 1);
            }
            // i % 6 == 0 is even and in Taipei; of those, i % 30 == 0 has no email.
            assertThat(all).as(text).hasSize(RECIPIENTS / 6 - RECIPIENTS / 30).doesNotHaveDuplicates().isSorted();
            assertThat(recipients.countTargets(rule, Channel.EMAIL, true)).as(text).isEqualTo(all.size());
            assertThat(recipients.countTargets(rule, Channel.EMAIL, false)).as(text).isEqualTo(RECIPIENTS / 30);
        }
    }

    @Test
    void fanOutPagesSelectExactlyTheReachableTargets() {
        SegmentRule two = SegmentRule.parse("all,even");
        List<Long> all = new ArrayList<>();
        long cursor = 0;
        while (true) {
            List<Long> page = recipients.targetIds(two, Channel.EMAIL, cursor, PAGE);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(PAGE);
            all.addAll(page);
            cursor = page.get(page.size() - 1);
        }
        // Even-numbered recipients (tag "even") with an email: every tenth has none.
        assertThat(all).hasSize(RECIPIENTS / 2 - RECIPIENTS / 10).doesNotHaveDuplicates().isSorted();
        assertThat(all.size()).isEqualTo(recipients.countTargets(two, Channel.EMAIL, true));
        assertThat(recipients.countTargets(two, Channel.EMAIL, false)).isEqualTo(RECIPIENTS / 10);
    }

    private List<Long> ids(SqlQuery query) {
        return jdbc.queryForList(query.sql(), Long.class, query.params());
    }

    private void assertFlat(String what, SqlQuery first, SqlQuery deep) {
        long early = rowsRead(first);
        long later = rowsRead(deep);
        System.out.printf("[keyset-cost] %s: %d rows read on the first page, %d on a deep page%n", what, early, later);
        if (later > 2 * early + 200) {
            System.out.println("[keyset-cost] first page plan:\n" + plan(first) + "[keyset-cost] deep page plan:\n" + plan(deep));
        }
        assertThat(later).as("%s: rows read by a deep page (first page: %d)", what, early).isLessThanOrEqualTo(2 * early + 200);
        assertThat(early).as("%s: rows read for one page", what).isLessThanOrEqualTo(10L * PAGE);
    }

    /** The plan, for the failure message. */
    String plan(SqlQuery query) {
        return jdbc.execute((ConnectionCallback<String>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement("EXPLAIN " + query.sql())) {
                for (int i = 0; i < query.params().length; i++) {
                    statement.setObject(i + 1, query.params()[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = statement.executeQuery()) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int c = 1; c <= columns; c++) {
                            plan.append(rs.getString(c)).append(c < columns ? " | " : "\n");
                        }
                    }
                }
                return plan.toString();
            }
        });
    }

    /** How many rows the database touched to answer the query. */
    abstract long rowsRead(SqlQuery query);

    long explainRows(String prefix, SqlQuery query, java.util.function.Function<String, Long> count) {
        return jdbc.execute((ConnectionCallback<Long>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(prefix + query.sql())) {
                for (int i = 0; i < query.params().length; i++) {
                    statement.setObject(i + 1, query.params()[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return count.apply(plan.toString());
            }
        });
    }

    static long sumJson(JsonNode node) {
        long sum = 0;
        if (node.isObject()) {
            if (node.has("Actual Rows")) {
                sum += (long) (node.get("Actual Rows").asDouble() * Math.max(1, node.path("Actual Loops").asDouble()));
            }
            if (node.has("Rows Removed by Filter")) {
                sum += node.get("Rows Removed by Filter").asLong();
            }
        }
        for (JsonNode child : node) {
            sum += sumJson(child);
        }
        return sum;
    }
}
