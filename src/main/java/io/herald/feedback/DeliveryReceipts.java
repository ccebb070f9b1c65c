package io.herald.feedback;

import java.util.Optional;

import io.herald.dispatch.DeliveryReport;
import io.herald.dispatch.MessageLedger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * SMS delivery receipts: the gateway's status callbacks for a message ({@code sent}, {@code delivered},
 * {@code undelivered}, {@code failed}). {@code delivered} sets the message's {@code delivered_at} and counts in the
 * campaign's {@code delivered}; {@code undelivered}/{@code failed} count in {@code undelivered} with the error
 * code. A receipt that repeats or predates what the message already has changes nothing; one that overtakes the
 * send's own outcome is stored all the same (the message is found by the ids in its callback URL).
 */
@Service
public class DeliveryReceipts {
    private static final Logger log = LoggerFactory.getLogger(DeliveryReceipts.class);

    private final MessageLedger ledger;
    private final MessageReports reports;

    DeliveryReceipts(MessageLedger ledger, MessageReports reports) {
        this.ledger = ledger;
        this.reports = reports;
    }

    /** What a receipt did. */
    public enum Result { APPLIED, UNCHANGED, UNKNOWN_MESSAGE, NOT_RECORDED }

    @Transactional
    public Result smsStatus(long campaignId, long messageId, String sid, String status, String errorCode, String errorMessage) {
        DeliveryStatus report = DeliveryStatus.fromSmsStatus(status);
        if (report == null) {
            return Result.NOT_RECORDED;
        }
        Optional<DeliveryReport> message = ledger.lockReport(campaignId, messageId);
        if (message.isEmpty()) {
            log.warn("Delivery receipt for unknown message {} of campaign {} (sid {}) ignored", messageId, campaignId, sid);
            return Result.UNKNOWN_MESSAGE;
        }
        String known = message.get().providerMessageId();
        if (known != null && sid != null && !known.equals(sid)) {
            log.warn("Delivery receipt for message {} names sid {} but the gateway accepted it as {}; ignored",
                    messageId, sid, known);
            return Result.UNCHANGED;
        }
        String error = null;
        if (report == DeliveryStatus.UNDELIVERED || report == DeliveryStatus.FAILED) {
            error = (errorCode == null || errorCode.isBlank() ? "gateway reported " + report.wire() : "error " + errorCode.trim())
                    + (errorMessage == null || errorMessage.isBlank() ? "" : ": " + errorMessage.trim());
        }
        return reports.apply(message.get(), report, sid, error) ? Result.APPLIED : Result.UNCHANGED;
    }
}
