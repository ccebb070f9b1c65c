package io.herald.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP endpoint on 127.0.0.1 that accepts every delivery and counts requests per idempotency key; while
 * {@link #down(boolean) down} it answers 503 instead (a provider outage) and counts those calls apart.
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    // Enough threads for a slow provider: every call in flight holds one.
    private final ExecutorService executor = Executors.newFixedThreadPool(256);
    private final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong mismatches = new AtomicLong();
    private final AtomicLong refusedWhileDown = new AtomicLong();
    private volatile long latencyMs;
    private volatile boolean down;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/deliveries", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                if (latencyMs > 0) {
                    sleep(latencyMs);
                }
                JsonNode body = JSON.readTree(in.readAllBytes());
                if (down) {
                    refusedWhileDown.incrementAndGet();
                    byte[] text = "maintenance".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, text.length);
                    exchange.getResponseBody().write(text);
                    return;
                }
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (key == null || !key.equals(body.path("idempotency_key").asString(""))
                        || body.path("recipient").path("id").isMissingNode()) {
                    mismatches.incrementAndGet();
                }
                if (key != null) {
                    perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
                requests.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries";
    }

    public int distinctKeys() {
        return perKey.size();
    }

    public long requests() {
        return requests.get();
    }

    /** Makes every answer take this long (a slow provider). */
    public void latency(java.time.Duration latency) {
        this.latencyMs = latency.toMillis();
    }

    /** While true, every call is answered 503 "maintenance" and not counted as delivered. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Calls answered 503 because the receiver was down. */
    public long refusedWhileDown() {
        return refusedWhileDown.get();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests whose header key was missing or differed from the body's idempotency_key. */
    public long mismatches() {
        return mismatches.get();
    }

    public Map<String, AtomicInteger> perKey() {
        return perKey;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
