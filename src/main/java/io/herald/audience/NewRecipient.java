package io.herald.audience;

import java.util.List;
import java.util.Map;

/** Input for creating (or upserting) a recipient; email and phone are already normalised. */
public record NewRecipient(String name, String email, String phone, List<String> tags, Map<String, String> attributes) {
    public NewRecipient {
        tags = tags == null ? List.of() : List.copyOf(tags);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}
