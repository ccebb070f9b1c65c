package io.herald.template;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Readable plain text from an HTML email body (the text/plain part of multipart/alternative): paragraphs
 * and headings on their own lines, list items with a dash, links as {@code text (url)}, no markup, and
 * nothing from {@code <head>}, {@code <style>} or {@code <script>}.
 */
public final class HtmlText {
    private HtmlText() {
    }

    public static String of(String html) {
        Element body = Jsoup.parse(html).body();
        StringBuilder out = new StringBuilder();
        body.traverse(new Writer(out));
        return tidy(out);
    }

    private static final class Writer implements NodeVisitor {
        private final StringBuilder out;

        Writer(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                if (!inside(text, "script", "style", "title")) {
                    appendWords(text.text());
                }
            } else if (node instanceof Element element) {
                switch (element.normalName()) {
                    case "br" -> out.append('\n');
                    case "li" -> out.append("\n- ");
                    case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol", "blockquote",
                         "section", "article", "header", "footer" -> out.append("\n\n");
                    default -> {
                    }
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element) {
                switch (element.normalName()) {
                    case "a" -> {
                        String href = element.attr("href").strip();
                        String label = element.text().strip();
                        if (!href.isEmpty() && !href.startsWith("#") && !href.equals(label)
                                && !href.equals("mailto:" + label)) {
                            out.append(" (").append(href).append(')');
                        }
                    }
                    case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol", "blockquote" ->
                            out.append("\n\n");
                    case "td", "th" -> out.append(' ');
                    default -> {
                    }
                }
            }
        }

        private void appendWords(String words) {
            if (words.isBlank()) {
                if (!words.isEmpty() && out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1))) {
                    out.append(' ');
                }
                return;
            }
            out.append(words);
        }

        private static boolean inside(Node node, String... names) {
            for (Node p = node.parentNode(); p != null; p = p.parentNode()) {
                if (p instanceof Element e) {
                    for (String name : names) {
                        if (e.normalName().equals(name)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }
    }

    /** Trims each line, collapses runs of blank lines to one. */
    private static String tidy(StringBuilder raw) {
        StringBuilder result = new StringBuilder(raw.length());
        int blank = 0;
        for (String line : raw.toString().split("\n", -1)) {
            String trimmed = line.strip().replaceAll("[ \\t\\u00a0]+", " ");
            if (trimmed.isEmpty()) {
                blank++;
                continue;
            }
            if (result.length() > 0) {
                result.append(blank > 0 ? "\n\n" : "\n");
            }
            result.append(trimmed);
            blank = 0;
        }
        return result.toString();
    }
}
