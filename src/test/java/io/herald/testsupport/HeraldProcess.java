package io.herald.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.HeraldApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Herald "process" inside the test JVM: its own Spring context with its own roles, sharing only the
 * database and the broker with the others, exactly as separate processes would.
 */
public final class HeraldProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;
    private final String baseUrl;

    private HeraldProcess(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getProperty("local.server.port");
        this.baseUrl = port == null ? null : "http://127.0.0.1:" + port;
    }

    /** Starts a context with {@code herald.roles=roles}; an API process listens on a random port. */
    public static HeraldProcess start(String roles, Map<String, String> properties) {
        boolean api = roles.contains("api");
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--herald.roles=" + roles);
        args.add("--server.port=0");
        args.add("--spring.application.name=herald-" + roles.replace(',', '-'));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HeraldApplication.class)
                .web(api ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
        return new HeraldProcess(context);
    }

    /** http://127.0.0.1:port of an API process (null without the api role). */
    public String baseUrl() {
        return baseUrl;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public Response get(String path) {
        return call(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    public Response post(String path, Object body) {
        String json = body == null ? "" : JSON.writeValueAsString(body);
        return call(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static Response call(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(response.statusCode(), body == null || body.isBlank() ? null : JSON.readTree(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    public record Response(int status, JsonNode json) {
    }
}
