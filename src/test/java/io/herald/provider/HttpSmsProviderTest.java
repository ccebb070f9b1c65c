package io.herald.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway's answers as Twilio documents them, and the request Herald makes. */
class HttpSmsProviderTest {
    private HttpServer server;
    private final AtomicReference<Map<String, String>> lastForm = new AtomicReference<>();
    private volatile int status = 201;
    private volatile String answer = "{\"sid\":\"SM123\",\"status\":\"queued\"}";

    private HttpSmsProvider provider(String from, String messagingServiceSid) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/", exchange -> {
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            form.put("_path", exchange.getRequestURI().getPath());
            lastForm.set(form);
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new HttpSmsProvider(new SmsGatewayProperties("http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "AC42", "token", from, messagingServiceSid, Duration.ofSeconds(5)), "https://herald.example.com/");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static OutboundMessage message() {
        return new OutboundMessage(42, "herald-7-9", 7, io.herald.Channel.SMS,
                new OutboundMessage.Recipient(9, "Ann", null, "+886912345678"), "Hi Ann 🎉", null);
    }

    @Test
    void acceptedAnswersGiveTheSidAndTheFormCarriesTheCallbackForThisMessage() throws IOException {
        HttpSmsProvider provider = provider("+15017122661", null);
        assertThat(provider.send(message())).isEqualTo(new SendResult.Sent("SM123"));
        assertThat(lastForm.get()).containsEntry("_path", "/2010-04-01/Accounts/AC42/Messages.json")
                .containsEntry("To", "+886912345678").containsEntry("From", "+15017122661").containsEntry("Body", "Hi Ann 🎉")
                .containsEntry("StatusCallback", "https://herald.example.com/webhooks/sms/status?c=7&m=42")
                .doesNotContainKey("MessagingServiceSid");
    }

    @Test
    void aMessagingServiceReplacesFrom() throws IOException {
        provider("+15017122661", "MG9752274e9e519418a7406176694466fa").send(message());
        assertThat(lastForm.get()).containsEntry("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa")
                .doesNotContainKey("From");
    }

    @Test
    void clientErrorsFailWithTheGatewaysCodeAndMessageAndThrottlingOrServerErrorsAreRetried() throws IOException {
        HttpSmsProvider provider = provider("+15017122661", null);
        status = 400;
        answer = "{\"code\": 21211, \"message\": \"The 'To' number +886912345678 is not a valid phone number.\","
                + " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}";
        SendResult rejected = provider.send(message());
        assertThat(rejected).isInstanceOf(SendResult.PermanentFailure.class);
        assertThat(((SendResult.PermanentFailure) rejected).reason()).contains("400").contains("21211").contains("not a valid phone number");
        status = 429;
        answer = "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}";
        assertThat(provider.send(message())).isInstanceOf(SendResult.RetryableFailure.class);
        status = 503;
        answer = "<html>Service Unavailable</html>";
        SendResult unavailable = provider.send(message());
        assertThat(unavailable).isInstanceOf(SendResult.RetryableFailure.class);
        assertThat(((SendResult.RetryableFailure) unavailable).reason()).contains("503");
        status = 201;
        answer = "{}";
        assertThat(provider.send(message())).isInstanceOf(SendResult.RetryableFailure.class);
    }

    @Test
    void anUnreachableGatewayIsRetried() throws IOException {
        HttpSmsProvider provider = provider("+15017122661", null);
        server.stop(0);
        server = null;
        assertThat(provider.send(message())).isInstanceOf(SendResult.RetryableFailure.class);
    }

    @Test
    void missingSettingsStopStartUpWithTheirNames() {
        HttpSmsProvider.Factory factory = new HttpSmsProvider.Factory(new SmsGatewayProperties("http://gw", "AC1", null,
                "+15017122661", null, Duration.ofSeconds(1)), "http://localhost:8080");
        assertThatThrownBy(factory::create).hasMessageContaining("herald.sms.auth-token");
        HttpSmsProvider.Factory noSender = new HttpSmsProvider.Factory(new SmsGatewayProperties("http://gw", "AC1", "t",
                null, null, Duration.ofSeconds(1)), "http://localhost:8080");
        assertThatThrownBy(noSender::create).hasMessageContaining("herald.sms.from");
        assertThat(factory.supports(io.herald.Channel.EMAIL)).isFalse();
    }
}
