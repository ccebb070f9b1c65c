package io.herald.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TemplateEngineTest {
    private final TemplateEngine engine = new TemplateEngine();

    @Test
    void rendersVariablesAndAttributesAsPlainText() {
        MessageTemplate template = engine.compile("Hi {{name}}, we miss you in {{city}}! 💌 <b>{{missing}}</b>");
        assertThat(template.render(Map.of("name", "Ann & \"Bo\"", "city", "Taipei")))
                .isEqualTo("Hi Ann & \"Bo\", we miss you in Taipei! 💌 <b></b>");
    }

    @Test
    void sectionsWorkOnMapsAndLists() {
        MessageTemplate template = engine.compile("{{#vip}}VIP {{/vip}}{{^vip}}Hello {{/vip}}{{name}}");
        assertThat(template.render(Map.of("vip", true, "name", "Ann"))).isEqualTo("VIP Ann");
        assertThat(template.render(Map.of("vip", false, "name", "Bo"))).isEqualTo("Hello Bo");
        assertThat(engine.compile("{{#items}}[{{.}}]{{/items}}").render(Map.of("items", List.of("a", "b")))).isEqualTo("[a][b]");
    }

    @Test
    void templatesCannotReachObjectInternals() {
        MessageTemplate template = engine.compile("{{name.class}}|{{name.bytes}}|{{name.length}}|{{name.class.classLoader}}");
        assertThat(template.render(Map.of("name", "Ann"))).isEqualTo("|||");
    }

    @Test
    void syntaxErrorsCarryTheirPosition() {
        assertThatThrownBy(() -> engine.compile("Hi {{name"))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(4);
                });
        assertThatThrownBy(() -> engine.compile("line one\nHi }} there"))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(4);
                });
        assertThatThrownBy(() -> engine.compile("a\nb\n{{#open}} never closed"))
                .isInstanceOfSatisfying(TemplateSyntaxException.class, e -> assertThat(e.line()).isEqualTo(3));
        assertThatThrownBy(() -> engine.compile("{{/close}}")).isInstanceOf(TemplateSyntaxException.class);
    }

    @Test
    void compiledTemplatesAreReused() {
        assertThat(engine.compile("Hi {{name}}")).isSameAs(engine.compile("Hi {{name}}"));
    }
}
