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
    private static final Pattern LINE = Pattern.compile("@line (\\d+)|@ line (\\d+)|line (\\d+)");
    private static final int MAX_CACHED = 1_000;

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
        checkDelimiters(source);
        MessageTemplate template;
        try {
            template = new MessageTemplate(source, compiler.compile(source));
        } catch (MustacheException e) {
            Matcher m = LINE.matcher(String.valueOf(e.getMessage()));
            int line = 0;
            if (m.find()) {
                for (int g = 1; g <= m.groupCount(); g++) {
                    if (m.group(g) != null) {
                        line = Integer.parseInt(m.group(g));
                    }
                }
            }
            throw new TemplateSyntaxException(e.getMessage(), line, 0);
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(source, template);
        return template;
    }

    /** Finds an opening {{ with no closing }} (jmustache reports those without a useful position). */
    private static void checkDelimiters(String source) {
        int line = 1;
        int column = 1;
        int openLine = 0;
        int openColumn = 0;
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
            } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                if (openLine == 0) {
                    throw new TemplateSyntaxException("'}}' at line " + line + ", column " + column
                            + " closes no tag", line, column);
                }
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

    /** Looks variables up in maps and lists only: no reflection on arbitrary objects. */
    private static final class MapOnlyCollector extends BasicCollector {
        @Override
        public <K, V> Map<K, V> createFetcherCache() {
            return new ConcurrentHashMap<>();
        }
    }
}
