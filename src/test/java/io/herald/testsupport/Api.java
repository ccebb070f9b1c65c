package io.herald.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for tests against a running Herald: JSON or multipart in, status + headers + JSON out. */
public final class Api {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POSTs {@code body} as JSON: a String is sent as it is (so tests can send malformed JSON), anything else is serialised. */
    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text(body))));
    }

    public Response post(String path) {
        return post(path, null);
    }

    public Response patch(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(text(body))));
    }

    /** POSTs multipart/form-data with one file part named "file" (text/csv) and the given text fields. */
    public Response upload(String path, String fileName, byte[] content, Map<String, String> fields) {
        String boundary = "----herald" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private static String text(Object body) {
        return body instanceof String s ? s : JSON.writeValueAsString(body);
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls GET /campaigns/{id}/stats until {@code condition} holds (30 s at most) and returns those stats. */
    public JsonNode waitForStats(long campaignId, java.util.function.Predicate<JsonNode> condition) {
        return waitForStats(campaignId, condition, Duration.ofSeconds(30));
    }

    public JsonNode waitForStats(long campaignId, java.util.function.Predicate<JsonNode> condition, Duration timeout) {
        return waitFor("/campaigns/" + campaignId + "/stats", condition, timeout);
    }

    /** Polls GET {@code path} every 100 ms until its JSON matches {@code condition} and returns it. */
    public JsonNode waitFor(String path, java.util.function.Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode body;
        do {
            body = get(path).json();
            if (condition.test(body)) {
                return body;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError(path + " never matched: " + body);
    }

    /** Waits for an accepted CSV import ({@code POST /recipients/import}) to complete and returns its result. */
    public JsonNode awaitImport(Response accepted) {
        if (accepted.status() < 200 || accepted.status() > 202) {
            throw new AssertionError("import not accepted: " + accepted.status() + " " + accepted.body());
        }
        JsonNode body = accepted.json();
        return "COMPLETED".equals(body.path("status").asString()) ? body
                : waitFor("/imports/" + body.path("id").asLong(), b -> "COMPLETED".equals(b.path("status").asString()),
                        Duration.ofSeconds(30));
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    public record Response(int status, HttpResponse<String> raw, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type;
        }

        public String location() {
            return header("Location");
        }
    }
}
