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

    /** The recipient's address on the channel ({@code email} or {@code phone}), or null when they have none. */
    public String address(io.herald.Channel channel) {
        return "email".equals(channel.addressField()) ? email : phone;
    }

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
