package io.herald.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.herald.InvalidInputException;
import io.herald.feedback.BounceReport;
import io.herald.feedback.BounceResult;
import io.herald.feedback.Bounces;
import io.herald.feedback.DeliveryReceipts;
import io.herald.feedback.InvalidSignatureException;
import io.herald.feedback.SesFeedback;
import io.herald.feedback.TwilioSignature;
import io.herald.provider.SmsGatewayProperties;
import io.herald.security.HeraldPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What providers send back: SMS delivery receipts (signed with the gateway's auth token), bounces and complaints
 * from any source (the webhook role), and Amazon SES notifications through SNS (signed by SNS).
 */
@RestController
@Tag(name = "Webhooks", description = "Delivery receipts, bounces and complaints reported by providers")
class FeedbackWebhookController {
    /** Stored as "api:" + event_id in a 300-character column. */
    static final int MAX_EVENT_ID = 200;
    private final DeliveryReceipts receipts;
    private final Bounces bounces;
    private final SesFeedback ses;
    private final SmsGatewayProperties sms;
    private final String publicUrl;

    FeedbackWebhookController(DeliveryReceipts receipts, Bounces bounces, SesFeedback ses, SmsGatewayProperties sms,
                              @Value("${herald.public-url:http://localhost:8080}") String publicUrl) {
        this.receipts = receipts;
        this.bounces = bounces;
        this.ses = ses;
        this.sms = sms;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    @PostMapping(path = "/webhooks/sms/status", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @Operation(summary = "SMS status callback (Twilio format)", description = "Form fields MessageSid, MessageStatus,"
            + " ErrorCode; signed with X-Twilio-Signature (HMAC-SHA1 with herald.sms.auth-token over the URL and the sorted"
            + " fields). 403 when the signature is missing or wrong.")
    Map<String, Object> smsStatus(HttpServletRequest request) {
        Map<String, List<String>> query = parseQuery(request.getQueryString());
        Map<String, List<String>> form = formFields(request, query);
        String url = publicUrl + request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        if (!sms.canVerifyCallbacks()) {
            throw new InvalidSignatureException("herald.sms.auth-token is not set, so no callback can be verified");
        }
        if (!TwilioSignature.valid(sms.authToken(), url, form, request.getHeader("X-Twilio-Signature"))) {
            throw new InvalidSignatureException("X-Twilio-Signature is missing or does not match this request");
        }
        long campaignId = idParameter(query, "c");
        long messageId = idParameter(query, "m");
        DeliveryReceipts.Result result = receipts.smsStatus(campaignId, messageId, first(form, "MessageSid"),
                first(form, "MessageStatus"), first(form, "ErrorCode"), first(form, "ErrorMessage"));
        return Map.of("result", result.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Schema(description = "A bounce or complaint: name the address (email or phone) or recipient_id")
    record BounceRequest(String email, String phone, Long recipientId,
                         @Schema(allowableValues = {"hard", "soft", "complaint"}, requiredMode = Schema.RequiredMode.REQUIRED) String type,
                         Long campaignId,
                         @Schema(description = "Herald's message id (with campaign_id) or the email's Message-ID header") String messageId,
                         String reason,
                         @Schema(description = "Your id for this report; a report sent again with the same id counts once") String eventId) {
    }

    @PostMapping("/webhooks/bounce")
    @Operation(summary = "Report a bounce or complaint", description = "hard → recipient BOUNCED; soft ×herald.bounces.soft-limit"
            + " within soft-window → BOUNCED; complaint → UNSUBSCRIBED (reason complaint). The address goes on the suppression"
            + " list. In secure mode: an API key of role webhook.")
    BounceResult bounce(@RequestBody BounceRequest body, HttpServletRequest request) {
        if (body == null) {
            throw InvalidInputException.of("type", "a JSON body is required");
        }
        if (body.eventId() != null && body.eventId().strip().length() > MAX_EVENT_ID) {
            throw InvalidInputException.of("event_id", "must be at most " + MAX_EVENT_ID + " characters");
        }
        BounceReport report = new BounceReport(blankToNull(body.email()), blankToNull(body.phone()), body.recipientId(),
                BounceReport.Type.parse(body.type()), body.campaignId(), blankToNull(body.messageId()), body.reason(), "api",
                body.eventId() == null || body.eventId().isBlank() ? null : "api:" + body.eventId().trim());
        try {
            return bounces.record(report, HeraldPrincipal.current(), request.getRemoteAddr());
        } catch (DuplicateKeyException e) {
            // The same event_id raced in twice: the first one counted.
            return new BounceResult(null, null, null, false, null, null, true);
        }
    }

    @PostMapping(path = "/webhooks/ses", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Amazon SES notifications through SNS", description = "SubscriptionConfirmation, Bounce and Complaint;"
            + " the SNS signature is checked (403 otherwise)")
    SesFeedback.Outcome ses(@RequestBody String body, HttpServletRequest request) {
        try {
            return ses.handle(body, request.getRemoteAddr());
        } catch (DuplicateKeyException e) {
            return new SesFeedback.Outcome("Notification", List.of());
        }
    }

    @ExceptionHandler(InvalidSignatureException.class)
    ResponseEntity<ProblemDetail> badSignature(InvalidSignatureException e) {
        ProblemDetail problem = ProblemHandler.problem(HttpStatus.FORBIDDEN, "invalid-signature", "Invalid signature", e.getMessage());
        problem.setProperty("errors", List.of(Map.of("field", "signature", "message", e.getMessage())));
        return ResponseEntity.status(HttpStatus.FORBIDDEN).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The POSTed fields: the request's parameters less those that came in the query string. */
    private static Map<String, List<String>> formFields(HttpServletRequest request, Map<String, List<String>> query) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            List<String> remaining = new ArrayList<>(List.of(values));
            query.getOrDefault(name, List.of()).forEach(remaining::remove);
            if (!remaining.isEmpty()) {
                form.put(name, remaining);
            }
        });
        return form;
    }

    private static Map<String, List<String>> parseQuery(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static long idParameter(Map<String, List<String>> query, String name) {
        String value = query.getOrDefault(name, List.of()).stream().findFirst().orElse(null);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw InvalidInputException.of(name, "the callback URL must carry the ids Herald put in StatusCallback (c and m)");
        }
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
