package io.herald.audience;

import java.util.List;

import io.herald.DatabaseVendor;
import io.herald.audience.SegmentExpression.And;
import io.herald.audience.SegmentExpression.Condition;
import io.herald.audience.SegmentExpression.Not;
import io.herald.audience.SegmentExpression.Or;
import io.herald.audience.SegmentExpression.Tag;

/**
 * Compiles a {@link SegmentExpression} to a SQL condition on {@code recipients r}. Every value and attribute name
 * is a bind parameter; only fixed column names and keywords are written into the text. Attributes are read from
 * the JSON {@code attributes} column with each vendor's own function (H2 has none: {@link H2Attributes}).
 * <p>
 * Each condition is two-valued (COALESCE(..., FALSE)), so that NOT of a condition on a missing value is true in
 * SQL exactly as in {@link SegmentExpression#matches}.
 */
final class SegmentSql {
    private final DatabaseVendor vendor;
    private final StringBuilder sql;
    private final List<Object> params;

    private SegmentSql(DatabaseVendor vendor, StringBuilder sql, List<Object> params) {
        this.vendor = vendor;
        this.sql = sql;
        this.params = params;
    }

    /** Appends the expression's condition (in parentheses) to {@code sql} and its parameters to {@code params}. */
    static void append(SegmentExpression expression, DatabaseVendor vendor, StringBuilder sql, List<Object> params) {
        new SegmentSql(vendor, sql, params).node(expression);
    }

    private void node(SegmentExpression e) {
        if (e instanceof Tag tag) {
            // Read from the row's own copy of its tags (recipients.tags mirrors recipient_tags), not by EXISTS on
            // recipient_tags: under OR / NOT, PostgreSQL answered EXISTS with a hashed subplan over every row with
            // the tag and MariaDB with a materialised semi-join, so a page read the whole tag (KeysetPageCost*IT).
            // Tags hold no ',' or '!' and '_' is escaped, so the pattern matches exactly one whole tag.
            sql.append("CONCAT(',', r.tags, ',') LIKE ? ESCAPE '!'");
            params.add("%," + tag.tag().replace("_", "!_") + ",%");
        } else if (e instanceof And and) {
            join(and.parts(), " AND ");
        } else if (e instanceof Or or) {
            join(or.parts(), " OR ");
        } else if (e instanceof Not not) {
            sql.append("NOT (");
            node(not.part());
            sql.append(')');
        } else {
            condition((Condition) e);
        }
    }

    private void join(List<SegmentExpression> parts, String operator) {
        sql.append('(');
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(operator);
            }
            node(parts.get(i));
        }
        sql.append(')');
    }

    private void condition(Condition c) {
        switch (c.op()) {
            case HAS -> {
                sql.append('(');
                value(c);
                sql.append(" IS NOT NULL");
                if (!c.attribute()) {
                    sql.append(" AND ");
                    value(c);
                    sql.append(" <> ''");
                }
                sql.append(')');
            }
            case EQ, NE -> {
                sql.append(c.op() == SegmentExpression.Op.NE ? "NOT COALESCE(LOWER(" : "COALESCE(LOWER(");
                value(c);
                sql.append(") = ?, FALSE)");
                params.add(c.values().get(0));
            }
            case IN -> {
                sql.append("COALESCE(LOWER(");
                value(c);
                sql.append(") IN (").append("?, ".repeat(c.values().size() - 1)).append("?), FALSE)");
                params.addAll(c.values());
            }
            case ENDS_WITH -> {
                sql.append("COALESCE(LOWER(");
                value(c);
                sql.append(") LIKE ? ESCAPE '!', FALSE)");
                params.add("%" + c.values().get(0).replace("!", "!!").replace("%", "!%").replace("_", "!_"));
            }
        }
    }

    /** The stored value the condition reads: a fixed column, or an attribute looked up by a bound name. */
    private void value(Condition c) {
        if (!c.attribute()) {
            sql.append(switch (c.field()) {
                case "name" -> "r.name";
                case "email" -> "r.email";
                case "phone" -> "r.phone";
                default -> throw new IllegalArgumentException("no recipient column " + c.field());
            });
            return;
        }
        if (!SegmentParser.ATTRIBUTE.matcher(c.field()).matches()) {
            throw new IllegalArgumentException("invalid attribute name");
        }
        switch (vendor) {
            case POSTGRES -> {
                sql.append("(CAST(r.attributes AS jsonb) ->> ?)");
                params.add(c.field());
            }
            case MARIADB, MYSQL -> {
                // The name is bound inside a JSON path; it holds only letters, digits and '_' (checked above).
                sql.append("JSON_UNQUOTE(JSON_EXTRACT(r.attributes, ?))");
                params.add("$.\"" + c.field() + "\"");
            }
            case H2 -> {
                sql.append("HERALD_ATTRIBUTE(r.attributes, ?)");
                params.add(c.field());
            }
        }
    }
}
