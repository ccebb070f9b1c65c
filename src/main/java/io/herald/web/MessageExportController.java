package io.herald.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import io.herald.audience.AudienceService;
import io.herald.audience.Contact;
import io.herald.campaign.CampaignService;
import io.herald.dispatch.MessageLedger;
import io.herald.dispatch.MessageRecord;
import io.herald.dispatch.MessageStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A campaign's messages as CSV, streamed page by page (newest first). Text cells are made safe to open
 * in a spreadsheet ({@link CsvCells}).
 */
@RestController
@Tag(name = "Campaigns")
class MessageExportController {
    private static final int PAGE = 1000;
    private static final String[] HEADER = {"message_id", "recipient_id", "name", "email", "tags", "status", "attempts",
            "created_at", "sent_at", "latency_ms", "last_error", "idempotency_key", "provider_message_id", "segments",
            "delivery_status", "delivered_at", "delivery_error"};

    private final CampaignService campaigns;
    private final MessageLedger messages;
    private final AudienceService audience;

    MessageExportController(CampaignService campaigns, MessageLedger messages, AudienceService audience) {
        this.campaigns = campaigns;
        this.messages = messages;
        this.audience = audience;
    }

    @GetMapping(path = "/campaigns/{id}/messages.csv", produces = "text/csv")
    @Operation(summary = "Export messages as CSV", description = "Every message of the campaign (or those with ?status=), "
            + "newest first. Cells starting with = + - @ tab or CR are prefixed with ' so spreadsheets never run them.")
    void export(@PathVariable long id,
                @Parameter(description = "QUEUED, RETRYING, SENT, FAILED or CANCELLED") @RequestParam(required = false) String status,
                HttpServletResponse response) throws IOException {
        campaigns.get(id);
        MessageStatus filter = status == null || status.isBlank() ? null : parse(status);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"campaign-" + id + "-messages.csv\"");
        Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            long before = Long.MAX_VALUE;
            while (true) {
                List<MessageRecord> page = messages.page(id, filter, before, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                Map<Long, Contact> contacts = audience.contacts(page.stream().map(MessageRecord::recipientId).distinct().toList());
                for (MessageRecord m : page) {
                    Contact c = contacts.get(m.recipientId());
                    csv.printRecord(m.id(), m.recipientId(),
                            CsvCells.safe(c == null ? null : c.name()),
                            CsvCells.safe(c == null ? null : c.email()),
                            CsvCells.safe(c == null ? "" : String.join(",", c.tags())),
                            m.status().name(), m.attempts(), m.createdAt(), m.sentAt(), m.latencyMs(),
                            CsvCells.safe(m.lastError()), m.idempotencyKey(), CsvCells.safe(m.providerMessageId()),
                            m.segments(), m.deliveryStatus(), m.deliveredAt(), CsvCells.safe(m.deliveryError()));
                }
                csv.flush();
                if (page.size() < PAGE) {
                    break;
                }
                before = page.get(page.size() - 1).id();
            }
        }
    }

    private static MessageStatus parse(String status) {
        try {
            return MessageStatus.valueOf(status.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw io.herald.InvalidInputException.of("status", "must be one of " + List.of(MessageStatus.values()));
        }
    }
}
