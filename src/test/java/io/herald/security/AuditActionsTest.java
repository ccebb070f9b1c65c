package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AuditActionsTest {
    @Test
    void namesActionsFromRoutes() {
        assertThat(AuditActions.describe("POST", "/campaigns", Map.of(), "/campaigns/42"))
                .isEqualTo(new AuditActions.Described("campaign.create", "campaign", "42"));
        assertThat(AuditActions.describe("POST", "/campaigns/{id}/send", Map.of("id", "7"), null))
                .isEqualTo(new AuditActions.Described("campaign.send", "campaign", "7"));
        assertThat(AuditActions.describe("POST", "/campaigns/{id}/retry-failed", Map.of("id", "7"), null).action())
                .isEqualTo("campaign.retry_failed");
        assertThat(AuditActions.describe("PATCH", "/campaigns/{id}", Map.of("id", "7"), null).action()).isEqualTo("campaign.update");
        assertThat(AuditActions.describe("DELETE", "/recipients/{id}", Map.of("id", "3"), null))
                .isEqualTo(new AuditActions.Described("recipient.delete", "recipient", "3"));
        assertThat(AuditActions.describe("POST", "/recipients/import", Map.of(), "/imports/9"))
                .isEqualTo(new AuditActions.Described("recipient.import", "recipient", "9"));
        assertThat(AuditActions.describe("POST", "/v1/camp/create", Map.of(), null).action()).isEqualTo("campaign.create");
        assertThat(AuditActions.describe("DELETE", "/api-keys/{id}", Map.of("id", "5"), null))
                .isEqualTo(new AuditActions.Described("api_key.delete", "api_key", "5"));
        assertThat(AuditActions.describe("POST", "/widgets/{id}/spin", Map.of("id", "1"), null).action()).isEqualTo("widget.spin");
    }
}
