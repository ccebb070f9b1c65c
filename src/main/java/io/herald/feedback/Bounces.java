package io.herald.feedback;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herald.InvalidInputException;
import io.herald.audience.Recipient;
import io.herald.audience.RecipientNotFoundException;
import io.herald.audience.RecipientService;
import io.herald.dispatch.DeliveryReport;
import io.herald.dispatch.MessageLedger;
import io.herald.security.AuditLog;
import io.herald.security.HeraldPrincipal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bounces and complaints, from the generic webhook or Amazon SES. A hard bounce makes the recipient BOUNCED at
 * once; {@code herald.bounces.soft-limit} soft bounces within {@code soft-window} do too; a complaint unsubscribes
 * them with reason {@code complaint}. Each of those puts the address on the {@link SuppressionList}, so no later
 * send or import reaches it, and messages still queued for the recipient are cancelled by the workers. The
 * message the report is about shows it ({@code bounced}, {@code soft_bounced}, {@code complained}) and counts in
 * its campaign's {@code bounced} or {@code complaints}.
 */
@Service
public class Bounces {
    /** The Message-ID Herald's email carries: {@code <herald-{campaign}-{recipient}@domain>}. */
    private static final Pattern HERALD_MESSAGE_ID = Pattern.compile("^<?herald-(\\d{1,18})-(\\d{1,18})(@[^>]*)?>?$");
    private static final Pattern NUMBER = Pattern.compile("^\\d{1,18}$");

    private final JdbcClient jdbc;
    private final RecipientService recipients;
    private final MessageLedger ledger;
    private final MessageReports reports;
    private final SuppressionList suppressions;
    private final AuditLog audit;
    private final BounceProperties properties;

    Bounces(JdbcClient jdbc, RecipientService recipients, MessageLedger ledger, MessageReports reports,
            SuppressionList suppressions, AuditLog audit, BounceProperties properties) {
        this.jdbc = jdbc;
        this.recipients = recipients;
        this.ledger = ledger;
        this.reports = reports;
        this.suppressions = suppressions;
        this.audit = audit;
        this.properties = properties;
    }

