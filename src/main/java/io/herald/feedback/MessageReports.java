package io.herald.feedback;

import io.herald.dispatch.DeliveryReport;
import io.herald.dispatch.MessageLedger;
import io.herald.stats.StatsService;

import org.springframework.stereotype.Component;

/** Applies one report to a locked message row and moves the campaign's counters by what changed. */
@Component
class MessageReports {
    private final MessageLedger ledger;
    private final StatsService stats;

    MessageReports(MessageLedger ledger, StatsService stats) {
        this.ledger = ledger;
        this.stats = stats;
    }

    /** True when the report changed the message (false: a repeat, or older news than it already has). */
    boolean apply(DeliveryReport message, DeliveryStatus report, String providerMessageId, String error) {
        DeliveryStatus current = DeliveryStatus.fromWire(message.deliveryStatus());
        if (!report.follows(current)) {
            return false;
        }
        Long deliveredAt = report == DeliveryStatus.DELIVERED ? System.currentTimeMillis() : null;
        ledger.storeReport(message.campaignId(), message.messageId(), report.wire(), providerMessageId, deliveredAt, error);
        long[] c = report.counts(current);
        if (c[0] + c[1] + c[2] + c[3] > 0) {
            stats.addFeedback(message.campaignId(), c[0], c[1], c[2], c[3]);
        }
        return true;
    }
}
