package io.herald.audience;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.herald.Channel;
import io.herald.DatabaseVendor;
import io.herald.IdMatch;
import io.herald.IdRange;
import io.herald.KeyLookup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** SQL for the recipients and recipient_tags tables, which only the audience module touches. */
@Repository
class RecipientRepository {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() {
    };
    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
    private static final ObjectReader ATTRIBUTES_READER = JSON.readerFor(ATTRIBUTES);
    private static final String COLUMNS = "id, name, email, phone, tags, attributes, status, status_reason, created_at";
    /** Every status a recipient row can have. */
    private static final List<String> STATUSES = List.of(RecipientService.ACTIVE, RecipientService.UNSUBSCRIBED,
            RecipientService.BOUNCED, RecipientService.DELETED);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;

    private final DatabaseVendor vendor;

    RecipientRepository(JdbcClient jdbc, JdbcTemplate jdbcTemplate, DatabaseVendor vendor) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.vendor = vendor;
    }

    boolean isPostgres() {
        return vendor == DatabaseVendor.POSTGRES;
    }

    /** Refreshes the planner statistics of the recipient tables (PostgreSQL only). */
    void analyze() {
        jdbcTemplate.execute("ANALYZE recipients");
        jdbcTemplate.execute("ANALYZE recipient_tags");
    }

    long countAll() {
        return jdbc.sql("SELECT COUNT(*) FROM recipients").query(Long.class).single();
    }

    /**
     * One keyset page of ACTIVE recipient ids carrying every tag of the rule and an address for the channel
     * (any channel when null), ascending from {@code afterId}.
     * <p>
     * Each step reads a slice of the first tag's (tag, recipient_id) key from the cursor, then keeps the ids
     * of that slice that are ACTIVE, reachable and carry the other tags, with lookups bounded by the slice's
     * ids. Every statement is a bounded range or id lookup, so a page costs the same wherever the cursor
     * stands, whatever plan an engine would pick for a join: one join form made PostgreSQL merge-join against
     * recipients from id 1 on every page (fan-out quadratic in campaign size), another made MariaDB drive
     * from the status index.
     */
    List<Long> targetIds(SegmentRule rule, Channel channel, long afterId, int limit) {
        if (!rule.isTagList()) {
            return expressionTargetIds(rule.expression(), channel, afterId, limit);
        }
        return pageOfSlices(afterId, limit, cursor -> tagSliceQuery(rule.tags().get(0), cursor, limit), slice -> {
            java.util.Set<Long> keep = new java.util.HashSet<>(queryIds(reachableQuery(slice, channel)));
            for (int i = 1; i < rule.tags().size() && !keep.isEmpty(); i++) {
                keep.retainAll(queryIds(taggedQuery(rule.tags().get(i), slice)));
            }
            return keep;
        });
    }

    /**
     * A keyset page for an expression, bounded like the tag-list path: each step reads a slice of ids from a key
     * (the (tag, recipient_id) key of a tag the expression requires at its top, else the recipients' primary key)
     * and keeps the slice's ids that match, in one query bounded by those ids.
     */
    private List<Long> expressionTargetIds(SegmentExpression expression, Channel channel, long afterId, int limit) {
        String driver = drivingTag(expression);
        SegmentExpression filter = driver == null ? expression : without(expression, driver);
        return pageOfSlices(afterId, limit,
                cursor -> driver == null ? idSliceQuery(cursor, limit) : tagSliceQuery(driver, cursor, limit),
                slice -> new java.util.HashSet<>(queryIds(matchingQuery(slice, channel, filter))));
    }

    /**
     * Up to {@code limit} ids in key order from {@code afterId}: reads slices of ids ({@code sliceFrom(cursor)}) and
     * keeps, in slice order, those that {@code matching(slice)} returns, until the page is full or the key ends.
     */
    private List<Long> pageOfSlices(long afterId, int limit, java.util.function.LongFunction<SqlQuery> sliceFrom,
                                    java.util.function.Function<List<Long>, java.util.Set<Long>> matching) {
        List<Long> page = new ArrayList<>(limit);
        long cursor = afterId;
        while (page.size() < limit) {
            SqlQuery scan = sliceFrom.apply(cursor);
            List<Long> slice = jdbcTemplate.queryForList(scan.sql(), Long.class, scan.params());
            if (slice.isEmpty()) {
                break;
            }
            java.util.Set<Long> keep = matching.apply(slice);
            for (Long id : slice) {
                if (keep.contains(id) && page.size() < limit) {
                    page.add(id);
                }
            }
            if (slice.size() < limit) {
                break;
            }
            cursor = slice.get(slice.size() - 1);
        }
        return page;
    }

    /** A tag every match carries (the expression is the tag, or an AND with it), or null. */
    static String drivingTag(SegmentExpression expression) {
        if (expression instanceof SegmentExpression.Tag tag) {
            return tag.tag();
        }
        if (expression instanceof SegmentExpression.And and) {
            for (SegmentExpression part : and.parts()) {
                if (part instanceof SegmentExpression.Tag tag) {
                    return tag.tag();
                }
            }
        }
        return null;
    }

    /** The rest of the expression once the driving tag's key already guarantees it (null: nothing left). */
    private static SegmentExpression without(SegmentExpression expression, String tag) {
        if (!(expression instanceof SegmentExpression.And and)) {
            return null;
        }
        List<SegmentExpression> rest = new ArrayList<>(and.parts());
        rest.remove(new SegmentExpression.Tag(tag));
        return rest.size() == 1 ? rest.get(0) : new SegmentExpression.And(rest);
    }

    /** The next {@code limit} recipient ids after the cursor, from the primary key. */
    SqlQuery idSliceQuery(long afterId, int limit) {
        return new SqlQuery("SELECT id FROM recipients WHERE id > ? ORDER BY id LIMIT ?", new Object[]{afterId, limit});
    }

    /** Which of the ids (ascending) are ACTIVE recipients reachable on the channel that match the expression. */
    SqlQuery matchingQuery(List<Long> ascendingIds, Channel channel, SegmentExpression expression) {
        StringBuilder sql = new StringBuilder("SELECT r.id FROM recipients r WHERE r.status = 'ACTIVE' AND ");
        List<Object> params = new ArrayList<>(Arrays.asList(appendIdsIn("r.id", ascendingIds, sql)));
        appendReachable(channel, true, sql);
        if (expression != null) {
            sql.append(" AND ");
            SegmentSql.append(expression, vendor, sql, params);
        }
        return new SqlQuery(sql.toString(), params.toArray());
    }

    private List<Long> queryIds(SqlQuery query) {
        return jdbcTemplate.queryForList(query.sql(), Long.class, query.params());
    }

    /** The next {@code limit} recipient ids carrying {@code tag} after the cursor, from the (tag, recipient_id) key. */
    SqlQuery tagSliceQuery(String tag, long afterId, int limit) {
        // Each engine must read the key in order and stop at LIMIT: H2 does so only when ordered by the whole
        // key, MariaDB only when ordered by recipient_id (with the whole key it sorts the entire range).
        String order = vendor == DatabaseVendor.H2 ? "tag, recipient_id" : "recipient_id";
        return new SqlQuery("SELECT recipient_id FROM recipient_tags WHERE tag = ? AND recipient_id > ?"
                + " ORDER BY " + order + " LIMIT ?", new Object[]{tag, afterId, limit});
    }

    /** Which of the ids (ascending) are ACTIVE recipients with an address for the channel. */
    SqlQuery reachableQuery(List<Long> ascendingIds, Channel channel) {
        StringBuilder sql = new StringBuilder("SELECT r.id FROM recipients r WHERE r.status = 'ACTIVE' AND ");
        Object[] params = appendIdsIn("r.id", ascendingIds, sql);
        appendReachable(channel, true, sql);
        return new SqlQuery(sql.toString(), params);
    }

    /** Which of the ids (ascending) carry {@code tag}. */
    SqlQuery taggedQuery(String tag, List<Long> ascendingIds) {
        StringBuilder sql = new StringBuilder("SELECT recipient_id FROM recipient_tags WHERE tag = ? AND ");
        Object[] ids = appendIdsIn("recipient_id", ascendingIds, sql);
        Object[] params = new Object[ids.length + 1];
        params[0] = tag;
        System.arraycopy(ids, 0, params, 1, ids.length);
        return new SqlQuery(sql.toString(), params);
    }

    /**
     * {@code column BETWEEN first AND last} when the ids are dense (callers filter out the extra rows by
     * keeping only their own ids), else an IN list, or one array parameter on PostgreSQL.
     */
    private Object[] appendIdsIn(String column, List<Long> ascendingIds, StringBuilder sql) {
        IdRange range = new IdRange(ascendingIds.get(0), ascendingIds.get(ascendingIds.size() - 1), ascendingIds.size());
        if (range.dense()) {
            sql.append(column).append(" BETWEEN ? AND ?");
            return new Object[]{range.min(), range.max()};
        }
        if (isPostgres()) {
            sql.append(column).append(" = ANY(?)");
            return new Object[]{ascendingIds.toArray(Long[]::new)};
        }
        sql.append(column).append(" IN (").append("?,".repeat(ascendingIds.size() - 1)).append("?)");
        return ascendingIds.toArray();
    }

    /** ACTIVE recipients the rule selects that are reachable on the channel (or, with {@code reachable} false, are not). */
    long countTargets(SegmentRule rule, Channel channel, boolean reachable) {
        if (!rule.isTagList()) {
            SqlQuery count = countQuery(rule.expression(), channel, reachable);
            Long n = jdbcTemplate.queryForObject(count.sql(), Long.class, count.params());
            return n == null ? 0 : n;
        }
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM recipient_tags t0"
                + " JOIN recipients r ON r.id = t0.recipient_id AND r.status = 'ACTIVE'"
                + " WHERE t0.tag = ?");
        List<Object> params = new ArrayList<>();
        params.add(rule.tags().get(0));
        appendReachable(channel, reachable, sql);
        appendOtherTags(rule, sql, params);
        Long count = jdbcTemplate.queryForObject(sql.toString(), Long.class, params.toArray());
        return count == null ? 0 : count;
    }

    SqlQuery countQuery(SegmentExpression expression, Channel channel, boolean reachable) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM recipients r WHERE r.status = 'ACTIVE'");
        List<Object> params = new ArrayList<>();
        appendReachable(channel, reachable, sql);
        sql.append(" AND ");
        SegmentSql.append(expression, vendor, sql, params);
        return new SqlQuery(sql.toString(), params.toArray());
    }

    private static void appendReachable(Channel channel, boolean reachable, StringBuilder sql) {
        if (channel != null) {
            // The column name comes from the enum, never from input.
            sql.append(" AND r.").append(addressColumn(channel)).append(reachable ? " IS NOT NULL" : " IS NULL");
        }
    }

    private static String addressColumn(Channel channel) {
        String field = channel.addressField();
        if (!field.equals("email") && !field.equals("phone")) {
            throw new IllegalArgumentException("no recipient column for channel address field " + field);
        }
        return field;
    }

    private static void appendOtherTags(SegmentRule rule, StringBuilder sql, List<Object> params) {
        for (int i = 1; i < rule.tags().size(); i++) {
            sql.append(" AND EXISTS (SELECT 1 FROM recipient_tags t").append(i)
                    .append(" WHERE t").append(i).append(".recipient_id = t0.recipient_id AND t")
                    .append(i).append(".tag = ?)");
            params.add(rule.tags().get(i));
        }
    }

    Map<Long, Contact> contacts(Collection<Long> ids) {
        Map<Long, Contact> result = new HashMap<>(ids.size() * 2);
        if (ids.isEmpty()) {
            return result;
        }
        IdRange range = IdRange.of(ids);
        String columns = "SELECT id, name, email, phone, tags, attributes, status FROM recipients WHERE";
        IdMatch scattered = range.dense() ? null : IdMatch.of(vendor, "id", ids);
        var query = scattered == null
                ? jdbc.sql(columns + " id BETWEEN ? AND ?").params(range.min(), range.max())
                : jdbc.sql(columns + " " + scattered.sql()).params(scattered.parameters());
        java.util.Set<Long> wanted = range.dense() ? new java.util.HashSet<>(ids) : null;
        query.query(rs -> {
                    long id = rs.getLong("id");
                    if (wanted != null && !wanted.contains(id)) {
                        return;
                    }
                    result.put(id, new Contact(id, rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                            splitTags(rs.getString("tags")), readAttributes(rs.getString("attributes")),
                            RecipientService.ACTIVE.equals(rs.getString("status"))));
                });
        return result;
    }

    List<Recipient> findByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT " + COLUMNS + " FROM recipients WHERE id IN (:ids) ORDER BY id")
                .param("ids", ids).query(RecipientRepository::mapRecipient).list();
    }

    /** Inserts recipients and their tag rows in bulk (one transaction is the caller's); returns the new ids in input order. */
    List<Long> insertAll(List<NewRecipient> recipients, long now) {
        if (isPostgres()) {
            return copyAll(recipients, now);
        }
        List<Long> ids = vendor == DatabaseVendor.MARIADB ? insertReturning(recipients, now) : insertReturningKeys(recipients, now);
        List<Object[]> tagRows = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            for (String tag : recipients.get(i).tags()) {
                tagRows.add(new Object[]{ids.get(i), tag});
            }
        }
        if (!tagRows.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO recipient_tags (recipient_id, tag) VALUES (?, ?)", tagRows);
        }
        return ids;
    }

    /**
     * PostgreSQL: ids are taken from the identity sequence first (asking the driver for generated keys would
     * turn the batch into one INSERT ... RETURNING per row), then recipients and tag rows go in by COPY, which
     * halves the server's work per row compared with multi-row INSERTs. The sequence is looked up once per
     * statement, not per row: {@code nextval(pg_get_serial_sequence(...))} took 5 times as long (a catalog
     * lookup for every id; 4.3 s of a 1M-row import).
     */
    private List<Long> copyAll(List<NewRecipient> recipients, long now) {
        List<Long> ids = jdbc.sql("WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('recipients', 'id')::regclass AS seq)"
                        + " SELECT nextval(s.seq) FROM s, generate_series(1, ?)")
                .param(recipients.size()).query(Long.class).list();
        PostgresCopy rows = new PostgresCopy(
                "recipients (id, name, email, phone, tags, attributes, status, created_at, updated_at)");
        PostgresCopy tags = new PostgresCopy("recipient_tags (recipient_id, tag)");
        for (int i = 0; i < recipients.size(); i++) {
            NewRecipient r = recipients.get(i);
            long id = ids.get(i);
            rows.add(id).add(r.name()).add(r.email()).add(r.phone()).add(String.join(",", r.tags()))
                    .add(writeAttributes(r.attributes())).add("ACTIVE").add(now).add(now).endRow();
            for (String tag : r.tags()) {
                tags.add(id).add(tag).endRow();
            }
        }
        jdbcTemplate.execute((java.sql.Connection connection) -> rows.copyTo(connection) + tags.copyTo(connection));
        return ids;
    }

    /** Rows per multi-row INSERT on MariaDB: 8,000 parameters, a statement of some 150 KB. */
    private static final int MARIADB_INSERT_ROWS = 1000;

    /**
     * MariaDB: multi-row INSERTs with {@code RETURNING id} (MariaDB 10.5+). Asking the driver for generated keys made
     * it send the batch one row per statement (bulk execution cannot return keys before MariaDB 11.5): 1M rows were
     * 1M statements and most of an import's time. Each returned row is checked against its input row, so the ids
     * never rest on the order alone.
     */
    private List<Long> insertReturning(List<NewRecipient> recipients, long now) {
        List<Long> ids = new ArrayList<>(recipients.size());
        for (int from = 0; from < recipients.size(); from += MARIADB_INSERT_ROWS) {
            List<NewRecipient> chunk = recipients.subList(from, Math.min(recipients.size(), from + MARIADB_INSERT_ROWS));
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO recipients (name, email, phone, tags, attributes, status, created_at, updated_at) VALUES ");
            List<Object> params = new ArrayList<>(chunk.size() * 7);
            for (int i = 0; i < chunk.size(); i++) {
                NewRecipient r = chunk.get(i);
                sql.append(i == 0 ? "" : ",").append("(?, ?, ?, ?, ?, 'ACTIVE', ?, ?)");
                params.add(r.name());
                params.add(r.email());
                params.add(r.phone());
                params.add(String.join(",", r.tags()));
                params.add(writeAttributes(r.attributes()));
                params.add(now);
                params.add(now);
            }
            sql.append(" RETURNING id, email, phone");
            List<Object[]> returned = jdbc.sql(sql.toString()).params(params)
                    .query((rs, row) -> new Object[]{rs.getLong(1), rs.getString(2), rs.getString(3)}).list();
            if (returned.size() != chunk.size()) {
                throw new IllegalStateException("MariaDB returned " + returned.size() + " rows for " + chunk.size()
                        + " inserted recipients");
            }
            for (int i = 0; i < chunk.size(); i++) {
                Object[] row = returned.get(i);
                NewRecipient r = chunk.get(i);
                if (!Objects.equals(row[1], r.email()) || !Objects.equals(row[2], r.phone())) {
                    throw new IllegalStateException("MariaDB returned the inserted recipients in another order");
                }
                ids.add((Long) row[0]);
            }
        }
        return ids;
    }

    private List<Long> insertReturningKeys(List<NewRecipient> recipients, long now) {
        List<Long> ids = jdbcTemplate.execute((java.sql.Connection connection) -> {
            try (java.sql.PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO recipients (name, email, phone, tags, attributes, status, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)", new String[]{"id"})) {
                for (NewRecipient r : recipients) {
                    insert.setString(1, r.name());
                    insert.setString(2, r.email());
                    insert.setString(3, r.phone());
                    insert.setString(4, String.join(",", r.tags()));
                    insert.setString(5, writeAttributes(r.attributes()));
                    insert.setLong(6, now);
                    insert.setLong(7, now);
                    insert.addBatch();
                }
                insert.executeBatch();
                List<Long> generated = new ArrayList<>(recipients.size());
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        generated.add(keys.getLong(1));
                    }
                }
                return generated;
            }
        });
        if (ids == null || ids.size() != recipients.size()) {
            throw new IllegalStateException("the database returned " + (ids == null ? 0 : ids.size())
                    + " generated ids for " + recipients.size() + " inserted recipients");
        }
        return ids;
    }

    Optional<Recipient> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM recipients WHERE id = ?").param(id)
                .query(RecipientRepository::mapRecipient).optional();
    }

    /** Recipients (any status) owning one of the emails or phones; at most two queries on unique indexes. */
    List<Recipient> findByEmailsOrPhones(Collection<String> emails, Collection<String> phones) {
        Map<Long, Recipient> found = new LinkedHashMap<>();
        findBy("email", emails).forEach(r -> found.put(r.id(), r));
        findBy("phone", phones).forEach(r -> found.put(r.id(), r));
        return new ArrayList<>(found.values());
    }

    private List<Recipient> findBy(String column, Collection<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        return KeyLookup.select(jdbc, vendor, COLUMNS, "recipients", column, values)
                .query(RecipientRepository::mapRecipient).list();
    }

    long insertOne(NewRecipient r, long now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO recipients (name, email, phone, tags, attributes, status, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)")
                .params(r.name(), r.email(), r.phone(), String.join(",", r.tags()), writeAttributes(r.attributes()), now, now)
                .update(keys, "id");
        long id = keys.getKey().longValue();
        addTags(r.tags().stream().map(tag -> new Object[]{id, tag}).toList());
        return id;
    }

    /** One stored state of a recipient for {@link #updateAll}. */
    record Row(long id, String name, String email, String phone, List<String> tags, Map<String, String> attributes,
               String status) {
    }

    void updateAll(List<Row> rows, long now) {
        if (rows.isEmpty()) {
            return;
        }
        List<Object[]> args = new ArrayList<>(rows.size());
        for (Row r : rows) {
            args.add(new Object[]{r.name(), r.email(), r.phone(), String.join(",", r.tags()), writeAttributes(r.attributes()),
                    r.status(), now, r.id()});
        }
        jdbcTemplate.batchUpdate("UPDATE recipients SET name = ?, email = ?, phone = ?, tags = ?, attributes = ?, status = ?,"
                + " updated_at = ? WHERE id = ?", args);
    }

    /** Inserts (recipient_id, tag) rows; callers only pass tags the recipient does not have yet. */
    void addTags(List<Object[]> recipientTags) {
        if (!recipientTags.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO recipient_tags (recipient_id, tag) VALUES (?, ?)", recipientTags);
        }
    }

    /**
     * Deletes a recipient's tag rows. Callers pass the stored tags (recipients.tags mirrors the tag rows), so
     * the delete walks the (tag, recipient_id) key: no second index on recipient_id slows every import.
     */
    void deleteTags(long recipientId, Collection<String> storedTags) {
        if (!storedTags.isEmpty()) {
            jdbc.sql("DELETE FROM recipient_tags WHERE tag IN (:tags) AND recipient_id = :id")
                    .param("tags", storedTags).param("id", recipientId).update();
        }
    }

    boolean setStatusIf(long id, String from, String to, long now) {
        return setStatusIf(id, List.of(from), to, null, now);
    }

    static final int MAX_STATUS_REASON = 500;

    /**
     * Moves the recipient to {@code to} (with its reason) only from one of the {@code from} statuses. A reason longer
     * than its column (it may quote what a client sent) is cut to fit.
     */
    boolean setStatusIf(long id, Collection<String> from, String to, String reason, long now) {
        return jdbc.sql("UPDATE recipients SET status = :to, status_reason = :reason, updated_at = :now"
                        + " WHERE id = :id AND status IN (:from)")
                .param("to", to).param("reason", fit(reason, MAX_STATUS_REASON)).param("now", now).param("id", id)
                .param("from", from)
                .update() == 1;
    }

    /** At most {@code max} characters, never ending on half of a surrogate pair. */
    static String fit(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    boolean setStatus(long id, String status, long now) {
        return jdbc.sql("UPDATE recipients SET status = ?, status_reason = NULL, updated_at = ? WHERE id = ? AND status <> 'DELETED'")
                .params(status, now, id).update() == 1;
    }

    /**
     * Newest first, keyset-paged on id, without deleted recipients: optionally only those carrying every
     * tag of {@code rule}, only those whose name, email or phone contains {@code q} (case-insensitive).
     */
    List<Recipient> page(SegmentRule rule, String q, String status, long beforeId, int limit) {
        SqlQuery query = pageQuery(rule, q, status, beforeId, limit);
        return jdbcTemplate.query(query.sql(), RecipientRepository::mapRecipient, query.params());
    }

    SqlQuery pageQuery(SegmentRule rule, String q, String status, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT r.id, r.name, r.email, r.phone, r.tags, r.attributes, r.status,"
                + " r.status_reason, r.created_at FROM recipients r");
        List<Object> params = new ArrayList<>();
        if (rule != null && !rule.isTagList()) {
            return expressionPageQuery(sql, params, rule.expression(), q, status, beforeId, limit);
        }
        if (rule != null) {
            sql.append(" JOIN recipient_tags t0 ON t0.recipient_id = r.id AND t0.tag = ? AND t0.recipient_id < ?");
            params.add(rule.tags().get(0));
            params.add(beforeId);
        }
        // Both sides bounded by the cursor (see targetIdsQuery): a page's cost must not grow with its depth.
        sql.append(" WHERE r.id < ?");
        params.add(beforeId);
        appendStatus(status, sql);
        if (rule != null) {
            for (int i = 1; i < rule.tags().size(); i++) {
                sql.append(" AND EXISTS (SELECT 1 FROM recipient_tags t").append(i).append(" WHERE t").append(i)
                        .append(".recipient_id = r.id AND t").append(i).append(".tag = ?)");
                params.add(rule.tags().get(i));
            }
        }
        appendText(q, sql, params);
        // With a tag, the join walks recipient_tags' (tag, recipient_id) key backwards. H2 does so, reading a page
        // instead of every recipient with the tag, only when the ORDER BY names the whole key (the same order: the
        // tag is fixed and recipient_id = r.id); MariaDB only when it does not name the tag (its parameter's
        // collation differs from the column's, so the tag does not count as fixed and it would sort).
        if (rule == null) {
            sql.append(" ORDER BY r.id DESC LIMIT ?");
        } else {
            sql.append(vendor == DatabaseVendor.H2 ? " ORDER BY t0.tag DESC, t0.recipient_id DESC LIMIT ?" : " ORDER BY t0.recipient_id DESC LIMIT ?");
        }
        params.add(limit);
        return new SqlQuery(sql.toString(), params.toArray());
    }

    /**
     * Newest first with an expression as a filter on the primary key walked backwards from the cursor (a page
     * reads recipients until it has {@code limit} matches).
     */
    private SqlQuery expressionPageQuery(StringBuilder sql, List<Object> params, SegmentExpression expression, String q,
                                         String status, long beforeId, int limit) {
        sql.append(" WHERE r.id < ?");
        params.add(beforeId);
        appendStatus(status, sql);
        sql.append(" AND ");
        SegmentSql.append(expression, vendor, sql, params);
        appendText(q, sql, params);
        sql.append(" ORDER BY r.id DESC LIMIT ?");
        params.add(limit);
        return new SqlQuery(sql.toString(), params.toArray());
    }

    /**
     * The status filter of a listing, written so that every engine walks an index backwards from the cursor. A rare
     * status is a literal: on PostgreSQL only those are indexed (a partial index, which the planner uses only when it
     * sees the value). ACTIVE, the bulk of the table, is written as "none of the others" so that it walks the primary
     * key: as an equality on the (status, id) index, MariaDB read every ACTIVE row above a deep cursor, H2 every one
     * below it.
     */
    private static void appendStatus(String status, StringBuilder sql) {
        if (status == null) {
            sql.append(" AND r.status <> '").append(RecipientService.DELETED).append('\'');
        } else if (status.equals(RecipientService.ACTIVE)) {
            for (String other : STATUSES) {
                if (!other.equals(RecipientService.ACTIVE)) {
                    sql.append(" AND r.status <> '").append(other).append('\'');
                }
            }
        } else if (STATUSES.contains(status)) {
            sql.append(" AND r.status = '").append(status).append('\'');
        } else {
            throw new IllegalArgumentException("not a status to list: " + status);
        }
    }

    private static void appendText(String q, StringBuilder sql, List<Object> params) {
        if (q != null) {
            String pattern = "%" + q.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
            sql.append(" AND (LOWER(r.name) LIKE ? ESCAPE '!' OR r.email LIKE ? ESCAPE '!' OR r.phone LIKE ? ESCAPE '!')");
            params.add(pattern);
            params.add(pattern);
            params.add(pattern);
        }
    }

    /** Every tag with the number of (not deleted) recipients carrying it, alphabetically. */
    List<Map.Entry<String, Long>> tagCounts() {
        return jdbc.sql("SELECT tag, COUNT(*) FROM recipient_tags GROUP BY tag ORDER BY tag")
                .query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2))).list();
    }

    long countActive(Channel channel, boolean reachable) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM recipients r WHERE r.status = 'ACTIVE'");
        appendReachable(channel, reachable, sql);
        return jdbc.sql(sql.toString()).query(Long.class).single();
    }

    static Recipient mapRecipient(ResultSet rs, int row) throws SQLException {
        return new Recipient(rs.getLong("id"), rs.getString("name"), rs.getString("email"), rs.getString("phone"),
                splitTags(rs.getString("tags")), readAttributes(rs.getString("attributes")), rs.getString("status"),
                rs.getString("status_reason"), Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    static List<String> splitTags(String tags) {
        return tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(","));
    }

    static Map<String, String> readAttributes(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) {
            return Map.of();
        }
        return ATTRIBUTES_READER.readValue(json);
    }

    /**
     * The attributes as a JSON object. Jackson's own string escaping, without a generator per call: an import writes
     * one of these per row, and setting up {@code writeValueAsString} was a fifth of a writer thread's CPU time.
     */
    static String writeAttributes(Map<String, String> attributes) {
        if (attributes.isEmpty()) {
            return "{}";
        }
        StringBuilder json = new StringBuilder(2 + 24 * attributes.size()).append('{');
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            JSON_STRINGS.quoteAsString(e.getKey(), json);
            json.append("\":\"");
            JSON_STRINGS.quoteAsString(e.getValue(), json);
            json.append('"');
        }
        return json.append('}').toString();
    }
}
