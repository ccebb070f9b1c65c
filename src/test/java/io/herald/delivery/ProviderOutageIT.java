package io.herald.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import io.herald.testsupport.Api;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provider outage in the middle of a campaign (the webhook provider answering 503 for {@value #OUTAGE_SECONDS} s,
 * starting one second into a 2,000-recipient send): the circuit breaker opens, messages wait without spending
 * attempts, a few probes test the provider, and once it is back every message is SENT exactly once, none FAILED.
 * The stats show the breaker OPEN with the provider's error while it lasts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProviderOutageIT {
    static final int OUTAGE_SECONDS = Integer.getInteger("herald.test.outage-seconds", 20);
    static final int RECIPIENTS = 2_000;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Provider provider = new Provider();

    @LocalServerPort
    int port;

    /** The webhook provider's far end: accepts, or answers 503 while {@code down}; counts calls by idempotency key. */
    static final class Provider {
        final HttpServer server;
        volatile boolean down;
        final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        final AtomicLong refusedWhileDown = new AtomicLong();

        Provider() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(16));
            server.createContext("/deliveries", exchange -> {
                try (exchange; InputStream in = exchange.getRequestBody()) {
                    JsonNode body = JSON.readTree(in.readAllBytes());
                    if (down) {
                        refusedWhileDown.incrementAndGet();
                        byte[] text = "maintenance".getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(503, text.length);
                        exchange.getResponseBody().write(text);
                        return;
                    }
                    accepted.computeIfAbsent(body.path("idempotency_key").asString(), k -> new AtomicInteger()).incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries";
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.H2.create().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("herald.demo-data", () -> "false");
        registry.add("herald.provider.type", () -> "webhook");
        registry.add("herald.provider.webhook.url", provider::url);
        // The campaign takes about 30 s, so the outage hits its middle.
        registry.add("herald.delivery.rate-per-sec", () -> "100");
        registry.add("herald.delivery.circuit-breaker.wait-in-open-state", () -> "10s");
    }

    @AfterAll
    static void stop() {
        provider.server.stop(0);
    }

    @Test
    void anOutageEndsWithEveryMessageSentOnceAndNoneFailed() throws Exception {
        Api api = new Api(port);
        StringBuilder csv = new StringBuilder("name,email,tags\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            csv.append("R").append(i).append(",r").append(i).append("@outage.test,outage\n");
        }
        assertThat(api.upload("/recipients/import", "outage.csv", csv.toString().getBytes(StandardCharsets.UTF_8), Map.of())
                .status()).isBetween(200, 202);
        long deadline = System.currentTimeMillis() + 60_000;
        while (api.get("/recipients/count?tag=outage").json().path("count").asLong() < RECIPIENTS) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(200);
        }
        long id = api.post("/campaigns", Map.of("name", "Outage", "channel", "email", "subject", "Outage", "template", "Hi {{name}}",
                "segment_rule", "outage")).json().path("id").asLong();
        api.post("/campaigns/" + id + "/send");
        Thread.sleep(1_000);
        provider.down = true;
        long downAt = System.nanoTime();
        JsonNode open = api.waitForStats(id, s -> "OPEN".equals(s.path("provider_state").asString()), Duration.ofSeconds(20));
        assertThat(open.path("provider").asString()).isEqualTo("webhook");
        assertThat(open.path("provider_last_error").asString()).contains("503");
        assertThat(open.path("provider_state_since").isNull()).isFalse();
        // The console's campaign page shows the outage as a banner with the provider's error.
        io.herald.testsupport.Browser.require();
        try (io.herald.testsupport.Browser browser = io.herald.testsupport.Browser.start("http://127.0.0.1:" + port)) {
            browser.open("/ui/campaigns/" + id);
            browser.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    io.herald.testsupport.Browser.testId("provider-outage"), "Provider webhook is unavailable since"));
            browser.until(org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated(
                    io.herald.testsupport.Browser.testId("provider-last-error"), "webhook answered 503: maintenance"));
            browser.screenshot("provider-outage-banner");
        }
        Thread.sleep(Math.max(0, OUTAGE_SECONDS * 1000L - (System.nanoTime() - downAt) / 1_000_000));
        provider.down = false;
        long upAt = System.nanoTime();
        JsonNode done = api.waitForStats(id, s -> "COMPLETED".equals(s.path("status").asString()), Duration.ofSeconds(180));
        double recoverySeconds = (System.nanoTime() - upAt) / 1e9;

        assertThat(done.path("sent").asLong()).isEqualTo(RECIPIENTS);
        assertThat(done.path("failed").asLong()).isZero();
        assertThat(provider.accepted).hasSize(RECIPIENTS);
        assertThat(provider.accepted.values()).allMatch(n -> n.get() == 1);
        assertThat(done.path("provider_state").asString()).isEqualTo("CLOSED");
        // A handful of calls reach the provider while it is down (the ones that opened the breaker, those in flight
        // at that moment, and 3 probes per 10 s), not thousands.
        long perMinute = provider.refusedWhileDown.get() * 60 / OUTAGE_SECONDS;
        System.out.printf("provider outage: %d s, %d calls refused while down (%d/min), recovered %.1f s after it ended%n",
                OUTAGE_SECONDS, provider.refusedWhileDown.get(), perMinute, recoverySeconds);
        // Up to 3 probes per 10 s open period (twice that as slack), plus the calls that opened the breaker.
        assertThat(provider.refusedWhileDown.get()).isLessThan(40 + OUTAGE_SECONDS * 3 / 10 * 2);
        JsonNode messages = api.get("/campaigns/" + id + "/messages?limit=1000").json().path("items");
        for (JsonNode m : messages) {
            // Waiting out the outage did not spend the messages' attempts (at most the few that opened the breaker).
            assertThat(m.path("attempts").asInt()).isLessThanOrEqualTo(2);
        }
    }
}
