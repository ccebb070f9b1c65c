package io.herald.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1 (what an OpenTelemetry Collector listens to on :4318): decodes each
 * protobuf {@code ExportTraceServiceRequest} POSTed to {@code /v1/traces} and keeps its spans with their resource.
 */
public final class OtlpReceiver implements AutoCloseable {
    /** One received span; ids in lower-case hex as in a W3C traceparent, parent "" for a root. */
    public record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name,
                               Map<String, String> attributes, Map<String, String> resource, List<String> linkedSpanIds) {
        public String attribute(String key) {
            return attributes.get(key);
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    public OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(executor);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                requests.incrementAndGet();
                boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                byte[] bytes = (gzip ? new GZIPInputStream(body) : body).readAllBytes();
                collect(ExportTraceServiceRequest.parseFrom(bytes));
                byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
                if (response.length > 0) {
                    exchange.getResponseBody().write(response);
                }
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private void collect(ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            Map<String, String> resource = attributes(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
                    List<String> links = new ArrayList<>();
                    span.getLinksList().forEach(link -> links.add(HEX.formatHex(link.getSpanId().toByteArray())));
                    spans.add(new ReceivedSpan(HEX.formatHex(span.getTraceId().toByteArray()),
                            HEX.formatHex(span.getSpanId().toByteArray()),
                            HEX.formatHex(span.getParentSpanId().toByteArray()), span.getName(),
                            attributes(span.getAttributesList()), resource, List.copyOf(links)));
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        Map<String, String> map = new HashMap<>();
        for (KeyValue kv : values) {
            AnyValue v = kv.getValue();
            String text = switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                default -> v.toString();
            };
            map.put(kv.getKey(), text);
        }
        return map;
    }

    /** The OTLP/HTTP traces endpoint, for {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
    public String tracesUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    public List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** Export requests received, spans or not. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
