package io.herald.audience;

import java.util.List;
import java.util.Map;

/**
 * A recipient as a client sends it (not yet validated). For a PATCH, null fields are kept; {@code clearEmail}
 * / {@code clearPhone} remove a value (an explicit JSON null).
 */
public record RecipientInput(String name, String email, String phone, List<String> tags, Map<String, String> attributes,
                             boolean clearEmail, boolean clearPhone) {
    public static RecipientInput of(String name, String email, String phone, List<String> tags, Map<String, String> attributes) {
        return new RecipientInput(name, email, phone, tags, attributes, false, false);
    }
}
