package io.herald.feedback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.herald.InvalidInputException;
import io.herald.security.HeraldPrincipal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Amazon SES feedback delivered by SNS ({@code POST /webhooks/ses}): the subscription is confirmed when SNS asks,
 * and Bounce (Permanent → hard, Transient/Undetermined → soft) and Complaint notifications go to {@link Bounces},
 * one report per recipient, keyed by the SNS message id so that a redelivery counts once. The message is matched by
 * the Message-ID or {@code X-Herald-Campaign} header that Herald's email carried. Every SNS message's signature is
 * checked first; {@code herald.webhooks.ses.topic-arns}, when set, also limits which topics are accepted.
 */
@Service
public class SesFeedback {
    private static final Logger log = LoggerFactory.getLogger(SesFeedback.class);
    private static final HeraldPrincipal SES = HeraldPrincipal.provider("ses");

    private final Bounces bounces;
    private final SnsVerifier verifier;
    private final Set<String> topics;
    private final JsonMapper json = JsonMapper.builder().build();

    SesFeedback(Bounces bounces,
                @Value("${herald.webhooks.ses.sns-url-pattern:https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/.*}") String urlPattern,
                @Value("${herald.webhooks.ses.topic-arns:}") List<String> topics) {
        this.bounces = bounces;
        this.verifier = new SnsVerifier(Pattern.compile(urlPattern));
        this.topics = Set.copyOf(topics.stream().map(String::trim).filter(t -> !t.isEmpty()).toList());
    }

    /** What one SNS message did: its type and the reports it made. */
    public record Outcome(String type, List<BounceResult> reports) {
    }

    public Outcome handle(String body, String remoteAddr) {
        JsonNode message = parse(body, "body");
        verifier.verify(message);
        String type = SnsVerifier.text(message, "Type");
        String topic = SnsVerifier.text(message, "TopicArn");
        if (!topics.isEmpty() && !topics.contains(topic)) {
            throw new InvalidSignatureException("topic " + topic + " is not in herald.webhooks.ses.topic-arns");
        }
        switch (type == null ? "" : type) {
            case "SubscriptionConfirmation" -> {
                verifier.confirm(SnsVerifier.text(message, "SubscribeURL"));
                log.info("Confirmed the SNS subscription to {}", topic);
                return new Outcome(type, List.of());
            }
            case "Notification" -> {
                return new Outcome(type, notification(SnsVerifier.text(message, "MessageId"),
                        parse(SnsVerifier.text(message, "Message"), "Message"), remoteAddr));
            }
            default -> {
                return new Outcome(type, List.of());
            }
        }
    }

    private List<BounceResult> notification(String snsId, JsonNode ses, String remoteAddr) {
        String kind = SnsVerifier.text(ses, "notificationType");
        if (kind == null) {
            kind = SnsVerifier.text(ses, "eventType"); // SES event publishing names it so
        }
        JsonNode mail = ses.get("mail");
        String messageId = heraldMessageId(mail);
        Long campaignId = header(mail, "X-Herald-Campaign");
        List<BounceResult> results = new ArrayList<>();
        if ("Bounce".equals(kind)) {
            JsonNode bounce = ses.get("bounce");
            String bounceType = SnsVerifier.text(bounce, "bounceType");
            BounceReport.Type type = "Permanent".equals(bounceType) ? BounceReport.Type.HARD : BounceReport.Type.SOFT;
            for (JsonNode recipient : array(bounce, "bouncedRecipients")) {
                String email = SnsVerifier.text(recipient, "emailAddress");
                String reason = SnsVerifier.text(recipient, "diagnosticCode");
                if (reason == null) {
                    reason = bounceType + "/" + SnsVerifier.text(bounce, "bounceSubType");
                }
                results.add(report(email, type, campaignId, messageId, reason, snsId, remoteAddr));
            }
        } else if ("Complaint".equals(kind)) {
            JsonNode complaint = ses.get("complaint");
            String feedback = SnsVerifier.text(complaint, "complaintFeedbackType");
            for (JsonNode recipient : array(complaint, "complainedRecipients")) {
                results.add(report(SnsVerifier.text(recipient, "emailAddress"), BounceReport.Type.COMPLAINT, campaignId,
                        messageId, feedback == null ? "complaint" : "complaint: " + feedback, snsId, remoteAddr));
            }
        }
        return results;
    }

    private BounceResult report(String email, BounceReport.Type type, Long campaignId, String messageId, String reason,
                                String snsId, String remoteAddr) {
        if (email == null) {
            throw InvalidInputException.of("Message", "a recipient without emailAddress");
        }
        // SES writes "Name <address>" when the original To had a display name.
        String address = email.contains("<") ? email.substring(email.indexOf('<') + 1, email.lastIndexOf('>')) : email;
        return bounces.record(new BounceReport(address, null, null, type, campaignId, messageId, reason, "ses",
                snsId == null ? null : snsId + ":" + address.toLowerCase(java.util.Locale.ROOT)), SES, remoteAddr);
    }

    /** The Message-ID Herald gave the email, from the common headers or the original headers. */
    private static String heraldMessageId(JsonNode mail) {
        JsonNode common = mail == null ? null : mail.get("commonHeaders");
        String id = SnsVerifier.text(common, "messageId");
        if (id != null && id.contains("herald-")) {
            return id;
        }
        for (JsonNode header : array(mail, "headers")) {
            if ("Message-ID".equalsIgnoreCase(SnsVerifier.text(header, "name"))) {
                return SnsVerifier.text(header, "value");
            }
        }
        return null;
    }

    private static Long header(JsonNode mail, String name) {
        for (JsonNode header : array(mail, "headers")) {
            if (name.equalsIgnoreCase(SnsVerifier.text(header, "name"))) {
                try {
                    return Long.parseLong(SnsVerifier.text(header, "value").trim());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static List<JsonNode> array(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        List<JsonNode> items = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(items::add);
        }
        return items;
    }

    private JsonNode parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw InvalidInputException.of(field, "is empty; expected an SNS message (JSON)");
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw InvalidInputException.of(field, "is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw InvalidInputException.of(field, "is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
