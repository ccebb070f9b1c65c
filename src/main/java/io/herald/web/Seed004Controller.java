package io.herald.web;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.herald.InvalidInputException;
import io.herald.audience.ImportOptions;
import io.herald.audience.ImportPathException;
import io.herald.audience.ImportRejectedException;
import io.herald.audience.ImportResult;
import io.herald.audience.ImportService;
import io.herald.audience.ImportTooLargeException;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignDraft;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStateException;
import io.herald.campaign.CampaignStatus;
import io.herald.template.TemplateEngine;
import io.herald.template.TemplateSyntaxException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 004's API, kept wire-compatible: {@code POST /v1/camp/create} imports a CSV from the import folder,
 * tags its recipients {@code camp-<campaign_id>}, and creates a campaign targeting exactly that tag, sent
 * now or scheduled. Answers are {@code {code, msg, data}} (code 0 = success), not problem+json, because
 * that is what seed 004's clients read.
 */
@RestController
@Tag(name = "Seed 004 compatibility")
class Seed004Controller {
    private static final Logger log = LoggerFactory.getLogger(Seed004Controller.class);
    static final int INVALID_REQUEST = 1001;
    static final int PATH_REFUSED = 1002;
    static final int FILE_NOT_FOUND = 1003;
    static final int INVALID_CSV = 1004;
    static final int FILE_TOO_LARGE = 1005;
    static final int CONFLICT = 1006;
    static final int INTERNAL = 1500;
    /** 9999-12-31T23:59:59Z: anything later is not unix seconds (milliseconds, most likely). */
    private static final long MAX_SECONDS = 253_402_300_799L;

    private final CampaignService campaigns;
    private final ImportService imports;
    private final JsonMapper json;
    private final TemplateEngine templates;

    Seed004Controller(CampaignService campaigns, ImportService imports, JsonMapper json, TemplateEngine templates) {
        this.templates = templates;
        this.campaigns = campaigns;
        this.imports = imports;
        this.json = json;
    }

    /** A failure answered as {@code {code, msg}} with the given HTTP status. */
    static final class Seed004Exception extends RuntimeException {
        final int code;
        final HttpStatus status;

        Seed004Exception(int code, HttpStatus status, String message) {
            super(message);
            this.code = code;
            this.status = status;
        }
    }

    record CreateRequest(String campaignName, long campaignId, String messageTemplate, long scheduledTime, String csvFilePath) {
    }

