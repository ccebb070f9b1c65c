package io.herald.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinkRewriterTest {
    private static final String UNSUBSCRIBE = "https://herald.test/u/";

    @Test
    void httpAndHttpsLinksAreRewrittenInPlaceOneIndexPerDistinctUrl() {
        String source = "<p>Hi {{name}}, <a class=\"x\" href=\"https://example.com/a\">A</a>"
                + " <A HREF='http://example.com/b'>B</A> <a href=\"https://example.com/a\">A again</a></p>";
        LinkRewriter.Rewritten r = LinkRewriter.rewrite(source, UNSUBSCRIBE, true, false);
        assertThat(r.urls()).containsExactly("https://example.com/a", "http://example.com/b");
        assertThat(r.source()).isEqualTo("<p>Hi {{name}}, <a class=\"x\" href=\"{{{herald_link_0}}}\">A</a>"
                + " <A HREF='{{{herald_link_1}}}'>B</A> <a href=\"{{{herald_link_0}}}\">A again</a></p>");
    }

    @Test
    void mailtoAnchorsRelativeAndPersonalisedLinksAndTheUnsubscribeLinkAreLeftAlone() {
        String source = "<a href=\"mailto:ada@example.com\">m</a><a href=\"#top\">t</a><a href=\"/relative\">r</a>"
                + "<a href=\"tel:+15551234567\">p</a><a href=\"{{unsubscribe_url}}\">u</a>"
                + "<a href=\"https://example.com/?who={{id}}\">p</a><a href=\"https://herald.test/u/1.2.abc\">u2</a>"
                + "<a name=\"x\">no href</a><link href=\"https://example.com/style.css\">";
        LinkRewriter.Rewritten r = LinkRewriter.rewrite(source, UNSUBSCRIBE, true, false);
        assertThat(r.urls()).isEmpty();
        assertThat(r.source()).isEqualTo(source);
    }

    @Test
    void entitiesInHrefsAreDecodedAndQueryStringsKept() {
        String source = "<a href=\"https://example.com/p?a=1&amp;b=2&#38;c=%20x#frag\">q</a>"
                + "<a href=https://example.com/unquoted?x=1>u</a>";
        LinkRewriter.Rewritten r = LinkRewriter.rewrite(source, UNSUBSCRIBE, true, false);
        assertThat(r.urls()).containsExactly("https://example.com/p?a=1&b=2&c=%20x#frag", "https://example.com/unquoted?x=1");
        assertThat(r.source()).isEqualTo("<a href=\"{{{herald_link_0}}}\">q</a><a href=\"{{{herald_link_1}}}\">u</a>");
    }

    @Test
    void linksInsideSectionsKeepTheSectionsIntact() {
        String source = "{{#vip}}<a href=\"https://example.com/vip\">VIP</a>{{/vip}}{{^vip}}<a href=\"https://example.com/all\">x</a>{{/vip}}";
        LinkRewriter.Rewritten r = LinkRewriter.rewrite(source, UNSUBSCRIBE, true, false);
        assertThat(r.source()).isEqualTo("{{#vip}}<a href=\"{{{herald_link_0}}}\">VIP</a>{{/vip}}"
                + "{{^vip}}<a href=\"{{{herald_link_1}}}\">x</a>{{/vip}}");
    }

    @Test
    void theOpenPixelGoesBeforeTheLastBodyEndOrAtTheEnd() {
        String pixel = "<img src=\"{{{herald_open_url}}}\"";
        LinkRewriter.Rewritten withBody = LinkRewriter.rewrite("<html><body><p>x</p></BODY></html>", UNSUBSCRIBE, false, true);
        assertThat(withBody.source()).startsWith("<html><body><p>x</p>" + pixel).endsWith("</BODY></html>");
        LinkRewriter.Rewritten fragment = LinkRewriter.rewrite("<p>x <a href=\"https://e.com\">e</a></p>", UNSUBSCRIBE, false, true);
        assertThat(fragment.source()).startsWith("<p>x <a href=\"https://e.com\">e</a></p>" + pixel);
        assertThat(fragment.urls()).isEmpty();
    }

    @Test
    void aBodyWithoutAnyMarkupGetsNoPixel() {
        LinkRewriter.Rewritten text = LinkRewriter.rewrite("Hi {{name}}, we miss you! 💌 (1 < 2)", UNSUBSCRIBE, true, true);
        assertThat(text.source()).isEqualTo("Hi {{name}}, we miss you! 💌 (1 < 2)");
        assertThat(text.urls()).isEmpty();
    }
}
