package io.herald.provider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookProviderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile long delayMs;
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private WebhookProvider provider;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/hook", exchange -> {
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = "nope".getBytes();
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        provider = new WebhookProvider(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static OutboundMessage message() {
        return new OutboundMessage(42, "herald-7-9", 7, io.herald.Channel.SMS,
                new OutboundMessage.Recipient(9, "Ann", "ann@example.com", "+886912345678"), "Hi Ann", null);
    }

    @Test
    void postsTheContractPayloadWithTheIdempotencyKeyAndTreats2xxAsSent() {
        status.set(202);
        assertThat(provider.send(message())).isEqualTo(SendResult.SENT);
        assertThat(keys).containsExactly("herald-7-9");
        JsonNode body = bodies.get(0);
        assertThat(body.get("message_id").asLong()).isEqualTo(42);
        assertThat(body.get("idempotency_key").asString()).isEqualTo("herald-7-9");
        assertThat(body.get("campaign_id").asLong()).isEqualTo(7);
        assertThat(body.get("recipient").get("id").asLong()).isEqualTo(9);
        assertThat(body.get("recipient").get("name").asString()).isEqualTo("Ann");
        assertThat(body.get("recipient").get("email").asString()).isEqualTo("ann@example.com");
        assertThat(body.get("recipient").get("phone").asString()).isEqualTo("+886912345678");
        assertThat(body.get("body").asString()).isEqualTo("Hi Ann");
    }

    @Test
    void retriesOn429And5xxAndSendsTheSameKeyEveryTime() {
        status.set(429);
        assertThat(provider.send(message())).isInstanceOf(SendResult.RetryableFailure.class);
        status.set(503);
        SendResult result = provider.send(message());
        assertThat(result).isInstanceOf(SendResult.RetryableFailure.class);
        assertThat(((SendResult.RetryableFailure) result).reason()).contains("503");
        assertThat(keys).containsExactly("herald-7-9", "herald-7-9");
    }

    @Test
    void otherClientErrorsFailAtOnce() {
        status.set(400);
        SendResult result = provider.send(message());
        assertThat(result).isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(((SendResult.PermanentFailure) result).reason()).contains("400").contains("nope");
        status.set(404);
        assertThat(provider.send(message())).isInstanceOf(SendResult.PermanentFailure.class);
    }

    @Test
    void aTimeoutIsRetryable() {
        delayMs = 1_000;
        SendResult result = provider.send(message());
        assertThat(result).isInstanceOf(SendResult.RetryableFailure.class);
        assertThat(((SendResult.RetryableFailure) result).reason()).contains("timed out");
    }

    @Test
    void anUnreachableReceiverIsRetryable() {
        server.stop(0);
        assertThat(provider.send(message())).isInstanceOf(SendResult.RetryableFailure.class);
    }
}
