package io.herald.audience;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A set of tags a recipient must all carry: {@code "vip,tw"} selects recipients tagged vip AND tw.
 * Tags are case-insensitive (stored lower-case); whitespace around them is ignored.
 */
public record SegmentRule(List<String> tags) {
    static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,63}");

    public SegmentRule {
        if (tags.isEmpty()) {
            throw new InvalidSegmentRuleException("a segment rule needs at least one tag");
        }
        tags = List.copyOf(tags);
    }

    /** Parses a comma-separated rule; throws {@link InvalidSegmentRuleException} naming the bad tag. */
    public static SegmentRule parse(String rule) {
        if (rule == null || rule.isBlank()) {
            throw new InvalidSegmentRuleException("a segment rule needs at least one tag, e.g. \"vip\" or \"vip,tw\"");
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

    /** The canonical text form, e.g. {@code "vip,tw"}. */
    @Override
    public String toString() {
        return String.join(",", tags);
    }
}
