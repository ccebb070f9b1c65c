package io.herald.audience;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.herald.audience.SegmentExpression.And;
import io.herald.audience.SegmentExpression.Condition;
import io.herald.audience.SegmentExpression.Not;
import io.herald.audience.SegmentExpression.Op;
import io.herald.audience.SegmentExpression.Or;
import io.herald.audience.SegmentExpression.Tag;

/**
 * Recursive-descent parser of segment expressions. Grammar (keywords in any case; precedence not > and > or):
 * <pre>
 * or      := and ("or" and)*
 * and     := unary ("and" unary)*
 * unary   := "not" unary | primary
 * primary := "(" or ")" | "has" "(" name ")" | name "=" string | name "!=" string
 *          | name "in" "(" string ("," string)* ")" | name "ends_with" string | tag
 * </pre>
 * Strings are in double (or single) quotes with {@code \"} and {@code \\} escapes. Errors carry the 1-based
 * column of the offending token, so the console can point at it.
 */
final class SegmentParser {
    /** Attribute names as {@link ContactFields#attributeKey} stores them; they are bound, but checked first too. */
    static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_]{1,64}");
    static final int MAX_LENGTH = 1000;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_TERMS = 64;

    private enum Kind { WORD, STRING, LPAREN, RPAREN, COMMA, EQ, NE, END }

    private record Token(Kind kind, String text, int column) {
        boolean isWord(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end";
                case STRING -> "a quoted value";
                default -> "\"" + abbreviate(text) + "\"";
            };
        }
    }

    private final List<Token> tokens;
    private int position;
    private int depth;
    private int terms;

    private SegmentParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static SegmentExpression parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw error(MAX_LENGTH + 1, "a segment rule is at most " + MAX_LENGTH + " characters");
        }
        SegmentParser parser = new SegmentParser(tokenize(text));
        SegmentExpression expression = parser.or();
        Token next = parser.peek();
        if (next.kind != Kind.END) {
            throw error(next.column, "unexpected " + next.describe() + ": expected and, or or the end");
        }
        return expression;
    }

    private SegmentExpression or() {
        List<SegmentExpression> parts = new ArrayList<>();
        addFlat(parts, and(), Or.class);
        while (peek().isWord("or")) {
            position++;
            addFlat(parts, and(), Or.class);
        }
        return parts.size() == 1 ? parts.get(0) : new Or(parts);
    }

    private SegmentExpression and() {
        List<SegmentExpression> parts = new ArrayList<>();
        addFlat(parts, unary(), And.class);
        while (peek().isWord("and")) {
            position++;
            addFlat(parts, unary(), And.class);
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    /** (a and b) and c is a and b and c: one canonical tree per meaning of the grouping. */
    private static void addFlat(List<SegmentExpression> parts, SegmentExpression part, Class<?> kind) {
        if (kind == And.class && part instanceof And and) {
            parts.addAll(and.parts());
        } else if (kind == Or.class && part instanceof Or or) {
            parts.addAll(or.parts());
        } else {
            parts.add(part);
        }
    }

    private SegmentExpression unary() {
        Token token = peek();
        if (token.isWord("not")) {
            position++;
            enter(token);
            SegmentExpression inner = unary();
            depth--;
            return new Not(inner);
        }
        return primary();
    }

    private void enter(Token token) {
        if (++depth > MAX_DEPTH) {
            throw error(token.column, "nested too deeply (at most " + MAX_DEPTH + " levels)");
        }
    }

    private SegmentExpression primary() {
        Token token = next();
        if (token.kind == Kind.LPAREN) {
            enter(token);
            SegmentExpression inner = or();
            expect(Kind.RPAREN, "\")\"");
            depth--;
            return inner;
        }
        if (token.kind != Kind.WORD || isKeyword(token.text)) {
            throw error(token.column, "unexpected " + token.describe() + ": expected a tag, a condition or \"(\"");
        }
        if (++terms > MAX_TERMS) {
            throw error(token.column, "too many terms (at most " + MAX_TERMS + ")");
        }
        Token after = peek();
        if (token.isWord("has") && after.kind == Kind.LPAREN) {
            position++;
            Token name = next();
            if (name.kind != Kind.WORD) {
                throw error(name.column, "expected a field or attribute name in has(...)");
            }
            Condition has = condition(name, Op.HAS, List.of());
            expect(Kind.RPAREN, "\")\"");
            return has;
        }
        if (after.kind == Kind.EQ || after.kind == Kind.NE) {
            position++;
            return condition(token, after.kind == Kind.EQ ? Op.EQ : Op.NE, List.of(string()));
        }
        if (after.isWord("ends_with")) {
            position++;
            return condition(token, Op.ENDS_WITH, List.of(string()));
        }
        if (after.isWord("in")) {
            position++;
            expect(Kind.LPAREN, "\"(\" after in");
            List<String> values = new ArrayList<>();
            values.add(string());
            while (peek().kind == Kind.COMMA) {
                position++;
                values.add(string());
            }
            expect(Kind.RPAREN, "\",\" or \")\"");
            return condition(token, Op.IN, values);
        }
        try {
            return new Tag(SegmentRule.normalizeTag(token.text));
        } catch (InvalidSegmentRuleException e) {
            throw error(token.column, e.getMessage());
        }
    }

    private static Condition condition(Token name, Op op, List<String> values) {
        String lower = name.text.toLowerCase(Locale.ROOT);
        if (SegmentExpression.FIELDS.contains(lower)) {
            return new Condition(lower, false, op, values);
        }
        if (lower.equals("tags") || lower.equals("id")) {
            throw error(name.column, "\"" + name.text + "\" cannot be compared: write tags as bare words, e.g. vip and not tw");
        }
        if (!ATTRIBUTE.matcher(name.text).matches()) {
            throw error(name.column, "invalid attribute name \"" + abbreviate(name.text)
                    + "\": use 1-64 letters, digits or '_'");
        }
        return new Condition(name.text, true, op, values);
    }

    private String string() {
        Token token = next();
        if (token.kind != Kind.STRING) {
            throw error(token.column, "expected a quoted value like \"Taipei\", found " + token.describe());
        }
        return token.text;
    }

    private void expect(Kind kind, String what) {
        Token token = next();
        if (token.kind != kind) {
            throw error(token.column, "expected " + what + ", found " + token.describe());
        }
    }

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        Token token = tokens.get(position);
        if (token.kind != Kind.END) {
            position++;
        }
        return token;
    }

    private static boolean isKeyword(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        return w.equals("and") || w.equals("or") || w.equals("not") || w.equals("in") || w.equals("ends_with");
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':' || c == '-';
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int column = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',' || c == '=') {
                tokens.add(new Token(switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case ',' -> Kind.COMMA;
                    default -> Kind.EQ;
                }, String.valueOf(c), column));
                i++;
            } else if (c == '!' && i + 1 < text.length() && text.charAt(i + 1) == '=') {
                tokens.add(new Token(Kind.NE, "!=", column));
                i += 2;
            } else if (c == '"' || c == '\'') {
                StringBuilder value = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= text.length()) {
                        throw error(column, "unterminated quoted value: add the closing " + c);
                    }
                    char d = text.charAt(j);
                    if (d == c) {
                        break;
                    }
                    if (d == '\\') {
                        if (j + 1 >= text.length() || (text.charAt(j + 1) != '\\' && text.charAt(j + 1) != '"'
                                && text.charAt(j + 1) != '\'')) {
                            throw error(j + 1, "a backslash in a quoted value escapes only \\, \" or '");
                        }
                        d = text.charAt(++j);
                    }
                    value.append(d);
                    j++;
                }
                tokens.add(new Token(Kind.STRING, value.toString(), column));
                i = j + 1;
            } else if (isWordChar(c)) {
                int j = i;
                while (j < text.length() && isWordChar(text.codePointAt(j))) {
                    j += Character.charCount(text.codePointAt(j));
                }
                tokens.add(new Token(Kind.WORD, text.substring(i, j), column));
                i = j;
            } else {
                throw error(column, "unexpected character '" + (Character.isISOControl(c) ? "\\u" + String.format("%04x", (int) c)
                        : new String(Character.toChars(text.codePointAt(i)))) + "'");
            }
        }
        tokens.add(new Token(Kind.END, "", text.length() + 1));
        return tokens;
    }

    private static InvalidSegmentRuleException error(int column, String reason) {
        return new InvalidSegmentRuleException("column " + column + ": " + reason, column);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
