package io.herald.tracking;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.parser.Parser;

/**
 * Rewrites the links of an HTML body <em>template</em> once per campaign, so that rendering a message only
 * substitutes its tokens (no HTML parsing per recipient). The template is edited in place, byte for byte
 * outside the rewritten {@code href} values, so Mustache sections and tags around the links stay intact.
 * <p>
 * Only absolute http(s) links are tracked: {@code mailto:}, {@code tel:}, anchors and relative links are left
 * alone, as are links whose address holds a Mustache tag (personalised per recipient, e.g.
 * {@code {{unsubscribe_url}}}: the campaign's link table could not name them) and the unsubscribe links.
 */
final class LinkRewriter {
    static final String LINK_VARIABLE = "herald_link_";
    static final String OPEN_VARIABLE = "herald_open_url";
    /** The URL column's size: longer addresses stay untracked rather than be cut. */
    static final int MAX_URL = 2048;
    /** More distinct links than any real message has; the rest stay untracked. */
    static final int MAX_LINKS = 500;

    private static final Pattern HREF = Pattern.compile(
            "<a\\b[^>]*?\\shref\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'>]+))", Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_END = Pattern.compile("</body\\s*>", Pattern.CASE_INSENSITIVE);
    /** Any element, comment or end tag: a body without one (seed 000's {@code Hi {{name}}}) is text, kept as written. */
    private static final Pattern MARKUP = Pattern.compile("<[A-Za-z!/]");
    private static final String PIXEL = "<img src=\"{{{" + OPEN_VARIABLE + "}}}\" width=\"1\" height=\"1\" alt=\"\""
            + " style=\"display:block;border:0;width:1px;height:1px\">";

    private LinkRewriter() {
    }

    /**
     * The template with each tracked link's address replaced by {@code {{{herald_link_<i>}}}}, and the original
     * URLs by index (one index per distinct URL). {@code untrackedPrefix} (the unsubscribe links' base) is never
     * rewritten.
     */
    static Rewritten rewrite(String source, String untrackedPrefix, boolean clicks, boolean opens) {
        List<String> urls = new ArrayList<>();
        String result = source;
        if (clicks) {
            Map<String, Integer> indexes = new LinkedHashMap<>();
            StringBuilder out = new StringBuilder(source.length() + 64);
            Matcher m = HREF.matcher(source);
            int last = 0;
            while (m.find()) {
                int group = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
                String raw = m.group(group);
                String url = trackable(raw, untrackedPrefix);
                if (url == null || (!indexes.containsKey(url) && indexes.size() >= MAX_LINKS)) {
                    continue;
                }
                int index = indexes.computeIfAbsent(url, u -> indexes.size());
                String placeholder = "{{{" + LINK_VARIABLE + index + "}}}";
                out.append(source, last, m.start(group));
                out.append(group == 3 ? "\"" + placeholder + "\"" : placeholder);
                last = m.end(group);
            }
            out.append(source, last, source.length());
            result = out.toString();
            urls.addAll(indexes.keySet());
        }
        if (opens && MARKUP.matcher(source).find()) {
            Matcher end = BODY_END.matcher(result);
            int at = -1;
            while (end.find()) {
                at = end.start();
            }
            result = at < 0 ? result + PIXEL : result.substring(0, at) + PIXEL + result.substring(at);
        }
        return new Rewritten(result, List.copyOf(urls));
    }

    /** The URL a link points to when it is tracked, else null. HTML entities are decoded ({@code &amp;} is {@code &}). */
    private static String trackable(String raw, String untrackedPrefix) {
        if (raw.contains("{{")) {
            return null;
        }
        String url = Parser.unescapeEntities(raw, true).strip();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("http://") || lower.startsWith("https://")) || url.length() > MAX_URL
                || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return null;
        }
        if (untrackedPrefix != null && lower.startsWith(untrackedPrefix.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return url;
    }

    /** The rewritten template and the tracked URLs, index i at position i. */
    record Rewritten(String source, List<String> urls) {
    }
}