    @PostMapping(path = "/v1/camp/create", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Seed 004: create a campaign from a CSV file",
            description = "Body {campaign_name, campaign_id, message_template, scheduled_time (unix seconds; 0 or past = now), "
                    + "csv_file_path (relative to herald.import.dir)}. Answers {code: 0, msg: \"success\", data: {id}}; "
                    + "a repeated campaign_id creates nothing and answers the existing id with data.created=false. "
                    + "Errors: {code: non-zero, msg} with a 4xx status.")
    ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) String body) {
        CreateRequest request = parse(body);
        Optional<Campaign> existing = campaigns.findByExternalId(request.campaignId());
        if (existing.isPresent()) {
            return ResponseEntity.ok(success(finishInterrupted(existing.get()), false, null));
        }
        Path file = resolve(request.csvFilePath());
        String tag = "camp-" + request.campaignId();
        long now = System.currentTimeMillis();
        Instant scheduledAt = request.scheduledTime() * 1000 > now + 1000 ? Instant.ofEpochSecond(request.scheduledTime()) : null;
        // Validate the whole campaign before importing anything, so a refused campaign leaves no recipients behind.
        validateCampaign(request, tag, scheduledAt);
        ImportResult imported = imports.importFile(file, new ImportOptions(List.of(tag), false));
        if (imported.imported() + imported.updated() == 0) {
            String why = imported.errors().isEmpty() ? "" : ": row " + imported.errors().get(0).row()
                    + (imported.errors().get(0).column() == null ? "" : " " + imported.errors().get(0).column())
                    + ": " + imported.errors().get(0).message();
            throw new Seed004Exception(INVALID_CSV, HttpStatus.BAD_REQUEST, "the CSV file has no valid recipients" + why);
        }
        Campaign campaign;
        try {
            // Seed 004 texts the phone numbers of its CSV.
            campaign = campaigns.create(CampaignDraft.bodyOnly(request.campaignName(), io.herald.Channel.SMS,
                    request.messageTemplate(), tag, scheduledAt, request.campaignId()));
        } catch (DataIntegrityViolationException e) {
            // The same campaign_id was created concurrently: that one stands.
            Campaign winner = campaigns.findByExternalId(request.campaignId()).orElseThrow(() -> e);
            return ResponseEntity.ok(success(winner, false, imported));
        }
        if (scheduledAt == null) {
            campaign = campaigns.send(campaign.id());
        }
        log.info("Seed 004 campaign {} (campaign_id {}) created: {} recipients imported, {} updated, {} skipped, {}",
                campaign.id(), request.campaignId(), imported.imported(), imported.updated(), imported.skipped(),
                scheduledAt == null ? "sending now" : "scheduled at " + scheduledAt);
        return ResponseEntity.ok(success(campaign, true, imported));
    }

    /** A send-now campaign whose first request died between create and send is sent by the retry. */
    private Campaign finishInterrupted(Campaign campaign) {
        if (campaign.status() == CampaignStatus.DRAFT) {
            try {
                return campaigns.send(campaign.id());
            } catch (CampaignStateException e) {
                return campaigns.get(campaign.id());
            }
        }
        return campaign;
    }

    private void validateCampaign(CreateRequest request, String tag, Instant scheduledAt) {
        if (request.campaignName().length() > 200) {
            throw badField("campaign_name", "must be at most 200 characters");
        }
        try {
            templates.compile(request.messageTemplate());
        } catch (TemplateSyntaxException e) {
            throw badField("message_template", "does not parse: " + e.getMessage());
        }
        // everything else create() checks (the template's length, say): refused now, not after the import
        campaigns.check(CampaignDraft.bodyOnly(request.campaignName(), io.herald.Channel.SMS, request.messageTemplate(), tag,
                scheduledAt, request.campaignId()));
    }

    private Path resolve(String path) {
        try {
            return imports.resolveInImportDir(path);
        } catch (ImportPathException e) {
            throw e.missing() ? new Seed004Exception(FILE_NOT_FOUND, HttpStatus.NOT_FOUND, e.getMessage())
                    : new Seed004Exception(PATH_REFUSED, HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    private CreateRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new Seed004Exception(INVALID_REQUEST, HttpStatus.BAD_REQUEST, "a JSON request body is required");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JacksonException e) {
            throw new Seed004Exception(INVALID_REQUEST, HttpStatus.BAD_REQUEST, "the request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Seed004Exception(INVALID_REQUEST, HttpStatus.BAD_REQUEST, "the request body must be a JSON object");
        }
        String name = text(node, "campaign_name", true);
        long campaignId = number(node, "campaign_id", true);
        if (campaignId <= 0) {
            throw badField("campaign_id", "must be a positive integer");
        }
        String template = text(node, "message_template", true);
        long scheduledTime = number(node, "scheduled_time", false);
        if (scheduledTime < 0 || scheduledTime > MAX_SECONDS) {
            throw badField("scheduled_time", "must be unix seconds (0 = now)");
        }
        String path = text(node, "csv_file_path", true);
        return new CreateRequest(name, campaignId, template, scheduledTime, path);
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw badField(field, "is required");
            }
            return null;
        }
        if (!value.isString()) {
            throw badField(field, "must be a string");
        }
        String text = value.asString();
        if (required && text.isBlank()) {
            throw badField(field, "must not be blank");
        }
        return text;
    }

    /** A whole number given as a JSON number or a numeric string (seed 004 clients send both). */
    private static long number(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw badField(field, "is required");
            }
            return 0;
        }
        try {
            BigDecimal number = value.isNumber() ? value.decimalValue()
                    : value.isString() ? new BigDecimal(value.asString().trim()) : null;
            if (number != null) {
                return number.longValueExact();
            }
        } catch (ArithmeticException | NumberFormatException | tools.jackson.databind.exc.JsonNodeException e) {
            // falls through (JsonNodeException: a number too large for a double, e.g. 1e999, reads as Infinity)
        }
        throw badField(field, "must be a whole number");
    }

    private static Seed004Exception badField(String field, String message) {
        return new Seed004Exception(INVALID_REQUEST, HttpStatus.BAD_REQUEST, field + " " + message);
    }

    private static Seed004Exception invalid(InvalidInputException e) {
        InvalidInputException.FieldError first = e.errors().get(0);
        String field = switch (first.field()) {
            case "name" -> "campaign_name";
            case "template" -> "message_template";
            case "scheduled_at" -> "scheduled_time";
            default -> first.field();
        };
        return badField(field, first.message());
    }

    private static Map<String, Object> success(Campaign campaign, boolean created, ImportResult imported) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", campaign.id());
        data.put("created", created);
        data.put("status", campaign.status().name());
        if (imported != null) {
            data.put("imported", imported.imported());
            data.put("updated", imported.updated());
            data.put("skipped", imported.skipped());
            data.put("errors", imported.errors().size() > 20 ? imported.errors().subList(0, 20) : imported.errors());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("msg", "success");
        body.put("data", data);
        return body;
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, int code, String msg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("msg", msg);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @ExceptionHandler(Seed004Exception.class)
    ResponseEntity<Map<String, Object>> seed004(Seed004Exception e) {
        return error(e.status, e.code, e.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ResponseEntity<Map<String, Object>> invalidInput(InvalidInputException e) {
        Seed004Exception mapped = invalid(e);
        return error(mapped.status, mapped.code, mapped.getMessage());
    }

    @ExceptionHandler(ImportRejectedException.class)
    ResponseEntity<Map<String, Object>> invalidCsv(ImportRejectedException e) {
        return error(HttpStatus.BAD_REQUEST, INVALID_CSV, e.getMessage());
    }

    @ExceptionHandler(ImportTooLargeException.class)
    ResponseEntity<Map<String, Object>> tooLarge(ImportTooLargeException e) {
        return error(HttpStatus.CONTENT_TOO_LARGE, FILE_TOO_LARGE, e.getMessage());
    }

    @ExceptionHandler(ImportPathException.class)
    ResponseEntity<Map<String, Object>> path(ImportPathException e) {
        return error(e.missing() ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST, e.missing() ? FILE_NOT_FOUND : PATH_REFUSED,
                e.getMessage());
    }

    @ExceptionHandler(CampaignStateException.class)
    ResponseEntity<Map<String, Object>> state(CampaignStateException e) {
        return error(HttpStatus.CONFLICT, CONFLICT, e.getMessage());
    }

    /**
     * A form-encoded body is parsed into parameters while Spring reads it, and the firewall may refuse their names or
     * Tomcat fail to decode them: the request is bad, not the server (the refused text is not echoed).
     */
    @ExceptionHandler({org.springframework.security.web.firewall.RequestRejectedException.class,
            org.apache.tomcat.util.http.InvalidParameterException.class})
    ResponseEntity<Map<String, Object>> rejected(RuntimeException e) {
        return error(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "the request body must be a JSON object");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("Seed 004 create failed", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL, "internal error; it has been logged");
    }
}
