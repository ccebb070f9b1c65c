package io.herald.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Any template text either compiles or is a {@link TemplateSyntaxException} with a position; a template that
 * compiled renders for any variables, as plain text and as HTML, and never re-reads the values as Mustache.
 */
class TemplateEnginePropertyTest {
    private final TemplateEngine engine = new TemplateEngine();

    @Property(tries = 800)
    void anyTemplateCompilesOrIsASyntaxErrorAndCompiledOnesRender(@ForAll("templates") String source,
                                                                    @ForAll("variables") Map<String, Object> variables) {
        MessageTemplate template = compileOrNull(source, false);
        MessageTemplate html = compileOrNull(source, true);
        assertThat(html == null).as("HTML and plain text parse alike").isEqualTo(template == null);
        if (template != null) {
            assertThatCode(() -> template.render(variables)).as(source).doesNotThrowAnyException();
            assertThatCode(() -> html.render(variables)).as(source).doesNotThrowAnyException();
            assertThatCode(() -> engine.compileContent(source, source, true, null).render(variables))
                    .as(source).doesNotThrowAnyException();
        }
    }

    @Property(tries = 300)
    void anyUnicodeTextCompilesOrIsASyntaxError(@ForAll String source) {
        MessageTemplate template = compileOrNull(source, false);
        if (template != null) {
            assertThatCode(() -> template.render(Map.of("name", "Ann"))).as(source).doesNotThrowAnyException();
        }
    }

    @Property(tries = 200)
    void textWithoutTagsRendersAsItIs(@ForAll("plainText") String text, @ForAll("variables") Map<String, Object> variables) {
        assertThat(engine.compile(text).render(variables)).isEqualTo(text);
    }

    @Property(tries = 300)
    void valuesAreInsertedVerbatimAndNeverParsedAsMustache(@ForAll("values") String value) {
        Map<String, Object> variables = Map.of("name", value, "city", "{{name}}");
        assertThat(engine.compile("Hi {{name}}!").render(variables)).isEqualTo("Hi " + value + "!");
        String html = engine.compileHtml("<p>{{name}}</p>").render(variables);
        assertThat(html.substring(3, html.length() - 4)).doesNotContain("<", ">", "\"");
    }

    @Example
    void partialsAndTemplateInheritanceAreSyntaxErrorsNotRenderFailures() {
        for (String source : List.of("{{>footer}}", "Hi {{> footer }}", "{{<layout}}{{/layout}}", "{{=<% %>=}}<%>footer%>",
                "<p>Hi {{\u0000> footer}}</p>", "{{\u0007\u00a0>footer}}")) {
            assertThat(compileOrNull(source, false)).as(source).isNull();
        }
    }

    @Example
    void emptyTagsAndEmptyNamePartsAreSyntaxErrors() {
        for (String source : List.of("{{}}", "{{ }}", "{{=}}", "{{..}}", "{{#list}}{{.x}}{{/list}}", "{{name..x}}")) {
            assertThat(compileOrNull(source, false)).as(source).isNull();
        }
    }

    @Example
    void aLineNumberTooLargeForAnIntInTheParserMessageIsStillASyntaxError() {
        assertThat(compileOrNull("{{#line 99999999999}}{{/x}}", false)).isNull();
    }

    @Example
    void sectionsNestedTooDeepAreASyntaxErrorNotAStackOverflow() {
        String deep = "{{#name}}".repeat(8000) + "{{/name}}".repeat(8000);
        assertThat(compileOrNull(deep, false)).isNull();
        String fine = "{{#name}}".repeat(20) + "x" + "{{/name}}".repeat(20);
        assertThat(engine.compile(fine).render(Map.of("name", "Ann"))).isEqualTo("x");
    }

