package io.herald.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.herald.InvalidInputException;
import io.herald.audience.InvalidSegmentRuleException;
import io.herald.audience.Recipient;
import io.herald.audience.RecipientInput;
import io.herald.audience.RecipientService;
import io.herald.audience.SegmentRule;
import io.herald.web.RecipientViews.CountView;
import io.herald.web.RecipientViews.RecipientRequest;
import io.herald.web.RecipientViews.RecipientView;
import io.herald.web.RecipientViews.TagView;
import io.herald.web.RecipientViews.TagsView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Recipients", description = "The audience: recipients, their tags and attributes")
class RecipientController {
    private final RecipientService recipients;

    RecipientController(RecipientService recipients) {
        this.recipients = recipients;
    }

    @PostMapping("/recipients")
    @Operation(summary = "Create a recipient", description = "Needs an email or a phone (stored lower-cased / in E.164). "
            + "409 when the email or phone belongs to another recipient; a deleted recipient's email or phone revives that recipient.")
    ResponseEntity<RecipientView> create(@RequestBody RecipientRequest request) {
        Recipient r = recipients.create(RecipientInput.of(request.name(), request.email(), request.phone(), request.tags(),
                attributes(request.attributes())));
        return ResponseEntity.created(URI.create("/recipients/" + r.id())).body(RecipientView.of(r));
    }

