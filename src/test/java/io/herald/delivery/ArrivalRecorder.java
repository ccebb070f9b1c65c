package io.herald.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * A webhook endpoint on 127.0.0.1 that notes the arrival time of every call and which process sent it (each
 * process posts to its own path, {@code /deliveries/<source>}).
 */
final class ArrivalRecorder implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(32);
    private final List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());

    ArrivalRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/deliveries", exchange -> {
            long now = System.currentTimeMillis();
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
                String path = exchange.getRequestURI().getPath();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                arrivals.add(new Arrival(now, path.substring(path.lastIndexOf('/') + 1), key == null ? "" : key));
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url(String source) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/deliveries/" + source;
    }

    /** Distinct idempotency keys that start with {@code prefix} ({@code herald-<campaign>-}). */
    int distinctKeys(String prefix) {
        return (int) snapshot(prefix).stream().map(Arrival::key).distinct().count();
    }

    /** Arrival times of the calls whose key starts with {@code prefix}, in order. */
    List<Long> arrivals(String prefix) {
        return snapshot(prefix).stream().map(Arrival::millis).sorted().toList();
    }

    /** Calls per sending process. */
    Map<String, Integer> perSource(String prefix) {
        Map<String, Integer> counts = new TreeMap<>();
        snapshot(prefix).forEach(a -> counts.merge(a.source(), 1, Integer::sum));
        return counts;
    }

    private List<Arrival> snapshot(String prefix) {
        synchronized (arrivals) {
            return arrivals.stream().filter(a -> a.key().startsWith(prefix)).toList();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Arrival(long millis, String source, String key) {
    }
}
