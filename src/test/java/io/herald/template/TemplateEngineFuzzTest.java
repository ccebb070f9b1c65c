package io.herald.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the template compiler and renderer (Jazzer): any text compiles or is a
 * {@link TemplateSyntaxException}; a compiled template renders, as plain text, as HTML and as a whole email (HTML
 * body with its derived text part), for a recipient's variables and for odd ones. A normal build runs the inputs in
 * {@code TemplateEngineFuzzTestInputs/} once (regression mode); {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class TemplateEngineFuzzTest {
    private static final List<Map<String, Object>> VARIABLES = variables();

    @FuzzTest(maxDuration = "5s")
    void anyTemplate(byte[] input) {
        String source = new String(input, StandardCharsets.UTF_8);
        TemplateEngine engine = new TemplateEngine();
        MessageTemplate text;
        try {
            text = engine.compile(source);
        } catch (TemplateSyntaxException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.line()).isNotNegative();
            assertThat(e.column()).isNotNegative();
            return;
        }
        MessageContent email = engine.compileContent(source, source, true, null);
        for (Map<String, Object> variables : VARIABLES) {
            text.render(variables);
            MessageContent.Rendered rendered = email.render(variables);
            assertThat(rendered.text()).isNotNull();
        }
    }

    private static List<Map<String, Object>> variables() {
        Map<String, Object> recipient = new HashMap<>(Map.of("id", 7L, "name", "Ann <b>&amp;</b>", "email", "ann@example.com",
                "phone", "", "city", "{{name}}", "unsubscribe_url", "http://localhost:8080/u/token"));
        Map<String, Object> odd = new HashMap<>(Map.of("name", List.of("a", "b"), "m", Map.of("x", Map.of("x", "deep")),
                "list", List.of(Map.of("x", 1), "s", 2L, true), "email", true, "phone", 0));
        odd.put("n", null);
        return List.of(Map.of(), recipient, odd);
    }
}
