package io.herald.security;

import java.util.List;

import io.herald.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log (admin only), newest first, keyset-paged. */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Tag(name = "Audit", description = "Admin: who created, sent, paused, cancelled, imported or deleted what")
class AuditController {
    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    record AuditPage(List<AuditEntry> items, String nextCursor) {
    }

    @GetMapping("/audit")
    @Operation(summary = "Audit log, newest first", description = "actions: campaign.create, campaign.update, campaign.send, "
            + "campaign.pause, campaign.resume, campaign.cancel, campaign.retry_failed, recipient.create/update/delete/import, "
            + "api_key.create, api_key.delete (revoke), auth.login, auth.login_failed, auth.logout")
    AuditPage list(@Parameter(description = "exact actor, e.g. user:alice or key:3:ci") @RequestParam(required = false) String actor,
                   @Parameter(description = "exact action, e.g. campaign.send") @RequestParam(required = false) String action,
                   @Parameter(description = "1 to 500, default 50") @RequestParam(required = false) Integer limit,
                   @RequestParam(required = false) String cursor) {
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > 500) {
            throw InvalidInputException.of("limit", "must be between 1 and 500");
        }
        long before = Long.MAX_VALUE;
        if (cursor != null && !cursor.isBlank()) {
            try {
                before = Long.parseLong(cursor.trim());
            } catch (NumberFormatException e) {
                throw InvalidInputException.of("cursor", "is not a cursor returned by this API");
            }
        }
        List<AuditEntry> rows = audit.page(blankToNull(actor), blankToNull(action), before, size + 1);
        boolean more = rows.size() > size;
        List<AuditEntry> page = more ? rows.subList(0, size) : rows;
        return new AuditPage(page, more ? Long.toString(page.get(page.size() - 1).id()) : null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
