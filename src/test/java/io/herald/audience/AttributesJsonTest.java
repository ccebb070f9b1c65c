package io.herald.audience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.core.type.TypeReference;

/**
 * {@link RecipientRepository#writeAttributes} writes the JSON itself (with Jackson's string escaping) instead of a
 * Jackson generator per row: its text must be exactly what Jackson's serializer writes for the same map, and read
 * back to the same map, for any keys and values (quotes, backslashes, control characters, non-BMP characters).
 */
class AttributesJsonTest {

    @Property(tries = 3000)
    void writesWhatJacksonWritesAndReadsBack(@ForAll("attributes") Map<String, String> attributes) {
        String json = RecipientRepository.writeAttributes(attributes);

        assertThat(json).isEqualTo(RecipientRepository.JSON.writerFor(new TypeReference<Map<String, String>>() {
        }).writeValueAsString(attributes));
        assertThat(RecipientRepository.readAttributes(json)).isEqualTo(attributes);
    }

    @Test
    void escapesWhatJsonRequires() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("quote\"key", "back\\slash");
        attributes.put("ctl", "tab\there\u0001\nline");
        attributes.put("city", "Zürich 🏔");

        assertThat(RecipientRepository.writeAttributes(attributes))
                .isEqualTo("{\"quote\\\"key\":\"back\\\\slash\",\"ctl\":\"tab\\there\\u0001\\nline\",\"city\":\"Zürich 🏔\"}");
        assertThat(RecipientRepository.writeAttributes(Map.of())).isEqualTo("{}");
    }

    @Provide
    Arbitrary<Map<String, String>> attributes() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("\"\\/\u0000\u001f\u007f\u2028é😀 ab").ofMaxLength(12));
        return Arbitraries.maps(text, text).ofMaxSize(6).map(LinkedHashMap::new);
    }
}
