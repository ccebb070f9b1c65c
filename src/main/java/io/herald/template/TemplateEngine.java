package io.herald.template;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;

import org.springframework.stereotype.Component;

/**
 * Compiles and validates logic-less Mustache templates ({@code Hi {{name}}}).
 * <p>
 * Rendering only ever looks values up in maps (jmustache's {@link BasicCollector}, no reflection),
 * so a template cannot reach methods or fields of server objects. Plain-text templates (SMS, subjects,
 * text bodies) escape nothing; HTML bodies ({@link #compileHtml}) HTML-escape every value, so a
 * recipient's name cannot inject markup into an email.
 */
@Component
public class TemplateEngine {
    // jmustache ends its messages with "@ line N" or "on line N"; they also quote the template, so the last one counts
    private static final Pattern LINE = Pattern.compile("(?:@ ?|on )line (\\d{1,9})");
    private static final int MAX_CACHED = 1_000;
    /** Deepest nesting of sections: deep enough for any message, shallow enough for rendering's recursion. */
    static final int MAX_DEPTH = 50;

    private final Mustache.Compiler compiler = Mustache.compiler()
            .escapeHTML(false)
            .defaultValue("")
            .withCollector(new MapOnlyCollector());
    private final Mustache.Compiler htmlCompiler = compiler.escapeHTML(true);
    private final Map<String, MessageTemplate> cache = new ConcurrentHashMap<>();
    private final Map<String, MessageTemplate> htmlCache = new ConcurrentHashMap<>();

    /** Parses {@code source}; throws {@link TemplateSyntaxException} with the position of the first error. */
    public MessageTemplate compile(String source) {
        return compile(source, compiler, cache);
    }

    /** Like {@link #compile}, for an HTML body: values are HTML-escaped when rendered. */
    public MessageTemplate compileHtml(String source) {
        return compile(source, htmlCompiler, htmlCache);
    }

    /**
     * Compiles a campaign's message: the body, and for email the subject and the text alternative (derived
     * from the HTML body when {@code textBody} is null). Throws {@link TemplateSyntaxException} for the first
     * part that does not parse; validate each part with {@link #compile} first to name the field.
     */
    public MessageContent compileContent(String subject, String body, boolean html, String textBody) {
        return new MessageContent(subject == null ? null : compile(subject), html ? compileHtml(body) : compile(body),
                html, textBody == null ? null : compile(textBody));
    }

    private static MessageTemplate compile(String source, Mustache.Compiler compiler, Map<String, MessageTemplate> cache) {
        MessageTemplate cached = cache.get(source);
        if (cached != null) {
            return cached;
        }
        checkTags(source);
        MessageTemplate template;
        try {
            template = new MessageTemplate(source, compiler.compile(source));
        } catch (MustacheException e) {
            throw new TemplateSyntaxException(e.getMessage(), lineOf(e.getMessage()), 0);
        } catch (RuntimeException e) {
            // jmustache's own index errors on odd input: still a template that does not parse, never a 500
            throw new TemplateSyntaxException("The template does not parse", 0, 0);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(source, template);
        return template;
    }

    /** The line of jmustache's "@ line N", 0 when the message names none (or a number too large to be one). */
    private static int lineOf(String message) {
        Matcher m = LINE.matcher(String.valueOf(message));
        int line = 0;
        while (m.find()) {
            line = Integer.parseInt(m.group(1));
        }
        return line;
    }

    /**
     * Checks every tag before jmustache sees it: an opening {{ with no closing }} (jmustache reports those without a
     * useful position), and what jmustache accepts but cannot render here: partials and template inheritance (there is
     * no template loader, so they would fail at every send), set-delimiter tags (after which these checks could not
     * see the tags), empty tags and names with an empty part ({@code {{}}}, {@code {{a..b}}}: jmustache fails on them
     * with index errors), and sections nested deeper than {@link #MAX_DEPTH} (rendering recurses once per level).
     */
    private static void checkTags(String source) {
        int line = 1;
        int column = 1;
        int openLine = 0;
        int openColumn = 0;
        int contentStart = 0;
        int depth = 0;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '{' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                if (openLine != 0) {
                    throw new TemplateSyntaxException("Tag opened at line " + openLine + ", column " + openColumn
                            + " is not closed before the next '{{'", openLine, openColumn);
                }
                openLine = line;
                openColumn = column;
                while (i + 1 < source.length() && source.charAt(i + 1) == '{') {
                    i++;
                    column++;
                }
                contentStart = i + 1;
            } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                if (openLine == 0) {
                    throw new TemplateSyntaxException("'}}' at line " + line + ", column " + column
                            + " closes no tag", line, column);
                }
                depth = checkTag(source.substring(contentStart, i), depth, openLine, openColumn);
                openLine = 0;
                while (i + 1 < source.length() && source.charAt(i + 1) == '}') {
                    i++;
                    column++;
                }
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        if (openLine != 0) {
            throw new TemplateSyntaxException("Tag opened at line " + openLine + ", column " + openColumn
                    + " is never closed with '}}'", openLine, openColumn);
        }
    }

    /** Checks one tag's text (between the braces) and returns the section depth after it. */
    private static int checkTag(String content, int depth, int line, int column) {
        String tag = trim(content);
        String where = " at line " + line + ", column " + column;
        char sigil = tag.isEmpty() ? ' ' : tag.charAt(0);
        switch (sigil) {
            case '!' -> {
                return depth; // a comment: anything goes
            }
            case '=' -> throw new TemplateSyntaxException("Changing the delimiters ({{=...=}}) is not supported" + where,
                    line, column);
            case '>', '<' -> throw new TemplateSyntaxException("Partials and template inheritance ({{" + sigil
                    + "name}}) are not supported" + where + ": write the text into the template", line, column);
            default -> {
            }
        }
        boolean hasSigil = "#^$/&".indexOf(sigil) >= 0;
        String name = hasSigil ? trim(tag.substring(1)) : tag;
        if (name.isEmpty()) {
            throw new TemplateSyntaxException("Empty tag" + where + ": name a variable, e.g. {{name}}", line, column);
        }
        if (!name.equals(".") && (name.startsWith(".") || name.endsWith(".") || name.contains(".."))) {
            throw new TemplateSyntaxException("Invalid name '" + abbreviate(name) + "'" + where
                    + ": parts of a dotted name must not be empty", line, column);
        }
        if (sigil == '/') {
            return Math.max(0, depth - 1);
        }
        if (sigil == '#' || sigil == '^' || sigil == '$') {
            if (depth + 1 > MAX_DEPTH) {
                throw new TemplateSyntaxException("Sections are nested more than " + MAX_DEPTH + " deep" + where,
                        line, column);
            }
            return depth + 1;
        }
        return depth;
    }

    /**
     * Trims what jmustache trims around a tag's name (String.trim: every control character, NUL included) and
     * Unicode spaces too, so that no tag reads differently here than there (found by fuzzing: {@code {{\0>x}}}).
     */
    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && ignorable(text.charAt(start))) {
            start++;
        }
        while (end > start && ignorable(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean ignorable(char c) {
        return c <= ' ' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /** Looks variables up in maps and lists only: no reflection on arbitrary objects. */
    private static final class MapOnlyCollector extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }

        /** Sections iterate within the rendering's budget (nested sections over lists multiply). */
        @Override
        public java.util.Iterator<?> toIterator(Object value) {
            return RenderBudget.limit(super.toIterator(value));
        }
    }
}
