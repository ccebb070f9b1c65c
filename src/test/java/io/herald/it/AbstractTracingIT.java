package io.herald.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.testsupport.BrokerSupport;
import io.herald.testsupport.ChildHerald;
import io.herald.testsupport.OtlpReceiver;
import io.herald.testsupport.OtlpReceiver.ReceivedSpan;
import io.herald.testsupport.Ports;
import io.herald.testsupport.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One send is one trace across processes: an API process and a separate worker process (child JVMs) on a real
 * database and broker export their spans over OTLP/HTTP to a receiver in the test. The send's HTTP request, the
 * fan-out, its page, every worker batch (retries included: the mock provider fails a share of the calls) and every
 * provider call share one trace id; each batch's parent chain reaches the HTTP request; provider calls are children
 * of batches; the spans carry the campaign id and batch size, and the resource says service.name=herald and the
 * process's roles. The API process logs in ECS JSON, and its send-path lines carry campaign_id and that trace id.
 */
abstract class AbstractTracingIT {
    static final int RECIPIENTS = 40;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestDatabase database;
    private final String transport;
    private final String channel = "herald.tracing." + UUID.randomUUID().toString().substring(0, 8);

    AbstractTracingIT(TestDatabase database, String transport) {
        this.database = database;
        this.transport = transport;
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void oneSendIsOneTraceFromTheRequestToEveryProviderCall() throws Exception {
        Map<String, String> props = new HashMap<>(database.create());
        props.putAll(BrokerSupport.properties(transport, channel));
        props.put("herald.demo-data", "false");
        props.put("herald.delivery.rate-per-sec", "0");
        props.put("herald.provider.failure-rate", "0.3");
        props.put("herald.delivery.max-attempts", "12");
        props.put("herald.delivery.initial-backoff", "100ms");
        props.put("herald.delivery.max-backoff", "500ms");
        // 30 % random failures make retries to trace; the circuit breaker would (rightly) open on them now and then
        // and hold the send for its 30 s wait, which is not what this test is about.
        props.put("herald.delivery.circuit-breaker.enabled", "false");
        // tracing on, exactly as the README says
        props.put("management.tracing.sampling.probability", "1.0");
        props.put("management.opentelemetry.tracing.export.schedule-delay", "200ms");
        String apiName = "tracing-api-" + database + "-" + transport;
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            props.put("management.opentelemetry.tracing.export.otlp.endpoint", otlp.tracesUrl());
            Map<String, String> apiProps = new HashMap<>(props);
            apiProps.put("logging.structured.format.console", "ecs");
            apiProps.put("logging.config", "classpath:io/herald/it/structured-logback.xml");
            int port = Ports.free();
            try (ChildHerald api = ChildHerald.start(apiName, "api,scheduler", port, apiProps);
                 ChildHerald worker = ChildHerald.start("tracing-worker-" + database + "-" + transport, "worker", null, props)) {
                api.awaitHttp(Duration.ofSeconds(120));
                for (int i = 0; i < RECIPIENTS; i++) {
                    assertThat(api.post("/recipients", Map.of("name", "Traced " + i, "email", "traced" + i + "@example.com",
                            "tags", List.of("traced"))).status()).isEqualTo(201);
                }
                long id = api.post("/campaigns", Map.of("name", "Traced", "template", "Hi {{name}}",
                        "segment_rule", "traced")).json().get("id").asLong();
                assertThat(api.post("/campaigns/" + id + "/send", null).status()).isEqualTo(202);
                awaitSent(api, id);

                // Spans are exported in the background every 200 ms: wait until every provider call that sent arrived.
                List<ReceivedSpan> spans = awaitSpans(otlp, s -> s.stream().filter(this::sentProviderCall).count() >= RECIPIENTS);
                Map<String, ReceivedSpan> byId = spans.stream()
                        .collect(Collectors.toMap(ReceivedSpan::spanId, Function.identity(), (a, b) -> a));

                ReceivedSpan request = spans.stream().filter(s -> s.name().contains("/campaigns/{id}/send")).findFirst()
                        .orElseThrow(() -> new AssertionError("no span of the send request among " + names(spans)));
                String traceId = request.traceId();
                assertThat(request.resource()).containsEntry("service.name", "herald")
                        .containsEntry("herald.roles", "api,scheduler");

                ReceivedSpan fanOut = only(spans, "herald.fanout", id);
                assertThat(fanOut.traceId()).isEqualTo(traceId);
                assertThat(reaches(fanOut, request, byId)).as("fan-out under the request").isTrue();
                ReceivedSpan page = only(spans, "herald.fanout.page", id);
                assertThat(page.parentSpanId()).isEqualTo(fanOut.spanId());
                assertThat(page.attribute("herald.batch.size")).isEqualTo(Integer.toString(RECIPIENTS));

                List<ReceivedSpan> batches = spans.stream().filter(s -> s.name().equals("herald.delivery.batch")).toList();
                assertThat(batches).isNotEmpty();
                for (ReceivedSpan batch : batches) {
                    assertThat(batch.traceId()).as("batch in the send's trace (retries too)").isEqualTo(traceId);
                    assertThat(batch.resource()).containsEntry("service.name", "herald").containsEntry("herald.roles", "worker");
                    assertThat(batch.attribute("herald.campaign.id")).isEqualTo(Long.toString(id));
                    assertThat(Integer.parseInt(batch.attribute("herald.batch.size"))).isBetween(1, RECIPIENTS);
                    assertThat(reaches(batch, page, byId)).as("batch %s under the page that published it", batch.spanId())
                            .isTrue();
                    assertThat(reaches(batch, request, byId)).as("batch %s under the send request", batch.spanId()).isTrue();
                }
                List<ReceivedSpan> calls = spans.stream().filter(s -> s.name().equals("herald.provider.send")).toList();
                assertThat(calls.stream().filter(this::sentProviderCall)).hasSize(RECIPIENTS);
                assertThat(calls.stream().filter(c -> "RETRYING".equals(c.attribute("herald.outcome"))))
                        .as("the mock provider failed some calls, which were retried").isNotEmpty();
                assertThat(batches).as("retries came back as batches of their own").hasSizeGreaterThan(1);
                for (ReceivedSpan call : calls) {
                    assertThat(call.traceId()).isEqualTo(traceId);
                    ReceivedSpan parent = byId.get(call.parentSpanId());
                    assertThat(parent).as("parent of provider call %s", call.spanId()).isNotNull();
                    assertThat(parent.name()).isEqualTo("herald.delivery.batch");
                    assertThat(call.attribute("herald.campaign.id")).isEqualTo(Long.toString(id));
                }

                // ECS logs of the API process: the send-path lines carry campaign_id and the send's trace id.
                List<JsonNode> lines = ecsLines(Path.of("target", apiName + ".log"));
                JsonNode sending = line(lines, "Campaign " + id + " is sending");
                JsonNode fannedOut = line(lines, "Fan-out of campaign " + id + " done");
                for (JsonNode line : List.of(sending, fannedOut)) {
                    assertThat(line.path("campaign_id").asString()).isEqualTo(Long.toString(id));
                    assertThat(traceIdOf(line)).as("trace id of %s", line).isEqualTo(traceId);
                }
            }
        } finally {
            BrokerSupport.cleanUp(transport, channel);
        }
    }

