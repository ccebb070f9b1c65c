package io.herald.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.herald.audience.ImportResult;
import io.herald.audience.ImportRowError;
import io.herald.audience.Recipient;
import io.swagger.v3.oas.annotations.media.Schema;

/** Request and response bodies of the recipient and import endpoints (snake_case on the wire). */
final class RecipientViews {
    private RecipientViews() {
    }

    @Schema(description = "A new recipient: at least one of email and phone")
    record RecipientRequest(@Schema(example = "Alice Chen") String name,
                            @Schema(example = "alice@example.com", nullable = true) String email,
                            @Schema(description = "E.164, or national for herald.audience.default-region", example = "+886912000001",
                                    nullable = true) String phone,
                            @Schema(example = "[\"vip\", \"tw\"]") List<String> tags,
                            @Schema(description = "Template variables, e.g. {\"city\": \"Taipei\"}") Map<String, Object> attributes) {
    }

    @Schema(description = "A recipient; status ACTIVE or UNSUBSCRIBED (unsubscribed ones get no further sends)")
    record RecipientView(long id, String name, String email, String phone, List<String> tags, Map<String, String> attributes,
                         @Schema(allowableValues = {"ACTIVE", "UNSUBSCRIBED", "BOUNCED"}) String status,
                         @Schema(description = "Why the recipient is not ACTIVE, when known (e.g. complaint)") String statusReason,
                         Instant createdAt) {
        static RecipientView of(Recipient r) {
            return new RecipientView(r.id(), r.name(), r.email(), r.phone(), r.tags(), r.attributes(), r.status(),
                    r.statusReason(), r.createdAt());
        }
    }

    record CountView(long count,
                     @io.swagger.v3.oas.annotations.media.Schema(description = "Matching, but without an address for the channel (only with channel)")
                     Long unreachable, String channel) {
    }

    record TagView(String tag, long count) {
    }

    record TagsView(List<TagView> items) {
    }

    @Schema(description = "A CSV import: rows = imported + updated + skipped; errors name the row (header = row 1) and column")
    record ImportView(long id, @Schema(allowableValues = {"RUNNING", "COMPLETED", "FAILED"}) String status, boolean dryRun,
                      long rows, long imported, long updated, long skipped, long bytesRead, long bytesTotal,
                      List<ImportRowError> errors, @Schema(nullable = true) String failure) {
        static ImportView of(ImportResult r) {
            return new ImportView(r.id(), r.status(), r.dryRun(), r.rows(), r.imported(), r.updated(), r.skipped(),
                    r.bytesRead(), r.bytesTotal(), r.errors(), r.failure());
        }
    }
}
