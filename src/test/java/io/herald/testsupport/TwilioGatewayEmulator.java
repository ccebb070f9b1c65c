package io.herald.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An SMS gateway on 127.0.0.1 speaking the Twilio Messages API as Twilio documents it: it checks each
 * {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} (HTTP Basic auth with the account sid and auth token,
 * form-encoded {@code To} in E.164, {@code From} or {@code MessagingServiceSid}, {@code Body}, {@code StatusCallback})
 * and answers 201 with a {@code sid}, or 400 with Twilio's error JSON when something is off (and records the
 * violation). It can answer 429 to chosen numbers once, and posts status callbacks back, signed with
 * {@code X-Twilio-Signature} exactly as Twilio does (its signing is written here independently of Herald's).
 */
public final class TwilioGatewayEmulator implements AutoCloseable {
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{6,14}$");

    /** One accepted message. */
    public record Accepted(String sid, String to, String from, String body, String statusCallback) {
    }

    /** How the gateway reports on a message: the statuses to post back, in order, and an error code for failures. */
    public record Script(List<String> statuses, String errorCode) {
    }

    private final String accountSid;
    private final String authToken;
    private final String expectedFrom;
    private final HttpServer server;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
    private final Map<String, Integer> requestsPerNumber = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> callbackFailures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sids = new AtomicLong();
    private final AtomicLong callbacksPosted = new AtomicLong();
    private volatile Set<String> throttleOnce = Set.of();
    private final Set<String> throttled = ConcurrentHashMap.newKeySet();
    private volatile Function<Accepted, Script> script = a -> new Script(List.of("sent", "delivered"), null);

    public TwilioGatewayEmulator(String accountSid, String authToken, String expectedFrom) throws IOException {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.expectedFrom = expectedFrom;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** These numbers get one 429 each before they are accepted. */
    public void throttleOnce(Set<String> numbers) {
        this.throttleOnce = Set.copyOf(numbers);
    }

    public void script(Function<Accepted, Script> script) {
        this.script = script;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String expectedPath = "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
            if (!"POST".equals(exchange.getRequestMethod()) || !expectedPath.equals(exchange.getRequestURI().getPath())) {
                violations.add("unexpected request " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
                answer(exchange, 404, error(20404, "The requested resource was not found", 404));
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String expectedAuth = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
                    .getBytes(StandardCharsets.UTF_8));
            if (!expectedAuth.equals(auth)) {
                violations.add("bad Authorization: " + auth);
                answer(exchange, 401, error(20003, "Authenticate", 401));
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
                violations.add("bad Content-Type: " + contentType);
            }
            Map<String, String> form;
            try (InputStream in = exchange.getRequestBody()) {
                form = parseForm(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String to = form.get("To");
            List<String> problems = new ArrayList<>();
            if (to == null || !E164.matcher(to).matches()) {
                problems.add("To is not E.164: " + to);
            }
            if (!expectedFrom.equals(form.get("From")) || form.containsKey("MessagingServiceSid")) {
                problems.add("From is " + form.get("From"));
            }
            if (form.get("Body") == null || form.get("Body").isEmpty()) {
                problems.add("no Body");
            }
            String callback = form.get("StatusCallback");
            if (callback == null || !callback.startsWith("http")) {
                problems.add("no StatusCallback");
            }
            Set<String> unknown = new TreeSet<>(form.keySet());
            unknown.removeAll(Set.of("To", "From", "Body", "StatusCallback"));
            if (!unknown.isEmpty()) {
                problems.add("unexpected fields " + unknown);
            }
            if (!problems.isEmpty()) {
                violations.addAll(problems);
                answer(exchange, 400, error(21604, String.join("; ", problems), 400));
                return;
            }
            requestsPerNumber.merge(to, 1, Integer::sum);
            if (throttleOnce.contains(to) && throttled.add(to)) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                answer(exchange, 429, error(20429, "Too Many Requests", 429));
                return;
            }
            String sid = String.format("SM%032x", sids.incrementAndGet());
            Accepted message = new Accepted(sid, to, form.get("From"), form.get("Body"), callback);
            accepted.put(sid, message);
            answer(exchange, 201, "{\"sid\":\"" + sid + "\",\"account_sid\":\"" + accountSid + "\",\"to\":\"" + to
                    + "\",\"status\":\"queued\",\"num_segments\":\"1\",\"error_code\":null,\"error_message\":null}");
            Script plan = script.apply(message);
            callbacks.submit(() -> report(message, plan));
        }
    }

    private void report(Accepted message, Script plan) {
        for (String status : plan.statuses()) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("AccountSid", accountSid);
            form.put("MessageSid", message.sid());
            form.put("SmsSid", message.sid());
            form.put("MessageStatus", status);
            form.put("SmsStatus", status);
            form.put("To", message.to());
            form.put("From", message.from());
            form.put("ApiVersion", "2010-04-01");
            if (plan.errorCode() != null && (status.equals("undelivered") || status.equals("failed"))) {
                form.put("ErrorCode", plan.errorCode());
            }
            int code = post(message.statusCallback(), form, sign(message.statusCallback(), form));
            callbacksPosted.incrementAndGet();
            if (code != 200) {
                callbackFailures.add(message.sid() + " " + status + " -> " + code);
            }
        }
    }

    /** Posts a status callback with the given signature header (null: none); returns the HTTP status. */
    public int post(String url, Map<String, String> form, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"))));
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Twilio's signature: HMAC-SHA1 over the URL, then each field name and value sorted by name, Base64. */
    public String sign(String url, Map<String, String> form) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Accepted> accepted() {
        return accepted;
    }

    public Map<String, Integer> requestsPerNumber() {
        return requestsPerNumber;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<String> callbackFailures() {
        return List.copyOf(callbackFailures);
    }

    public long callbacksPosted() {
        return callbacksPosted.get();
    }

    private static String error(int code, String message, int status) {
        return "{\"code\":" + code + ",\"message\":\"" + message.replace("\"", "'") + "\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        callbacks.shutdownNow();
    }
}
