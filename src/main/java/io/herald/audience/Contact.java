package io.herald.audience;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What delivery and preview need of a recipient: how to reach them, what to fill into a template, and
 * whether they may still be messaged ({@code active}: neither unsubscribed nor deleted).
 */
public record Contact(long id, String name, String email, String phone, List<String> tags, Map<String, String> attributes,
                      boolean active) {

    /** Template variables: every attribute, then name, email and phone (which attributes cannot shadow). */
    public Map<String, Object> templateVariables() {
        Map<String, Object> vars = new HashMap<>(attributes);
        vars.put("id", id);
        vars.put("name", name);
        vars.put("email", email == null ? "" : email);
        vars.put("phone", phone == null ? "" : phone);
        return vars;
    }
}
