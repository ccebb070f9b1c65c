package io.herald.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Carries the trace of a publish through the queue and opens the span of each delivery batch.
 * <p>
 * A publish writes the current span's context (W3C {@code traceparent}, as Boot's propagator produces it) into
 * the broker message's headers (in memory: beside the task). A consumed batch gets one span, {@value #BATCH_SPAN},
 * whose parent is the context of the batch's first task and which links to the other publishes it took tasks from,
 * so a worker batch hangs under the fan-out page (or the failed batch, for a retry) that published it. One span per
 * batch, never per task: with tracing off (the default) the hot path pays one unsampled span per batch.
 */
final class TaskTracing {
    static final String BATCH_SPAN = "herald.delivery.batch";
    static final String CAMPAIGN_TAG = "herald.campaign.id";
    static final String BATCH_SIZE_TAG = "herald.batch.size";
    /** No tracing: publishes carry nothing and batches open no span (transports built outside Spring, tests). */
    static final TaskTracing OFF = new TaskTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;

    TaskTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The tracer and propagator Boot configured; {@link #OFF} where it configured none. */
    static TaskTracing of(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        Tracer t = tracer.getIfAvailable(() -> Tracer.NOOP);
        Propagator p = propagator.getIfAvailable(() -> Propagator.NOOP);
        return t == Tracer.NOOP || p == Propagator.NOOP ? OFF : new TaskTracing(t, p);
    }

    /**
     * The current span's context as propagation headers; null when no sampled span is current. An unsampled trace
     * is not carried: with tracing off (sampling probability 0, Herald's default) brokers see no extra header, and
     * a worker batch then starts a trace of its own (unsampled too) for its log lines.
     */
    Map<String, String> current() {
        Span span = tracer.currentSpan();
        if (span == null || !Boolean.TRUE.equals(span.context().sampled())) {
            return null;
        }
        Map<String, String> headers = new HashMap<>(4);
        propagator.inject(span.context(), headers, Map::put);
        return headers.isEmpty() ? null : headers;
    }

    /**
     * Runs {@code handler} on {@code tasks} inside a batch span. {@code contexts} holds the propagation headers of
     * the publishes the tasks came from, in task order (null entries and repeats are allowed).
     */
    void handle(DeliveryHandler handler, List<DeliveryTask> tasks, List<Map<String, String>> contexts) {
        if (tracer == Tracer.NOOP) {
            handler.handle(tasks);
            return;
        }
        Map<String, String> parent = null;
        Set<String> others = new LinkedHashSet<>();
        for (Map<String, String> context : contexts) {
            if (context == null) {
                continue;
            }
            if (parent == null) {
                parent = context;
            } else if (!context.equals(parent)) {
                String traceparent = context.get("traceparent");
                if (traceparent != null) {
                    others.add(traceparent);
                }
            }
        }
        Span.Builder builder = parent == null ? tracer.spanBuilder() : propagator.extract(parent, Map::get);
        for (String traceparent : others) {
            TraceContext link = parse(traceparent);
            if (link != null) {
                builder.addLink(new Link(link));
            }
        }
        Span span = builder.name(BATCH_SPAN).kind(Span.Kind.CONSUMER).tag(BATCH_SIZE_TAG, tasks.size()).start();
        if (!span.isNoop()) {
            span.tag(CAMPAIGN_TAG, campaignIds(tasks));
        }
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            handler.handle(tasks);
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    private static String campaignIds(List<DeliveryTask> tasks) {
        Set<Long> ids = new LinkedHashSet<>();
        for (DeliveryTask task : tasks) {
            ids.add(task.campaignId());
        }
        List<String> text = new ArrayList<>(ids.size());
        ids.forEach(id -> text.add(Long.toString(id)));
        return String.join(",", text);
    }

    /** A W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}) as a link target; null if malformed. */
    private TraceContext parse(String traceparent) {
        String[] parts = traceparent.split("-");
        if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16) {
            return null;
        }
        return tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2])
                .sampled(parts[3].endsWith("1")).build();
    }
}