    @GetMapping("/recipients")
    @Operation(summary = "List recipients, newest first (keyset-paged)",
            description = "tag=vip,tw selects recipients with every tag; segment=<expression> those a segment rule selects"
                    + " (e.g. vip and city = \"Taipei\"); q matches name, email or phone (case-insensitive)")
    PageView<RecipientView> list(@RequestParam(required = false) String tag,
                                 @Parameter(description = "A segment rule: vip,tw or an expression such as "
                                         + "(vip or tw) and not city in (\"Taipei\", \"Tainan\")") @RequestParam(required = false) String segment,
                                 @RequestParam(required = false) String q,
                                 @Parameter(description = "ACTIVE, UNSUBSCRIBED or BOUNCED; default all three") @RequestParam(required = false) String status,
                                 @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) Integer limit,
                                 @RequestParam(required = false) String cursor) {
        int size = Paging.limit(limit, 50, 500);
        List<Recipient> rows = recipients.list(rule(tag, segment), q, status(status), Paging.cursor(cursor), size + 1);
        return Paging.page(rows, size, Recipient::id, page -> page.stream().map(RecipientView::of).toList());
    }

    @GetMapping("/recipients/count")
    @Operation(summary = "How many ACTIVE recipients carry every given tag, or match segment (all ACTIVE ones without either)",
            description = "With channel=email|sms only those reachable on it (with an email / a phone) count, and "
                    + "unreachable says how many more match but have no address for it")
    CountView count(@RequestParam(required = false) String tag,
                    @Parameter(description = "A segment rule (tag list or expression); 400 with its column when it does not parse")
                    @RequestParam(required = false) String segment,
                    @RequestParam(required = false) String channel) {
        io.herald.Channel on = channel == null || channel.isBlank() ? null : io.herald.Channel.parse(channel);
        SegmentRule rule = rule(tag, segment);
        return new CountView(recipients.count(rule, on, true), on == null ? null : recipients.count(rule, on, false),
                on == null ? null : on.key());
    }

    @GetMapping("/recipients/{id}")
    @Operation(summary = "Get a recipient")
    RecipientView get(@PathVariable long id) {
        return RecipientView.of(recipients.get(id));
    }

    @PatchMapping("/recipients/{id}")
    @Operation(summary = "Edit a recipient", description = "Omitted fields are kept; tags and attributes replace the stored "
            + "ones; an explicit null email or phone removes it (one of them must remain)")
    RecipientView update(@PathVariable long id, @RequestBody Map<String, Object> raw) {
        for (String key : raw.keySet()) {
            if (!List.of("name", "email", "phone", "tags", "attributes").contains(key)) {
                throw key.isBlank()
                        ? InvalidInputException.of("body", "has a field without a name (recipient fields: name, email, phone,"
                                + " tags, attributes)")
                        : InvalidInputException.of(key, "is not a recipient field (name, email, phone, tags, attributes)");
            }
        }
        if (raw.containsKey("name") && raw.get("name") == null) {
            throw InvalidInputException.of("name", "must not be null");
        }
        List<String> tags = null;
        if (raw.get("tags") != null) {
            if (!(raw.get("tags") instanceof List<?> list)) {
                throw InvalidInputException.of("tags", "must be a list of strings");
            }
            tags = new ArrayList<>();
            for (Object tag : list) {
                if (!(tag instanceof String s)) {
                    throw InvalidInputException.of("tags", "must be a list of strings");
                }
                tags.add(s);
            }
        } else if (raw.containsKey("tags")) {
            tags = List.of();
        }
        Map<String, String> attributes = null;
        if (raw.get("attributes") != null) {
            if (!(raw.get("attributes") instanceof Map<?, ?> map)) {
                throw InvalidInputException.of("attributes", "must be an object");
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            map.forEach((k, v) -> typed.put(String.valueOf(k), v));
            attributes = attributes(typed);
        } else if (raw.containsKey("attributes")) {
            attributes = Map.of();
        }
        RecipientInput patch = new RecipientInput(string(raw, "name"), string(raw, "email"), string(raw, "phone"), tags,
                attributes, raw.containsKey("email") && raw.get("email") == null,
                raw.containsKey("phone") && raw.get("phone") == null);
        return RecipientView.of(recipients.update(id, patch));
    }

    @DeleteMapping("/recipients/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a recipient", description = "No later send reaches them; messages already sent stay in history")
    void delete(@PathVariable long id) {
        recipients.delete(id);
    }

    @PostMapping("/recipients/{id}/unsubscribe")
    @Operation(summary = "Unsubscribe a recipient", description = "Kept, but excluded from every later send")
    RecipientView unsubscribe(@PathVariable long id) {
        return RecipientView.of(recipients.unsubscribe(id));
    }

    @GetMapping("/tags")
    @Operation(summary = "Every tag with the number of recipients carrying it")
    TagsView tags() {
        return new TagsView(recipients.tags().stream().map(t -> new TagView(t.tag(), t.count())).toList());
    }

    /** The rule of {@code segment} (any rule) or {@code tag} (a tag list, as before); at most one of them. */
    private static SegmentRule rule(String tag, String segment) {
        boolean hasTag = tag != null && !tag.isBlank();
        if (segment != null && !segment.isBlank()) {
            if (hasTag) {
                throw InvalidInputException.of("segment", "give either tag or segment, not both");
            }
            try {
                return SegmentRule.parse(segment);
            } catch (InvalidSegmentRuleException e) {
                throw new InvalidInputException(List.of(new InvalidInputException.FieldError("segment", e.getMessage(), e.column())));
            }
        }
        if (!hasTag) {
            return null;
        }
        try {
            SegmentRule rule = SegmentRule.parse(tag);
            if (!rule.isTagList()) {
                throw InvalidInputException.of("tag", "takes tags separated by commas; use segment= for an expression");
            }
            return rule;
        } catch (InvalidSegmentRuleException e) {
            throw InvalidInputException.of("tag", e.getMessage());
        }
    }

    private static String status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        String s = status.trim().toUpperCase(Locale.ROOT);
        if (!s.equals(RecipientService.ACTIVE) && !s.equals(RecipientService.UNSUBSCRIBED) && !s.equals(RecipientService.BOUNCED)) {
            throw InvalidInputException.of("status", "must be ACTIVE, UNSUBSCRIBED or BOUNCED");
        }
        return s;
    }

    private static String string(Map<String, Object> raw, String field) {
        Object value = raw.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw InvalidInputException.of(field, "must be a string");
        }
        return s;
    }

    /** Attribute values may be sent as strings, numbers or booleans; they are stored as text. */
    private static Map<String, String> attributes(Map<String, Object> raw) {
        if (raw == null) {
            return null;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (v instanceof Map || v instanceof List) {
                throw InvalidInputException.of("attributes." + e.getKey(), "must be a string, number or boolean");
            }
            attributes.put(e.getKey(), String.valueOf(v));
        }
        return attributes;
    }
}
