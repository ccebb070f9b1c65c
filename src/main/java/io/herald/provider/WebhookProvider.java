package io.herald.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers by POSTing JSON to {@code herald.provider.webhook.url}:
 * {@code {message_id, idempotency_key, campaign_id, channel, recipient:{id,name,email,phone}, body}} (email adds
 * {@code subject, text, from, reply_to, unsubscribe_url}) with an
 * {@code Idempotency-Key} header that is the same on every attempt of a message. 2xx means sent;
 * 429, 5xx, a timeout or a broken connection are retried with backoff; any other status fails the
 * message at once (the receiver rejected it, and asking again will not change its mind).
 */
public class WebhookProvider implements Provider {
    private static final int MAX_REASON_BODY = 200;

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();

    /** Selected by {@code herald.channels.<channel>.provider=webhook}; settings under {@code herald.provider.webhook.*}. */
    @Component
    static class Factory implements ProviderFactory {
        private final org.springframework.core.env.Environment environment;

        Factory(org.springframework.core.env.Environment environment) {
            this.environment = environment;
        }

        @Override
        public String name() {
            return "webhook";
        }

        @Override
        public Provider create() {
            String url = environment.getProperty("herald.provider.webhook.url");
            if (url == null || url.isBlank()) {
                throw new IllegalStateException("the webhook provider needs herald.provider.webhook.url");
            }
            return new WebhookProvider(URI.create(url.trim()),
                    environment.getProperty("herald.provider.webhook.timeout", Duration.class, Duration.ofSeconds(5)));
        }
    }

    WebhookProvider(URI url, Duration timeout) {
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("herald.provider.webhook.url must be an http(s) URL, got " + url);
        }
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public SendResult send(OutboundMessage message) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", message.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(payload(message))))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new SendResult.RetryableFailure("webhook timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return new SendResult.RetryableFailure("webhook unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.RetryableFailure("interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SendResult.SENT;
        }
        String reason = "webhook answered " + status + snippet(response.body());
        if (status == 429 || status >= 500) {
            return new SendResult.RetryableFailure(reason, RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null)));
        }
        return new SendResult.PermanentFailure(reason);
    }

    static Map<String, Object> payload(OutboundMessage message) {
        Map<String, Object> recipient = new LinkedHashMap<>();
        recipient.put("id", message.recipient().id());
        recipient.put("name", message.recipient().name());
        recipient.put("email", message.recipient().email());
        recipient.put("phone", message.recipient().phone());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("message_id", message.messageId());
        payload.put("idempotency_key", message.idempotencyKey());
        payload.put("campaign_id", message.campaignId());
        payload.put("channel", message.channel().key());
        payload.put("recipient", recipient);
        if (message.email() != null) {
            payload.put("subject", message.email().subject());
            payload.put("text", message.email().text());
            payload.put("from", message.email().from());
            payload.put("reply_to", message.email().replyTo());
            payload.put("unsubscribe_url", message.email().unsubscribeUrl());
        }
        payload.put("body", message.body());
        return payload;
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String trimmed = body.strip();
        return ": " + (trimmed.length() <= MAX_REASON_BODY ? trimmed : trimmed.substring(0, MAX_REASON_BODY) + "...");
    }
}
