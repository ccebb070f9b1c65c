package io.herald.provider;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.herald.Channel;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends SMS through an HTTP gateway in the Twilio Messages API format:
 * {@code POST {base-url}/2010-04-01/Accounts/{account-sid}/Messages.json}, form-encoded {@code To}, {@code From}
 * (or {@code MessagingServiceSid}), {@code Body} and {@code StatusCallback}, with HTTP Basic auth
 * {@code account-sid:auth-token}. The answer's {@code sid} becomes the message's provider id; the gateway later
 * posts delivery receipts to the status callback, which names the message so a receipt that overtakes the
 * send's own outcome still finds it.
 * <p>
 * 429 (honouring {@code Retry-After} in the reason), 5xx, timeouts and broken connections are retried; other
 * 4xx answers fail the message with the gateway's error code and message (a wrong number stays wrong).
 */
public class HttpSmsProvider implements Provider {
    private final URI endpoint;
    private final String authorization;
    private final SmsGatewayProperties settings;
    private final String callbackBase;
    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();

    /** Selected by {@code herald.channels.sms.provider=http-sms}; settings under {@code herald.sms.*}. */
    @Component
    static class Factory implements ProviderFactory {
        private final SmsGatewayProperties settings;
        private final String publicUrl;

        Factory(SmsGatewayProperties settings, @Value("${herald.public-url:http://localhost:8080}") String publicUrl) {
            this.settings = settings;
            this.publicUrl = publicUrl;
        }

        @Override
        public String name() {
            return "http-sms";
        }

        @Override
        public boolean supports(Channel channel) {
            return channel == Channel.SMS;
        }

        @Override
        public Provider create() {
            for (String[] required : new String[][]{{"herald.sms.base-url", settings.baseUrl()},
                    {"herald.sms.account-sid", settings.accountSid()}, {"herald.sms.auth-token", settings.authToken()}}) {
                if (required[1] == null || required[1].isBlank()) {
                    throw new IllegalStateException("the http-sms provider needs " + required[0]);
                }
            }
            boolean noSender = (settings.from() == null || settings.from().isBlank())
                    && (settings.messagingServiceSid() == null || settings.messagingServiceSid().isBlank());
            if (noSender) {
                throw new IllegalStateException("the http-sms provider needs herald.sms.from or herald.sms.messaging-service-sid");
            }
            return new HttpSmsProvider(settings, publicUrl);
        }
    }

    HttpSmsProvider(SmsGatewayProperties settings, String publicUrl) {
        String base = settings.baseUrl().trim().replaceAll("/+$", "");
        URI baseUri = URI.create(base);
        if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
            throw new IllegalArgumentException("herald.sms.base-url must be an http(s) URL, got " + base);
        }
        this.settings = settings;
        this.endpoint = URI.create(base + "/2010-04-01/Accounts/" + encode(settings.accountSid().trim()) + "/Messages.json");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (settings.accountSid().trim() + ":" + settings.authToken()).getBytes(StandardCharsets.UTF_8));
        this.callbackBase = publicUrl.replaceAll("/+$", "") + "/webhooks/sms/status";
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The callback URL the gateway posts this message's receipts to (also what it signs). */
    public static String statusCallback(String callbackBase, long campaignId, long messageId) {
        return callbackBase + "?c=" + campaignId + "&m=" + messageId;
    }

    @Override
    public SendResult send(OutboundMessage message) {
        String to = message.recipient().phone();
        if (to == null) {
            return new SendResult.PermanentFailure("the recipient has no phone number");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("To", to);
        if (settings.messagingServiceSid() != null && !settings.messagingServiceSid().isBlank()) {
            form.put("MessagingServiceSid", settings.messagingServiceSid().trim());
        } else {
            form.put("From", settings.from().trim());
        }
        form.put("Body", message.body());
        form.put("StatusCallback", statusCallback(callbackBase, message.campaignId(), message.messageId()));
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(settings.timeout())
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                // Gateways that de-duplicate on it drop a repeated attempt; the key is the same on every attempt.
                .header("Idempotency-Key", message.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"))))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new SendResult.RetryableFailure("SMS gateway timed out after " + settings.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return new SendResult.RetryableFailure("SMS gateway unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.RetryableFailure("interrupted");
        }
        return interpret(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
    }

    SendResult interpret(int status, String body, String retryAfter) {
        JsonNode answer = parse(body);
        if (status >= 200 && status < 300) {
            String sid = answer == null ? null : text(answer, "sid");
            if (sid == null) {
                return new SendResult.RetryableFailure("SMS gateway answered " + status + " without a message sid");
            }
            return new SendResult.Sent(sid);
        }
        String code = answer == null ? null : text(answer, "code");
        String detail = answer == null ? null : text(answer, "message");
        String reason = "SMS gateway answered " + status + (code == null ? "" : ", error " + code)
                + (detail == null ? snippet(body) : ": " + detail);
        if (status == 429 || status >= 500) {
            return new SendResult.RetryableFailure(reason + (retryAfter == null ? "" : " (Retry-After: " + retryAfter + ")"),
                    RetryAfter.parse(retryAfter));
        }
        return new SendResult.PermanentFailure(reason);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String trimmed = body.strip();
        return ": " + (trimmed.length() <= 200 ? trimmed : trimmed.substring(0, 200) + "...");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
