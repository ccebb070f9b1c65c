package io.herald.template;

import java.util.Map;

import com.samskivert.mustache.Template;

/** A parsed, ready-to-render template. Thread-safe; compile once, render per recipient. */
public final class MessageTemplate {
    private final String source;
    private final Template compiled;

    MessageTemplate(String source, Template compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    public String source() {
        return source;
    }

    /**
     * Renders with the given variables; a variable the recipient lacks renders as empty text. Bounded whatever the
     * variables ({@link RenderBudget}): at most 10,000 section iterations and 1,000,000 characters.
     */
    public String render(Map<String, ?> variables) {
        RenderBudget.BoundedWriter out = new RenderBudget.BoundedWriter();
        RenderBudget.start();
        try {
            compiled.execute(variables, out);
        } finally {
            RenderBudget.end();
        }
        return out.toString();
    }
}