    @Example
    void nestedSectionsOverListsAreBoundedInTimeAndSize() {
        // 3^35 iterations unbounded: found by this property test as a 200 s render ending in OutOfMemoryError
        String deep = "{{#m}}".repeat(35) + "{{x}}" + "x".repeat(1000) + "{{/m}}".repeat(35);
        long started = System.nanoTime();
        String rendered = engine.compile(deep).render(Map.of("m", List.of(1, 2, 3), "x", "y"));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(2));
        assertThat(rendered.length()).isPositive().isLessThanOrEqualTo(RenderBudget.MAX_CHARS);
        String wide = "{{#m}}" + "x".repeat(99_000) + "{{/m}}";
        assertThat(engine.compile(wide).render(Map.of("m", java.util.Collections.nCopies(50, 1))))
                .hasSize(RenderBudget.MAX_CHARS);
    }

    /** The compiled template, or null for a syntax error; anything else thrown fails the property. */
    private MessageTemplate compileOrNull(String source, boolean html) {
        try {
            return html ? engine.compileHtml(source) : engine.compile(source);
        } catch (TemplateSyntaxException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.line()).isGreaterThanOrEqualTo(0);
            assertThat(e.column()).isGreaterThanOrEqualTo(0);
            return null;
        }
    }

    /** Mustache-shaped text: tags of every kind with good and bad names, balanced and broken sections, stray braces. */
    @Provide
    Arbitrary<String> templates() {
        return fragments(2);
    }

    private static Arbitrary<String> fragments(int depth) {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("name", "email", "phone", "city", "list", "m", "m.x", "m.m.x", "n", ".", "..", "a..b", ".x",
                        "x.", "-index", "-first", "-last", "this", "", " ", "line 99999999999", "@ line 7", "unsubscribe_url"),
                Arbitraries.strings().withChars("abc.-_ {}#/&^!>=<$%\n").ofMaxLength(6));
        Arbitrary<String> sigils = Arbitraries.of("", "", "", "#", "^", "/", "&", "!", ">", "<", "=", "$", "{", " ");
        Arbitrary<String> tag = Combinators.combine(sigils, names, Arbitraries.of("}}", "}}", "}}}", "}", "=}}"))
                .as((sigil, name, close) -> "{{" + sigil + name + close);
        Arbitrary<String> nested = Arbitraries.integers().between(1, 120)
                .map(levels -> "{{#m}}".repeat(levels) + "{{x}}" + "{{/m}}".repeat(levels));
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10),
                Arbitraries.of("{{", "}}", "{", "}", "{{{", "}}}", "\n", "\r\n", "  ", "Hi ", "💌", "\u0000"));
        Arbitrary<String> fragment;
        if (depth == 0) {
            fragment = Arbitraries.frequencyOf(Tuple.of(4, tag), Tuple.of(1, nested), Tuple.of(4, text));
        } else {
            Arbitrary<String> section = Combinators.combine(Arbitraries.of("#", "^", "$"), names, fragments(depth - 1),
                            Arbitraries.of(true, true, true, false))
                    .as((sigil, name, inner, matched) -> "{{" + sigil + name + "}}" + inner + "{{/" + (matched ? name : "x") + "}}");
            fragment = Arbitraries.frequencyOf(Tuple.of(4, tag), Tuple.of(3, section), Tuple.of(1, nested), Tuple.of(4, text));
        }
        return fragment.list().ofMaxSize(6).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> plainText() {
        return Arbitraries.strings().ofMaxLength(200).filter(s -> !s.contains("{{") && !s.contains("}}"));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(50),
                Arbitraries.of("{{name}}", "{{>x}}", "<script>alert(1)</script>", "\"quoted\" & 'single'", "{{{", "}}"));
    }

    /**
     * Variables shaped like a recipient's (string attributes, a numeric id, blank or missing fields) plus values a
     * template never meets from Herald but renders anyway: numbers, booleans, lists and nested maps. Lists hold no
     * null: Herald's variables have no lists at all, and jmustache fails on a null list element in a nested section.
     */
    @Provide
    Arbitrary<Map<String, Object>> variables() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.of("", "{{name}}", "<b>&amp;</b>").map(s -> (Object) s),
                Arbitraries.longs().map(i -> (Object) i), Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> list = scalar.list().ofMaxSize(3).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = scalar.injectNull(0.2).map(v -> {
            Map<String, Object> m = new HashMap<>();
            m.put("x", v);
            m.put("m", Map.of("x", "deep"));
            return (Object) m;
        });
        Arbitrary<Object> value = Arbitraries.frequencyOf(Tuple.of(6, scalar), Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, list), Tuple.of(1, map));
        return Arbitraries.maps(Arbitraries.of("name", "email", "phone", "city", "list", "m", "n", "x", "this", "id"), value)
                .ofMaxSize(8).map(HashMap::new);
    }
}
