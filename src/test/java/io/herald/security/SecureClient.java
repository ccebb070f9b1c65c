package io.herald.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.herald.testsupport.Api;

/**
 * An HTTP client for secure-mode tests: either a Bearer API key, or a browser-like cookie jar
 * (session + XSRF-TOKEN) that can echo the CSRF token like the console does.
 */
final class SecureClient {
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private final String base;
    private final String bearer;
    boolean sendCsrf = true;

    private SecureClient(int port, String bearer) {
        this.base = "http://127.0.0.1:" + port;
        this.bearer = bearer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).cookieHandler(cookies).build();
    }

    static SecureClient anonymous(int port) {
        return new SecureClient(port, null);
    }

    static SecureClient withKey(int port, String key) {
        return new SecureClient(port, key);
    }

    Api.Response get(String path) {
        return send(request(path).GET());
    }

    /** A GET with the given Accept header (e.g. what Prometheus sends when it scrapes). */
    Api.Response get(String path, String accept) {
        return send(request(path).setHeader("Accept", accept).GET());
    }

    Api.Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    Api.Response post(String path) {
        return post(path, null);
    }

    Api.Response postChunked(String path, byte[] body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    Api.Response patch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Api.Response delete(String path) {
        return send(request(path).DELETE());
    }

    Api.Response method(String method, String path) {
        return switch (method) {
            case "GET" -> get(path);
            case "POST" -> post(path, "{}");
            case "PATCH" -> patch(path, "{}");
            case "DELETE" -> delete(path);
            default -> throw new IllegalArgumentException(method);
        };
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json, text/csv");
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        String xsrf = cookie("XSRF-TOKEN");
        if (sendCsrf && xsrf != null) {
            builder.header("X-XSRF-TOKEN", xsrf);
        }
        return builder;
    }

    private Api.Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
