package io.herald.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names the action of a write request from its route pattern, so endpoints added later are audited
 * without touching this module: {@code POST /campaigns/{id}/send} is {@code campaign.send} on campaign
 * {id}; {@code POST /campaigns} is {@code campaign.create} (the id from the Location header);
 * {@code DELETE /recipients/{id}} is {@code recipient.delete}; {@code POST /recipients/import} is
 * {@code recipient.import}; seed 004's {@code POST /v1/camp/create} is {@code campaign.create}.
 */
final class AuditActions {
    private static final Map<String, String> TYPES = Map.of(
            "campaigns", "campaign",
            "recipients", "recipient",
            "api-keys", "api_key",
            "imports", "import",
            "tags", "tag",
            "v1/camp", "campaign");

    private AuditActions() {
    }

    record Described(String action, String targetType, String targetId) {
    }

    static Described describe(String method, String pattern, Map<String, String> uriVariables, String location) {
        List<String> segments = new ArrayList<>();
        for (String s : pattern.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        if (segments.isEmpty()) {
            return new Described(verb(method), null, null);
        }
        int resourceLength = segments.size() > 1 && segments.get(0).equals("v1") ? 2 : 1;
        resourceLength = Math.min(resourceLength, segments.size());
        String resource = String.join("/", segments.subList(0, resourceLength));
        String type = TYPES.getOrDefault(resource, singular(resource.replace('/', '.').replace('-', '_')));
        String targetId = null;
        String verb = null;
        for (String s : segments.subList(resourceLength, segments.size())) {
            if (s.startsWith("{") && s.endsWith("}")) {
                if (targetId == null && uriVariables != null) {
                    targetId = uriVariables.get(s.substring(1, s.length() - 1));
                }
            } else {
                verb = s.replace('-', '_').toLowerCase(Locale.ROOT);
            }
        }
        if (verb == null) {
            verb = verb(method);
        }
        if (targetId == null && location != null && !location.isBlank()) {
            String path = location.replaceAll("[?#].*$", "");
            targetId = path.substring(path.lastIndexOf('/') + 1);
        }
        return new Described(type + "." + verb, type, targetId);
    }

    private static String verb(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "POST" -> "create";
            case "DELETE" -> "delete";
            default -> "update";
        };
    }

    private static String singular(String name) {
        return name.endsWith("s") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }
}
