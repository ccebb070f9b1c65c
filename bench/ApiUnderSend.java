import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's latency while a campaign sends, beside the same requests when nothing sends (bench/api-under-send).
 *
 * <pre>java bench/ApiUnderSend.java BASE_URL SEGMENT CLIENTS SECONDS</pre>
 *
 * Sends campaign A to SEGMENT and waits until it completes; then, after 5 s of warm-up, CLIENTS threads request A's stats, the first page of
 * A's messages and the campaign list for SECONDS (idle). Then it sends campaign B to the same segment and, while B
 * sends, requests B's stats, the first page of B's messages and the list for SECONDS (under send). Prints p50/p99
 * per endpoint side by side, and one JSON line last.
 */
public class ApiUnderSend {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String[] ENDPOINTS = {"stats", "messages", "campaigns"};

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String segment = args[1];
        int clients = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);

        long a = create(base, "api-under-send A", segment);
        post(base, "/campaigns/" + a + "/send");
        System.err.println("[bench] campaign " + a + " sending, waiting for it to complete (the idle baseline needs its messages)");
        waitFor(base, a, "COMPLETED");
        System.err.println();
        System.err.println("[bench] warm-up (not counted): " + clients + " clients for 5 s");
        load(base, a, clients, 5);
        System.err.println("[bench] idle: " + clients + " clients for " + seconds + " s");
        Map<String, long[]> idle = load(base, a, clients, seconds);

        long b = create(base, "api-under-send B", segment);
        post(base, "/campaigns/" + b + "/send");
        waitForSent(base, b, 1_000);
        long sentBefore = number(get(base, "/campaigns/" + b + "/stats"), "sent");
        long started = System.nanoTime();
        System.err.println("[bench] under send: " + clients + " clients for " + seconds + " s while campaign " + b + " sends");
        Map<String, long[]> busy = load(base, b, clients, seconds);
        long sentAfter = number(get(base, "/campaigns/" + b + "/stats"), "sent");
        double rate = (sentAfter - sentBefore) / ((System.nanoTime() - started) / 1e9);
        String status = text(get(base, "/campaigns/" + b + "/stats"), "status");
        if ("COMPLETED".equals(status)) {
            System.err.println("[bench] WARNING: campaign " + b + " completed during the measurement; use more recipients");
        }

        System.err.printf(Locale.ROOT, "%-10s %14s %14s %18s %18s%n", "endpoint", "idle p50 ms", "idle p99 ms",
                "under send p50 ms", "under send p99 ms");
        StringBuilder json = new StringBuilder("{\"clients\":" + clients + ",\"seconds\":" + seconds
                + String.format(Locale.ROOT, ",\"send_rate\":%.0f", rate));
        for (String e : ENDPOINTS) {
            long[] i = idle.get(e);
            long[] u = busy.get(e);
            System.err.printf(Locale.ROOT, "%-10s %14.1f %14.1f %18.1f %18.1f%n", e, ms(pct(i, 50)), ms(pct(i, 99)),
                    ms(pct(u, 50)), ms(pct(u, 99)));
            json.append(String.format(Locale.ROOT,
                    ",\"%s\":{\"idle_p50_ms\":%.1f,\"idle_p99_ms\":%.1f,\"send_p50_ms\":%.1f,\"send_p99_ms\":%.1f,\"requests\":%d}",
                    e, ms(pct(i, 50)), ms(pct(i, 99)), ms(pct(u, 50)), ms(pct(u, 99)), u.length));
        }
        System.err.printf(Locale.ROOT, "[bench] campaign %d sent %.0f msg/s during the measurement%n", b, rate);
        System.out.println(json.append('}'));
    }

    /** CLIENTS threads cycling through the endpoints for SECONDS; latencies in ns per endpoint, sorted. */
    static Map<String, long[]> load(String base, long campaign, int clients, int seconds) throws Exception {
        Map<String, String> paths = Map.of("stats", "/campaigns/" + campaign + "/stats",
                "messages", "/campaigns/" + campaign + "/messages?limit=50", "campaigns", "/campaigns?limit=20");
        Map<String, List<Long>> samples = new ConcurrentHashMap<>();
        for (String e : ENDPOINTS) {
            samples.put(e, new CopyOnWriteArrayList<>());
        }
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int offset = c;
            Thread thread = new Thread(() -> {
                List<Long>[] mine = new List[ENDPOINTS.length];
                for (int k = 0; k < mine.length; k++) {
                    mine[k] = new ArrayList<>();
                }
                for (int n = offset; System.nanoTime() < end; n++) {
                    int k = n % ENDPOINTS.length;
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + paths.get(ENDPOINTS[k])))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    mine[k].add(System.nanoTime() - t0);
                }
                for (int k = 0; k < mine.length; k++) {
                    samples.get(ENDPOINTS[k]).addAll(mine[k]);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (errors.get() > 0) {
            System.err.println("[bench] WARNING: " + errors.get() + " requests failed");
        }
        Map<String, long[]> sorted = new LinkedHashMap<>();
        samples.forEach((e, list) -> sorted.put(e, list.stream().mapToLong(Long::longValue).sorted().toArray()));
        return sorted;
    }

    static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    static long create(String base, String name, String segment) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"channel\":\"email\",\"subject\":\"Hi\",\"template\":\"Hello {{name}}\","
                + "\"content_type\":\"text\",\"segment_rule\":\"" + segment + "\"}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/campaigns"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("POST /campaigns: " + r.statusCode() + " " + r.body());
        }
        return number(r.body(), "id");
    }

    static void post(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    static String get(String base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static void waitFor(String base, long id, String status) throws Exception {
        while (true) {
            String stats = get(base, "/campaigns/" + id + "/stats");
            if (status.equals(text(stats, "status"))) {
                return;
            }
            System.err.print("\r[bench] campaign " + id + ": sent " + number(stats, "sent") + " of " + number(stats, "total") + "   ");
            Thread.sleep(1_000);
        }
    }

    static void waitForSent(String base, long id, long sent) throws Exception {
        while (number(get(base, "/campaigns/" + id + "/stats"), "sent") < sent) {
            Thread.sleep(100);
        }
    }

    static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    static String text(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
