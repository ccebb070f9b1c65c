package io.herald.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.herald.HeraldApplication;
import io.herald.testsupport.TestDatabase;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile JSON at every write endpoint (jqwik properties against Herald on embedded H2): random JSON values, wrong
 * types, missing and unknown fields, huge strings and numbers, odd Unicode, deep nesting, malformed and non-UTF-8
 * text, wrong content types. Whatever comes in: never a 5xx, never a stack trace or exception class in the answer,
 * every 4xx a problem+json with status, title and detail (a 400 also lists the fields at fault), and a rejected
 * write stores nothing.
 */
class HostileInputIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\bat (io\\.herald|java\\.|jdk\\.|org\\.|tools\\.|com\\.)[\\w.$]+\\(|Exception:|\\b(java|jakarta|tools\\.jackson|org\\.springframework|org\\.h2)\\.[\\w.]+(Exception|Error)\\b");
    private static final int TRIES = 150;

    private static ConfigurableApplicationContext herald;
    private static HttpClient http;
    private static String base;
    private static long draftId;
    private static long recipientId;

    @BeforeContainer
    static void startHerald() throws IOException {
        Path importDir = Files.createTempDirectory("herald-hostile-imports");
        Files.writeString(importDir.resolve("ok.csv"), "name,phone\nAda,+886912000001\nBo,+886912000002\n");
        Map<String, String> properties = new HashMap<>(TestDatabase.H2.create());
        properties.put("server.port", "0");
        properties.put("herald.import.dir", importDir.toString());
        properties.put("herald.delivery.rate-per-sec", "0");
        properties.put("herald.provider.failure-rate", "0");
        // as command-line arguments, so they win over application.yml (a random port, an in-memory database)
        herald = new SpringApplicationBuilder(HeraldApplication.class)
                .run(properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
        int port = ((WebServerApplicationContext) herald).getWebServer().getPort();
        base = "http://127.0.0.1:" + port;
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        draftId = json(send("POST", "/campaigns", "application/json",
                bytes("{\"name\":\"target\",\"template\":\"Hi {{name}}\",\"segment_rule\":\"vip\"}"), 201)).get("id").asLong();
        recipientId = json(send("POST", "/recipients", "application/json",
                bytes("{\"name\":\"Target\",\"email\":\"target@example.com\",\"tags\":[\"t\"]}"), 201)).get("id").asLong();
    }

    @AfterContainer
    static void stopHerald() {
        if (herald != null) {
            herald.close();
        }
    }

    // ---- the endpoints ----

    @Property(tries = TRIES)
    void createCampaign(@ForAll("campaignBodies") Body body) {
        long newest = newestId("/campaigns");
        HttpResponse<String> answer = checked(send("POST", "/campaigns", body));
        if (answer.statusCode() >= 400) {
            assertThat(newestId("/campaigns")).as("a rejected campaign is not stored").isEqualTo(newest);
        }
    }

    @Property(tries = TRIES)
    void editCampaign(@ForAll("campaignBodies") Body body) {
        String before = get("/campaigns/" + draftId);
        HttpResponse<String> answer = checked(send("PATCH", "/campaigns/" + draftId, body));
        if (answer.statusCode() >= 400) {
            assertThat(get("/campaigns/" + draftId)).as("a rejected edit changes nothing").isEqualTo(before);
        }
    }

    @Property(tries = TRIES)
    void previewCampaign(@ForAll("campaignBodies") Body body) {
        long newest = newestId("/campaigns");
        checked(send("POST", "/campaigns/preview", body));
        assertThat(newestId("/campaigns")).as("a preview stores nothing").isEqualTo(newest);
    }

    @Property(tries = TRIES)
    void createRecipient(@ForAll("recipientBodies") Body body) {
        long newest = newestId("/recipients");
        String active = get("/recipients/count");
        HttpResponse<String> answer = checked(send("POST", "/recipients", body));
        if (answer.statusCode() >= 400) {
            assertThat(newestId("/recipients")).as("a rejected recipient is not stored").isEqualTo(newest);
            assertThat(get("/recipients/count")).isEqualTo(active);
        }
    }

    @Property(tries = TRIES)
    void editRecipient(@ForAll("recipientBodies") Body body) {
        String before = get("/recipients/" + recipientId);
        HttpResponse<String> answer = checked(send("PATCH", "/recipients/" + recipientId, body));
        if (answer.statusCode() >= 400) {
            assertThat(get("/recipients/" + recipientId)).as("a rejected edit changes nothing").isEqualTo(before);
        }
    }

    @Property(tries = TRIES)
    void importRecipients(@ForAll("uploads") Body upload) {
        long newest = newestId("/recipients");
        String active = get("/recipients/count");
        HttpResponse<String> answer = checked(send("POST", "/recipients/import", upload));
        if (answer.statusCode() >= 400) {
            assertThat(newestId("/recipients")).as("a rejected import stores nothing").isEqualTo(newest);
            assertThat(get("/recipients/count")).isEqualTo(active);
        }
    }

    @Property(tries = TRIES)
    void seed004CreateCampaign(@ForAll("seed004Bodies") Body body) {
        long newestCampaign = newestId("/campaigns");
        long newestRecipient = newestId("/recipients");
        HttpResponse<String> answer = send("POST", "/v1/camp/create", body);
        checkNoServerErrorNorStackTrace(answer);
        if (answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            checked(answer); // refused before the controller (e.g. the body size limit)
        }
        JsonNode envelope = json(answer);
        // Seed 004's clients read {code, msg}, not problem+json (see Seed004Controller).
        if (!envelope.has("code")) {
            assertThat(answer.statusCode()).isGreaterThanOrEqualTo(400);
        } else if (answer.statusCode() >= 400) {
            assertThat(envelope.get("code").asInt()).isNotZero();
            assertThat(envelope.get("msg").asString()).isNotBlank();
            assertThat(newestId("/campaigns")).as("a rejected campaign is not stored").isEqualTo(newestCampaign);
            assertThat(newestId("/recipients")).as("nor are its recipients").isEqualTo(newestRecipient);
        } else {
            assertThat(envelope.get("code").asInt()).isZero();
        }
    }

    @Example
    void seed004ChecksTheWholeCampaignBeforeImportingItsRecipients() {
        long newestRecipient = newestId("/recipients");
        String start = "{\"campaign_id\":777001,\"scheduled_time\":0,\"csv_file_path\":\"ok.csv\",";
        for (String body : List.of(
                start + "\"campaign_name\":\"Spring sale\",\"message_template\":\"" + "x".repeat(100_001) + "\"}",
                start + "\"campaign_name\":\"" + "n".repeat(201) + "\",\"message_template\":\"Hi {{name}}\"}",
                start + "\"campaign_name\":\"Spring sale\",\"message_template\":\"{{>footer}}\"}")) {
            HttpResponse<String> answer = send("POST", "/v1/camp/create", "application/json", bytes(body), 400);
            checkNoServerErrorNorStackTrace(answer);
            assertThat(json(answer).get("code").asInt()).isNotZero();
            assertThat(newestId("/recipients")).as("no recipient imported for a refused campaign: " + answer.body())
                    .isEqualTo(newestRecipient);
            assertThat(json(get200("/recipients?tag=camp-777001")).get("items")).as("nor tagged for it").isEmpty();
        }
    }

    @Example
    void aCampaignStoredWithATemplateThatNoLongerParsesFailsItsMessagesNotTheServer() {
        send("POST", "/recipients", "application/json",
                bytes("{\"name\":\"Legacy\",\"email\":\"legacy@example.com\",\"tags\":[\"legacy\"]}"), 201);
        long id = json(send("POST", "/campaigns", "application/json",
                bytes("{\"name\":\"legacy\",\"template\":\"Hi\",\"segment_rule\":\"legacy\"}"), 201)).get("id").asLong();
        // as an older Herald may have stored it: a partial, which compiled then and failed at every render
        herald.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .update("UPDATE campaigns SET template = ? WHERE id = ?", "Hi {{>footer}}", id);
        HttpResponse<String> preview = checked(send("GET", "/campaigns/" + id + "/preview", null, new byte[0], 400));
        assertThat(json(preview).get("errors").get(0).get("field").asString()).isEqualTo("template");
        send("POST", "/campaigns/" + id + "/send", null, new byte[0], 202);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode stats;
        do {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            stats = json(get200("/campaigns/" + id + "/stats"));
        } while (!"COMPLETED".equals(stats.get("status").asString()) && System.nanoTime() < deadline);
        assertThat(stats.get("status").asString()).as(stats.toString()).isEqualTo("COMPLETED");
        assertThat(stats.get("failed").asLong()).as(stats.toString()).isEqualTo(stats.get("total").asLong()).isPositive();
        JsonNode message = json(get200("/campaigns/" + id + "/messages")).get("items").get(0);
        assertThat(message.get("last_error").asString()).contains("does not parse");
    }

    @Property(tries = TRIES)
    void suppressAddress(@ForAll("suppressionBodies") Body body) {
        long newest = newestId("/suppressions");
        HttpResponse<String> answer = checked(send("POST", "/suppressions", body));
        if (answer.statusCode() >= 400) {
            assertThat(newestId("/suppressions")).as("a rejected address is not listed").isEqualTo(newest);
        }
    }

    @Property(tries = TRIES)
    void reportBounce(@ForAll("bounceBodies") Body body) {
        long newest = newestId("/suppressions");
        String active = get("/recipients/count");
        HttpResponse<String> answer = checked(send("POST", "/webhooks/bounce", body));
        if (answer.statusCode() >= 400) {
            assertThat(newestId("/suppressions")).as("a rejected report suppresses nothing").isEqualTo(newest);
            assertThat(get("/recipients/count")).as("nor bounces anyone").isEqualTo(active);
        }
    }

    @Property(tries = TRIES)
    void createApiKey(@ForAll("apiKeyBodies") Body body) {
        int keys = json(get200("/api-keys")).get("items").size();
        HttpResponse<String> answer = checked(send("POST", "/api-keys", body));
        if (answer.statusCode() >= 400) {
            assertThat(json(get200("/api-keys")).get("items").size()).as("a rejected key is not stored").isEqualTo(keys);
        }
    }

    @Property(tries = TRIES)
    void oddPathsAndParameters(@ForAll("oddRequests") Tuple.Tuple2<String, String> request) {
        HttpResponse<String> answer = send(request.get1(), request.get2(), "application/json", bytes("{}"), -1);
        checkNoServerErrorNorStackTrace(answer);
        if (answer.statusCode() >= 400 && answer.headers().firstValue("Content-Type").orElse("").contains("json")) {
            checked(answer);
        }
    }

    // ---- what every answer must be ----

    /** Checks the answer's shape; returns it for the endpoint's own checks. */
    private static HttpResponse<String> checked(HttpResponse<String> answer) {
        checkNoServerErrorNorStackTrace(answer);
        int status = answer.statusCode();
        if (status >= 400) {
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                    .as("content type of a %s: %s", status, answer.body()).startsWith("application/problem+json");
            JsonNode problem = json(answer);
            assertThat(problem.path("status").asInt()).as(answer.body()).isEqualTo(status);
            assertThat(problem.path("title").asString("")).as(answer.body()).isNotBlank();
            assertThat(problem.path("detail").asString("")).as(answer.body()).isNotBlank();
            if (status == 400) {
                assertThat(problem.path("errors").isArray() && !problem.path("errors").isEmpty())
                        .as("a 400 lists the fields at fault: %s", answer.body()).isTrue();
                problem.path("errors").forEach(error -> {
                    assertThat(error.path("field").asString("")).as(answer.body()).isNotBlank();
                    assertThat(error.path("message").asString("")).as(answer.body()).isNotBlank();
                });
            }
        }
        return answer;
    }

    private static void checkNoServerErrorNorStackTrace(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as("status of %s %s: %s", answer.request().method(), answer.request().uri(),
                abbreviate(answer.body())).isBetween(200, 499);
        assertThat(STACK_TRACE.matcher(answer.body()).find()).as("a stack trace or exception class in: %s",
                abbreviate(answer.body())).isFalse();
    }

    // ---- generated bodies ----

    /** A request body: its bytes and content type (null: no Content-Type header). */
    record Body(String contentType, byte[] bytes) {
        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return contentType + " " + (text.length() > 300 ? text.substring(0, 300) + "... (" + bytes.length + " bytes)" : text);
        }
    }

    /** A method and a path with odd ids, encodings, path parameters and query parameters. */
    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> oddRequests() {
        Arbitrary<String> path = Arbitraries.of("/campaigns/", "/campaigns/1/", "/recipients/", "/suppressions/", "/api-keys/",
                "/imports/", "/campaigns/1/messages", "/campaigns/1/stats", "/campaigns/1/send", "/recipients/1/unsubscribe");
        Arbitrary<String> segment = Arbitraries.of("", "1", "-1", "0", "99999999999999999999", "1.5", "abc", "%00", "%2e%2e",
                "%2F", "%252F", ";x=1", "..;", "%E2%82", "1%0d%0aX-Injected:%201", "%F0%9F%92%8C", "~", "1e3");
        Arbitrary<String> query = Arbitraries.of("", "?limit=-1", "?limit=99999999999", "?limit=abc", "?cursor=%00",
                "?cursor=abc", "?status=WHATEVER", "?tag=bad%20tag!", "?tag=" + "t,".repeat(500), "?%00=1", "?a=%E2%82",
                "?q=%25%27%22", "?channel=fax", "?points=-5");
        Arbitrary<String> method = Arbitraries.of("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS");
        return Combinators.combine(method, path, segment, query).as((m, p, s, q) -> Tuple.of(m, p + s + q));
    }

    @Provide
    Arbitrary<Body> campaignBodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("name", strings("Welcome", "x".repeat(201)));
        fields.put("channel", strings("email", "sms", "SMS", "fax"));
        fields.put("subject", strings("Hi {{name}}", "x".repeat(999)));
        fields.put("template", templates());
        fields.put("content_type", strings("html", "text", "pdf"));
        fields.put("text_template", templates());
        fields.put("from", strings("News <news@example.com>", "not an address", "a@b.c\r\nBcc: x@y.z",
                "\"" + "N".repeat(400) + "\" <news@example.com>"));
        fields.put("reply_to", strings("reply@example.com", "<>"));
        fields.put("segment_rule", strings("vip", "vip,tw", "vip,,tw", "no spaces", "t"));
        fields.put("scheduled_at", strings("2030-01-01T09:00:00+08:00", "2001-01-01T00:00:00Z", "tomorrow",
                "+999999999-12-31T23:59:59Z", "2030-13-45T99:00:00Z"));
        return bodies(fields);
    }

    @Provide
    Arbitrary<Body> recipientBodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("name", strings("Ann", "x".repeat(201)));
        fields.put("email", Arbitraries.oneOf(strings("ann@example.com", "ANN@EXAMPLE.COM", "bad@", "a..b@example.com"),
                Arbitraries.integers().between(1, 1_000_000).map(i -> quote("user" + i + "@example.com"))));
        fields.put("phone", Arbitraries.oneOf(strings("+886912345678", "0912 345 678", "12", "+" + "9".repeat(40)),
                Arbitraries.integers().between(100, 999).map(i -> quote("+1 202 555 0" + i))));
        fields.put("tags", Arbitraries.oneOf(Arbitraries.of("[\"vip\",\"tw\"]", "[]", "[\"bad tag!\"]", "[null]", "[1,2]", "\"vip\"",
                "[" + "\"t\",".repeat(2000) + "\"t\"]")));
        fields.put("attributes", Arbitraries.of("{\"city\":\"Taipei\"}", "{}", "{\"city\":{\"nested\":true}}", "{\"a\":[1,2]}",
                "{\"" + "k".repeat(100) + "\":\"" + "v".repeat(9000) + "\"}", "{\"\":\"empty key\"}", "{\"name\":\"shadow\"}"));
        return bodies(fields);
    }

    @Provide
    Arbitrary<Body> seed004Bodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("campaign_name", strings("Spring sale", "x".repeat(201)));
        fields.put("campaign_id", Arbitraries.oneOf(Arbitraries.longs().between(1, Long.MAX_VALUE).map(String::valueOf),
                Arbitraries.of("0", "-1", "\"42\"", "1.5", "1e3", "9223372036854775808", "\"12abc\"")));
        fields.put("message_template", Arbitraries.oneOf(templates(), strings("Hi {{name}}")));
        fields.put("scheduled_time", Arbitraries.of("0", "1", "-5", "4102444800", "4102444800000", "\"4102444800\"", "1e20"));
        fields.put("csv_file_path", strings("ok.csv", "missing.csv", "../../etc/passwd", "/etc/passwd", "ok.csv\u0000.txt",
                "C:\\\\Windows\\\\win.ini", "..", "", "sub/../ok.csv"));
        return bodies(fields);
    }

    @Provide
    Arbitrary<Body> suppressionBodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("address", Arbitraries.oneOf(strings("x@example.com", "+886912000009", "not an address"),
                Arbitraries.integers().between(1, 1_000_000).map(i -> quote("s" + i + "@example.com"))));
        fields.put("detail", strings("asked by phone", "d".repeat(2000)));
        return bodies(fields);
    }

    @Provide
    Arbitrary<Body> bounceBodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("email", Arbitraries.oneOf(strings("nobody@example.com", "bad@"),
                Arbitraries.integers().between(1, 1_000_000).map(i -> quote("b" + i + "@example.com"))));
        fields.put("phone", strings("+886912000008", "12"));
        fields.put("recipient_id", Arbitraries.of("1", "0", "-1", "99999999", "\"1\"", "1.5", "9223372036854775808"));
        fields.put("type", strings("hard", "soft", "complaint", "HARD", "weird"));
        fields.put("campaign_id", Arbitraries.of("1", "0", "-1", "99999999", "\"x\""));
        fields.put("message_id", strings("<herald-1-2@example.com>", "42", "m".repeat(1000)));
        fields.put("reason", strings("mailbox full", "r".repeat(2000)));
        fields.put("event_id", Arbitraries.oneOf(strings("evt-1", "e".repeat(1000)),
                Arbitraries.integers().between(1, 1_000_000).map(i -> quote("evt-" + i))));
        return bodies(fields);
    }

    @Provide
    Arbitrary<Body> apiKeyBodies() {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("name", strings("ci", "k".repeat(500)));
        fields.put("role", strings("admin", "editor", "viewer", "webhook", "root", "ADMIN"));
        return bodies(fields);
    }

    /** multipart/form-data with random, CSV-like or binary file content, odd extra fields, and broken framing. */
    @Provide
    Arbitrary<Body> uploads() {
        Arbitrary<byte[]> content = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Arbitraries.strings().ofMaxLength(300).map(s -> ("name,email,phone,tags\n" + s).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 1_000_000).map(i -> ("email,tags\nimp" + i + "@example.com,imported\nbad@,x\n")
                        .getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of(new byte[0], "email\n".getBytes(StandardCharsets.UTF_8), new byte[]{'P', 'K', 3, 4, 0, (byte) 0xFF}));
        Arbitrary<Map<String, String>> extraFields = Arbitraries.maps(Arbitraries.of("tags", "dry_run", "async"),
                Arbitraries.of("vip", "bad tag!", "true", "false", "yes", "", "x".repeat(3000))).ofMaxSize(3);
        Arbitrary<String> partName = Arbitraries.of("file", "file", "file", "upload", "");
        Arbitrary<String> fileName = Arbitraries.of("people.csv", "", "../../x.csv", "a\"b.csv", "名前.csv");
        Arbitrary<String> framing = Arbitraries.of("ok", "ok", "ok", "ok", "no-boundary", "truncated", "wrong-boundary");
        return Combinators.combine(content, extraFields, partName, fileName, framing).as(HostileInputIT::multipart);
    }

    private static Body multipart(byte[] content, Map<String, String> extra, String partName, String fileName, String framing) {
        Map<String, String> fields = new LinkedHashMap<>(extra);
        if (fields.containsKey("async")) {
            // An async import runs on after the answer; only a dry run keeps the stored-state checks meaningful.
            // Any value: Spring reads "yes" (and "on", "1") as true too, and such an import wrote rows while the
            // next try was checking that its rejected upload stored nothing.
            fields.put("dry_run", "true");
        }
        String boundary = "----hostile" + Integer.toHexString(content.length * 31 + fields.hashCode());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Map.Entry<String, String> f : fields.entrySet()) {
                out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                        + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + partName + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(content);
            if (!framing.equals("truncated")) {
                out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String type = switch (framing) {
            case "no-boundary" -> "multipart/form-data";
            case "wrong-boundary" -> "multipart/form-data; boundary=other";
            default -> "multipart/form-data; boundary=" + boundary;
        };
        return new Body(type, out.toByteArray());
    }

    /**
     * Mostly objects with the endpoint's fields, each a plausible value, any JSON value or absent, and sometimes an
     * unknown field; else any JSON value, or text that is not JSON at all; rarely under another content type.
     */
    private static Arbitrary<Body> bodies(Map<String, Arbitrary<String>> fields) {
        List<Arbitrary<String>> members = new ArrayList<>();
        fields.forEach((name, plausible) -> members.add(Arbitraries.frequencyOf(
                Tuple.of(5, plausible.map(v -> quote(name) + ":" + v)),
                Tuple.of(2, jsonValue(2).map(v -> quote(name) + ":" + v)),
                Tuple.of(1, Arbitraries.just(quote(name) + ":null")),
                Tuple.of(3, Arbitraries.just("")))));
        members.add(Arbitraries.of("", "", "", "\"unknown\":1", "\"__proto__\":{\"x\":1}", "\"\":\"\""));
        Arbitrary<String> object = Combinators.combine(members)
                .as(parts -> "{" + String.join(",", parts.stream().filter(p -> !p.isEmpty()).toList()) + "}");
        // every field plausible (and so mostly accepted): what gets past validation to the database
        List<Arbitrary<String>> plausibleMembers = new ArrayList<>();
        fields.forEach((name, plausible) -> plausibleMembers.add(plausible.map(v -> quote(name) + ":" + v)));
        Arbitrary<String> plausibleObject = Combinators.combine(plausibleMembers).as(parts -> "{" + String.join(",", parts) + "}");
        Arbitrary<byte[]> text = Arbitraries.frequencyOf(
                Tuple.of(8, object.map(HostileInputIT::bytes)),
                Tuple.of(4, plausibleObject.map(HostileInputIT::bytes)),
                Tuple.of(2, jsonValue(3).map(HostileInputIT::bytes)),
                Tuple.of(2, notJson()));
        Arbitrary<String> contentType = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just("application/json")),
                Tuple.of(1, Arbitraries.of("text/plain", "application/xml", "application/json; charset=ISO-8859-1",
                        "application/x-www-form-urlencoded", "multipart/form-data", "none", "application/merge-patch+json")));
        return Combinators.combine(contentType, text).as((type, bytes) -> new Body(type.equals("none") ? null : type, bytes));
    }

    /** Any JSON value, nested up to {@code depth}: odd numbers and strings included. */
    private static Arbitrary<String> jsonValue(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e400", "-1e400", "1E-400",
                        "12345678901234567890123456789", "9223372036854775808", "-9223372036854775809", "0.1e1"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(40).map(HostileInputIT::quote),
                Arbitraries.of("", " ", "\u0000", "💌", "{{name}}", "{{>x}}", "<script>alert(1)</script>", "'; DROP TABLE campaigns; --",
                        "%s%n%x", "\u202Eevil", "Ä\u0301", "\uFEFF").map(HostileInputIT::quote),
                Arbitraries.of("\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "\"a\\\"b\""));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = jsonValue(depth - 1).list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.strings().ofMaxLength(8), jsonValue(depth - 1))
                .as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(4).map(l -> "{" + String.join(",", l) + "}");
        return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Text that is not (quite) JSON: truncated, single-quoted, trailing commas, too deep, too long, not UTF-8. */
    private static Arbitrary<byte[]> notJson() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.of("", " ", "{", "}", "[", "{\"name\":", "{\"name\":\"x\"", "nul", "{'name':'x'}", "{\"a\":1,}", "\uFEFF{}",
                        "{\"name\":\"a\",\"name\":\"b\"}", "{} {}", "{\"a\":1}garbage", "NaN", "Infinity", "{\"a\":NaN}",
                        "[".repeat(5000) + "]".repeat(5000), "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                        "{\"name\":" + "9".repeat(5000) + "}", "{\"template\":\"" + "{{#a}}".repeat(20_000) + "\"}"),
                Arbitraries.strings().ofMaxLength(60));
        Arbitrary<byte[]> notUtf8 = Arbitraries.of(new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xFF, '"', '}'},
                new byte[]{(byte) 0xC3, 0x28}, new byte[]{0, 0, 0, '{', 0, '}'});
        return Arbitraries.oneOf(text.map(HostileInputIT::bytes), notUtf8);
    }

    /** A field's plausible values, a huge string, or a random one; all as JSON strings. */
    private static Arbitrary<String> strings(String... plausible) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(plausible)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(30)),
                Tuple.of(1, Arbitraries.of(" ", "", "\t\n", "x".repeat(10_000), "\u0000", "ÄÖÜ💌", "\r\nX-Injected: 1"))
        ).map(HostileInputIT::quote);
    }

    private static Arbitrary<String> templates() {
        return strings("Hi {{name}}!", "<p>Hi {{name}}</p>", "{{#vip}}VIP{{/vip}}", "Hi {{name", "{{>footer}}", "{{}}",
                "{{#a}}{{/b}}", "x".repeat(100_001), "{{#a}}".repeat(60) + "{{/a}}".repeat(60), "{{name..x}}");
    }

    // ---- plumbing ----

    private static String quote(String text) {
        return JSON.writeValueAsString(text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> send(String method, String path, Body body) {
        return send(method, path, body.contentType(), body.bytes(), -1);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (expected > 0) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get200(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String get(String path) {
        return get200(path).body();
    }

    /** The id of the newest item of a newest-first list endpoint, 0 when it is empty. */
    private static long newestId(String list) {
        JsonNode items = json(get200(list + "?limit=1")).get("items");
        return items.isEmpty() ? 0 : items.get(0).get("id").asLong();
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500) + "... (" + text.length() + " chars)";
    }
}
