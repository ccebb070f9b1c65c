package io.herald.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.herald.testsupport.Api;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Secure mode: Prometheus scrapes {@code /actuator/prometheus} with an API key of role viewer (or above); without a
 * key the answer is 401 problem+json, a webhook key (which reads nothing) gets 403, and health stays public.
 */
class PrometheusEndpointSecurityIT extends SecureHeraldTestBase {
    /** The Accept header Prometheus sends when it scrapes. */
    private static final String SCRAPE = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    @LocalServerPort
    int port;

    @Test
    void aViewerKeyScrapesPrometheusAndNoKeyIsRefused() {
        SecureClient admin = SecureClient.withKey(port, ADMIN_KEY);
        String viewerKey = key(admin, "prometheus-scraper", "viewer");
        String webhookKey = key(admin, "prometheus-webhook", "webhook");

        Api.Response scraped = SecureClient.withKey(port, viewerKey).get("/actuator/prometheus", "text/plain;version=0.0.4");
        assertThat(scraped.status()).as(scraped.body()).isEqualTo(200);
        assertThat(scraped.contentType()).startsWith("text/plain");
        assertThat(scraped.body()).contains("# TYPE herald_messages_total counter", "jvm_memory_used_bytes",
                "http_server_requests_seconds");
        assertThat(SecureClient.withKey(port, ADMIN_KEY).get("/actuator/prometheus", SCRAPE).status()).isEqualTo(200);

        Api.Response anonymous = SecureClient.anonymous(port).get("/actuator/prometheus", SCRAPE);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(SecureClient.withKey(port, "hk_not-a-key").get("/actuator/prometheus", SCRAPE).status()).isEqualTo(401);
        assertThat(SecureClient.withKey(port, webhookKey).get("/actuator/prometheus", SCRAPE).status()).isEqualTo(403);

        assertThat(SecureClient.anonymous(port).get("/actuator/health").status()).isEqualTo(200);
        assertThat(SecureClient.anonymous(port).get("/actuator/metrics").status()).isEqualTo(401);
    }

    private static String key(SecureClient admin, String name, String role) {
        Api.Response created = admin.post("/api-keys", Api.json(Map.of("name", name, "role", role)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("key").asString();
    }
}
