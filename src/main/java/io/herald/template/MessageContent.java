package io.herald.template;

import java.util.Map;

/**
 * A campaign's compiled message parts. SMS has a body only; email has a subject, a body that is HTML or
 * plain text, and a plain-text alternative (its own template, or text derived from the rendered HTML).
 * Thread-safe; compile once per campaign, render per recipient.
 */
public final class MessageContent {
    private final MessageTemplate subject;
    private final MessageTemplate body;
    private final boolean html;
    private final MessageTemplate text;

    MessageContent(MessageTemplate subject, MessageTemplate body, boolean html, MessageTemplate text) {
        this.subject = subject;
        this.body = body;
        this.html = html;
        this.text = text;
    }

    /** Renders every part for one recipient. */
    public Rendered render(Map<String, ?> variables) {
        String renderedBody = body.render(variables);
        String renderedSubject = subject == null ? null : subject.render(variables).strip();
        String renderedText;
        if (text != null) {
            renderedText = text.render(variables);
        } else if (html) {
            renderedText = HtmlText.of(renderedBody);
        } else {
            renderedText = subject == null ? null : renderedBody;
        }
        return new Rendered(renderedSubject, renderedBody, html, renderedText);
    }

    /**
     * One recipient's message. {@code subject} is null for SMS; {@code body} is HTML when {@code html};
     * {@code text} is the plain-text version of an email (null for SMS).
     */
    public record Rendered(String subject, String body, boolean html, String text) {
    }
}
