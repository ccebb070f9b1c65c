package io.herald.audience;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a campaign targets. Either a list of tags a recipient must all carry ({@code "vip,tw"} selects recipients
 * tagged vip AND tw; {@link #tags()} holds them and {@link #expression()} is null), or a boolean expression
 * such as {@code vip and (city = "Taipei" or not tw)} (see {@link SegmentParser}; {@link #tags()} is empty).
 * Tags are case-insensitive (stored lower-case); whitespace around them is ignored.
 */
public record SegmentRule(List<String> tags, SegmentExpression expression) {
    static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,63}");
    /** Text the comma-separated form could mean: no quotes, parentheses, operators or spaces inside a tag. */
    private static final Pattern TAG_LIST_TEXT = Pattern.compile("[^\\s()\"'=]*|\\s*[^\\s()\"'=]+\\s*(,\\s*[^\\s()\"'=]*\\s*)*");

    public SegmentRule {
        if (expression == null && tags.isEmpty()) {
            throw new InvalidSegmentRuleException("a segment rule needs at least one tag");
        }
        tags = expression == null ? List.copyOf(tags) : List.of();
    }

    /** A plain tag list. */
    public SegmentRule(List<String> tags) {
        this(tags, null);
    }

    /** True for a plain tag list, which fan-out walks by the first tag's key (its fast path). */
    public boolean isTagList() {
        return expression == null;
    }

    /**
     * Parses a comma-separated tag list or an expression; throws {@link InvalidSegmentRuleException} naming the
     * bad tag, or for an expression the column of the error.
     */
    public static SegmentRule parse(String rule) {
        if (rule == null || rule.isBlank()) {
            throw new InvalidSegmentRuleException("a segment rule needs at least one tag, e.g. \"vip\" or \"vip,tw\"");
        }
        if (!TAG_LIST_TEXT.matcher(rule).matches() || isExpressionWords(rule)) {
            return new SegmentRule(List.of(), SegmentParser.parse(rule));
        }
        Set<String> tags = new LinkedHashSet<>();
        for (String part : rule.split(",", -1)) {
            String tag = part.trim().toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) {
                throw new InvalidSegmentRuleException("empty tag in \"" + abbreviate(rule)
                        + "\": tags are separated by single commas");
            }
            tags.add(normalizeTag(tag));
        }
        return new SegmentRule(new ArrayList<>(tags));
    }

    /** A single word that is not a tag but an expression keyword ("not"), or several words: an expression. */
    private static boolean isExpressionWords(String rule) {
        if (rule.contains(",")) {
            return false;
        }
        String word = rule.trim().toLowerCase(Locale.ROOT);
        return word.equals("and") || word.equals("or") || word.equals("not");
    }

    /** Lower-cases and checks one tag; throws {@link InvalidSegmentRuleException} when it is not a valid tag. */
    public static String normalizeTag(String raw) {
        if (raw == null) {
            throw new InvalidSegmentRuleException("a tag must not be null");
        }
        String tag = raw.trim().toLowerCase(Locale.ROOT);
        if (!TAG.matcher(tag).matches()) {
            throw new InvalidSegmentRuleException("invalid tag \"" + abbreviate(raw.trim())
                    + "\": use 1-64 letters, digits, '_', '-', '.' or ':', starting with a letter or digit");
        }
        return tag;
    }

    /** Reasons quote the input, but never all of a huge one (they travel back in error answers). */
    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** The canonical text form, e.g. {@code "vip,tw"} or {@code vip and city = "taipei"}. */
    @Override
    public String toString() {
        return expression == null ? String.join(",", tags) : expression.text();
    }
}
