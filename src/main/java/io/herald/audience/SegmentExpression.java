package io.herald.audience;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A boolean segment expression as parsed by {@link SegmentParser}: tags, conditions on a recipient's fields
 * and attributes, combined with and / or / not. The same tree is compiled to SQL ({@link SegmentSql}) and
 * evaluated in memory ({@link #matches}); tests check that both agree.
 * <p>
 * Comparisons ignore case (values are lower-cased: in Java for the literal, by the database's {@code LOWER}
 * for the stored value, so reliably for A-Z); attribute names are exact. A condition on a missing value is
 * false, and {@code x != v} is {@code not x = v}, so it also selects recipients without {@code x}.
 */
sealed interface SegmentExpression {

    /** The fields of a recipient a condition can name besides its attributes. */
    Set<String> FIELDS = Set.of("name", "email", "phone");

    boolean matches(Subject recipient);

    /** Canonical text; parsing it gives an equal tree. */
    String text();

    /** What an expression is evaluated against in memory. */
    record Subject(Set<String> tags, String name, String email, String phone, Map<String, String> attributes) {
        String value(String field, boolean attribute) {
            if (attribute) {
                return attributes.get(field);
            }
            return switch (field) {
                case "name" -> name;
                case "email" -> email;
                case "phone" -> phone;
                default -> throw new IllegalArgumentException("no field " + field);
            };
        }
    }

    record Tag(String tag) implements SegmentExpression {
        @Override
        public boolean matches(Subject r) {
            return r.tags().contains(tag);
        }

        @Override
        public String text() {
            return tag;
        }
    }

    record And(List<SegmentExpression> parts) implements SegmentExpression {
        public And {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean matches(Subject r) {
            return parts.stream().allMatch(p -> p.matches(r));
        }

        @Override
        public String text() {
            return parts.stream().map(p -> p instanceof Or ? "(" + p.text() + ")" : p.text())
                    .collect(Collectors.joining(" and "));
        }
    }

    record Or(List<SegmentExpression> parts) implements SegmentExpression {
        public Or {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean matches(Subject r) {
            return parts.stream().anyMatch(p -> p.matches(r));
        }

        @Override
        public String text() {
            return parts.stream().map(SegmentExpression::text).collect(Collectors.joining(" or "));
        }
    }

    record Not(SegmentExpression part) implements SegmentExpression {
        @Override
        public boolean matches(Subject r) {
            return !part.matches(r);
        }

        @Override
        public String text() {
            return part instanceof And || part instanceof Or ? "not (" + part.text() + ")" : "not " + part.text();
        }
    }

    enum Op {
        EQ("="), NE("!="), IN("in"), ENDS_WITH("ends_with"), HAS("has");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    /**
     * {@code field op values}: {@code attribute} false for name, email and phone, true for an attribute name
     * (checked against {@link SegmentParser#ATTRIBUTE}). Values are kept lower-cased.
     */
    record Condition(String field, boolean attribute, Op op, List<String> values) implements SegmentExpression {
        public Condition {
            values = values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
        }

        @Override
        public boolean matches(Subject r) {
            String stored = r.value(field, attribute);
            return switch (op) {
                case HAS -> stored != null && !(stored.isEmpty() && !attribute);
                case EQ -> stored != null && stored.toLowerCase(Locale.ROOT).equals(values.get(0));
                case NE -> stored == null || !stored.toLowerCase(Locale.ROOT).equals(values.get(0));
                case IN -> stored != null && values.contains(stored.toLowerCase(Locale.ROOT));
                case ENDS_WITH -> stored != null && stored.toLowerCase(Locale.ROOT).endsWith(values.get(0));
            };
        }

        @Override
        public String text() {
            return switch (op) {
                case HAS -> "has(" + field + ")";
                case IN -> field + " in (" + values.stream().map(Condition::quote).collect(Collectors.joining(", ")) + ")";
                default -> field + " " + op.symbol + " " + quote(values.get(0));
            };
        }

        static String quote(String value) {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