    @Transactional
    public BounceResult record(BounceReport report, HeraldPrincipal by, String remoteAddr) {
        if (report.type() == null) {
            throw InvalidInputException.of("type", "is required: hard, soft or complaint");
        }
        if (report.eventKey() != null) {
            Long earlier = jdbc.sql("SELECT id FROM bounces WHERE event_key = ?").param(report.eventKey())
                    .query(Long.class).optional().orElse(null);
            if (earlier != null) {
                return new BounceResult(earlier, null, null, false, null, null, true);
            }
        }
        Recipient recipient;
        RecipientService.Address address;
        if (report.email() != null || report.phone() != null) {
            address = report.email() != null ? recipients.address(report.email(), "email") : recipients.address(report.phone(), "phone");
            recipient = recipients.findByAddress(address).orElse(null);
        } else if (report.recipientId() != null) {
            recipient = recipients.find(report.recipientId()).filter(r -> !RecipientService.DELETED.equals(r.status()))
                    .orElseThrow(() -> new RecipientNotFoundException(report.recipientId()));
            String value = recipient.email() != null ? recipient.email() : recipient.phone();
            address = new RecipientService.Address(recipient.email() != null ? io.herald.Channel.EMAIL : io.herald.Channel.SMS, value);
        } else {
            throw InvalidInputException.of("email", "give the bounced email (or phone, or recipient_id)");
        }
        Optional<DeliveryReport> message = message(report, recipient);
        Long campaignId = message.map(DeliveryReport::campaignId).orElse(report.campaignId());
        Long recipientId = recipient != null ? Long.valueOf(recipient.id()) : message.map(DeliveryReport::recipientId).orElse(null);
        String reason = report.reason() == null || report.reason().isBlank() ? null : report.reason().strip();
        long bounceId = insert(report, address, recipientId, campaignId, message.map(DeliveryReport::messageId).orElse(null), reason);

        DeliveryStatus shown = switch (report.type()) {
            case HARD -> DeliveryStatus.BOUNCED;
            case SOFT -> DeliveryStatus.SOFT_BOUNCED;
            case COMPLAINT -> DeliveryStatus.COMPLAINED;
        };
        message.ifPresent(m -> reports.apply(m, shown, null, reason == null ? report.type().wire() + " bounce" : reason));

        String actor = by == null ? "system" : by.actor();
        boolean suppressed = false;
        switch (report.type()) {
            case HARD -> {
                suppressions.add(address, "hard_bounce", reason, recipientId, campaignId, actor);
                suppressed = true;
                deactivate(recipient, RecipientService.BOUNCED, "hard bounce" + (reason == null ? "" : ": " + reason));
            }
            case SOFT -> {
                long soft = recipientId == null ? 1 : jdbc.sql("SELECT COUNT(*) FROM bounces WHERE recipient_id = ?"
                                + " AND bounce_type = 'soft' AND created_at >= ?")
                        .params(recipientId, System.currentTimeMillis() - properties.softWindow().toMillis())
                        .query(Long.class).single();
                if (soft >= properties.softLimit()) {
                    suppressions.add(address, "soft_bounce", soft + " soft bounces within " + properties.softWindow().toDays()
                            + " days" + (reason == null ? "" : "; last: " + reason), recipientId, campaignId, actor);
                    suppressed = true;
                    deactivate(recipient, RecipientService.BOUNCED, soft + " soft bounces within "
                            + properties.softWindow().toDays() + " days" + (reason == null ? "" : "; last: " + reason));
                }
            }
            case COMPLAINT -> {
                suppressions.add(address, "complaint", reason, recipientId, campaignId, actor);
                suppressed = true;
                deactivate(recipient, RecipientService.UNSUBSCRIBED, "complaint");
            }
        }
        audit.record(by, report.type() == BounceReport.Type.COMPLAINT ? "recipient.complaint" : "recipient.bounce",
                "recipient", recipientId == null ? null : recipientId.toString(),
                report.type().wire() + " " + address.value() + " via " + report.source()
                        + (campaignId == null ? "" : " (campaign " + campaignId + ")"), remoteAddr);
        String status = recipientId == null ? null : recipients.find(recipientId).map(Recipient::status).orElse(null);
        return new BounceResult(bounceId, recipientId, status, suppressed, campaignId,
                message.map(DeliveryReport::messageId).orElse(null), false);
    }

    private void deactivate(Recipient recipient, String status, String reason) {
        if (recipient != null) {
            recipients.deactivate(recipient.id(), status, reason.length() <= 500 ? reason : reason.substring(0, 500));
        }
    }

    /** The message the report is about, locked, when it names one Herald knows. */
    private Optional<DeliveryReport> message(BounceReport report, Recipient recipient) {
        String ref = report.messageId() == null ? null : report.messageId().trim();
        if (ref != null && !ref.isEmpty()) {
            Matcher herald = HERALD_MESSAGE_ID.matcher(ref);
            if (herald.matches()) {
                return ledger.lockReportByRecipient(Long.parseLong(herald.group(1)), Long.parseLong(herald.group(2)));
            }
            if (NUMBER.matcher(ref).matches()) {
                if (report.campaignId() == null) {
                    throw InvalidInputException.of("campaign_id", "a numeric message_id needs its campaign_id");
                }
                return ledger.lockReport(report.campaignId(), Long.parseLong(ref));
            }
        }
        if (report.campaignId() != null && recipient != null) {
            return ledger.lockReportByRecipient(report.campaignId(), recipient.id());
        }
        return Optional.empty();
    }

    private long insert(BounceReport report, RecipientService.Address address, Long recipientId, Long campaignId,
                        Long messageId, String reason) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO bounces (recipient_id, address, bounce_type, campaign_id, message_id, reason, source, event_key,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(recipientId, address.value(), report.type().wire(), campaignId, messageId,
                        reason == null || reason.length() <= 500 ? reason : reason.substring(0, 500), report.source(),
                        report.eventKey(), System.currentTimeMillis())
                .update(keys, "id");
        return keys.getKey().longValue();
    }
}