    private boolean sentProviderCall(ReceivedSpan span) {
        return span.name().equals("herald.provider.send") && "SENT".equals(span.attribute("herald.outcome"));
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, String name, long campaignId) {
        List<ReceivedSpan> found = spans.stream().filter(s -> s.name().equals(name)
                && Long.toString(campaignId).equals(s.attribute("herald.campaign.id"))).toList();
        assertThat(found).as("%s spans of campaign %d among %s", name, campaignId, names(spans)).hasSize(1);
        return found.get(0);
    }

    /** True when {@code ancestor} is on the parent chain of {@code span}. */
    private static boolean reaches(ReceivedSpan span, ReceivedSpan ancestor, Map<String, ReceivedSpan> byId) {
        ReceivedSpan current = span;
        for (int depth = 0; current != null && depth < 100; depth++) {
            if (current.spanId().equals(ancestor.spanId())) {
                return true;
            }
            current = byId.get(current.parentSpanId());
        }
        return false;
    }

    private static List<String> names(List<ReceivedSpan> spans) {
        return spans.stream().map(ReceivedSpan::name).distinct().toList();
    }

    private static List<ReceivedSpan> awaitSpans(OtlpReceiver otlp, java.util.function.Predicate<List<ReceivedSpan>> done)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            List<ReceivedSpan> spans = otlp.spans();
            if (done.test(spans)) {
                Thread.sleep(1_000); // the last batch spans end after their provider calls
                return otlp.spans();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("spans did not arrive: " + names(otlp.spans()));
    }

    private static void awaitSent(ChildHerald api, long id) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        JsonNode stats = null;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/campaigns/" + id + "/stats"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            stats = JSON.readTree(response.body());
            if (stats.path("sent").asLong() == RECIPIENTS) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("campaign " + id + " did not send everything: " + stats);
    }

    private static List<JsonNode> ecsLines(Path log) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode line(List<JsonNode> lines, String messageStart) {
        return lines.stream().filter(l -> l.path("message").asString("").startsWith(messageStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no ECS log line '" + messageStart + "'"));
    }

    /** ECS writes the MDC's traceId as is; newer formats nest it under trace.id. */
    private static String traceIdOf(JsonNode line) {
        if (line.has("traceId")) {
            return line.get("traceId").asString();
        }
        if (line.has("trace.id")) {
            return line.get("trace.id").asString();
        }
        return line.path("trace").path("id").asString(null);
    }
}
