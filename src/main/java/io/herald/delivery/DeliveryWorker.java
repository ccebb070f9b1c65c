package io.herald.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;
import io.herald.audience.AudienceService;
import io.herald.audience.Contact;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignNotFoundException;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.dispatch.MessageLedger;
import io.herald.dispatch.MessageMetrics;
import io.herald.dispatch.MessageState;
import io.herald.dispatch.MessageStatus;
import io.herald.dispatch.Outcome;
import io.herald.Channel;
import io.herald.campaign.ContentType;
import io.herald.feedback.UnsubscribeLinks;
import io.herald.ops.WorkerActivity;
import io.herald.provider.OutboundMessage;
import io.herald.provider.ProviderRegistry;
import io.herald.provider.SendResult;
import io.herald.template.MessageContent;
import io.herald.template.SmsLength;
import io.herald.template.TemplateEngine;
import io.herald.template.TemplateSyntaxException;
import io.herald.tracking.TrackedBody;
import io.herald.tracking.TrackingService;
import io.herald.transport.ConsumerSettings;
import io.herald.transport.DeliveryTask;
import io.herald.transport.Transport;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker: takes batches of tasks from the transport, skips those the database says are no longer
 * due (duplicates, paused or cancelled campaigns, unknown ids), cancels those whose recipient has
 * unsubscribed or been deleted since the fan-out, renders each message, calls the
 * provider under the rate limits (this worker's own, then the channel's cap for the whole installation), and records
 * all outcomes of the batch at once. Retries are handed
 * back to the transport with a backoff delay, so no worker waits for them.
 */
@Component
@ConditionalOnRole(HeraldRoles.WORKER)
class DeliveryWorker implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final long CAMPAIGN_CACHE_MS = 1_000;
    static final String PROVIDER_SPAN = "herald.provider.send";

    private final Transport transport;
    private final MessageLedger ledger;
    private final AudienceService audience;
    private final CampaignService campaigns;
    private final TemplateEngine templates;
    private final ProviderRegistry providers;
    private final UnsubscribeLinks unsubscribeLinks;
    private final TrackingService tracking;
    private final OutcomeWriter outcomes;
    private final MessageMetrics metrics;
    private final RetryPolicy retryPolicy;
    private final DeliveryRateLimiter rateLimiter;
    private final ConsumerSettings consumerSettings;
    private final ChannelRateCaps rateCaps;
    private final WorkerActivity activity;
    private final ExecutorService senders;
    private final Tracer tracer;
    private final Map<Long, CachedCampaign> campaignCache = new ConcurrentHashMap<>();
    private volatile boolean running;
    /** Set when shutdown begins, so that tasks waiting for a channel cap give up their turn. */
    private volatile boolean stopping;

    DeliveryWorker(Transport transport, MessageLedger ledger, AudienceService audience, CampaignService campaigns,
                   TemplateEngine templates, ProviderRegistry providers, UnsubscribeLinks unsubscribeLinks,
                   OutcomeWriter outcomes, MessageMetrics metrics, DeliveryProperties properties,
                   ChannelRateCaps rateCaps, WorkerActivity activity, ObjectProvider<Tracer> tracer,
                   TrackingService tracking) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.tracking = tracking;
        this.transport = transport;
        this.ledger = ledger;
        this.audience = audience;
        this.campaigns = campaigns;
        this.templates = templates;
        this.providers = providers;
        this.unsubscribeLinks = unsubscribeLinks;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.retryPolicy = new RetryPolicy(properties.maxAttempts(), properties.initialBackoff(), properties.maxBackoff());
        this.rateLimiter = new DeliveryRateLimiter(properties.ratePerSec());
        this.consumerSettings = new ConsumerSettings(properties.consumers(), properties.consumerBatch());
        this.rateCaps = rateCaps;
        this.activity = activity;
        this.senders = Executors.newFixedThreadPool(properties.concurrency(), r -> {
            Thread t = new Thread(r, "herald-sender");
            t.setDaemon(true);
            return t;
        });
    }

    /** Delivers one batch; returns once every outcome is stored (the transport then acknowledges it). */
    void handle(List<DeliveryTask> batch) {
        Map<Long, List<DeliveryTask>> byCampaign = batch.stream()
                .collect(Collectors.groupingBy(DeliveryTask::campaignId, LinkedHashMap::new, Collectors.toList()));
        // Every log line of the batch names its campaign (a batch mixing campaigns names them all).
        String campaignIds = byCampaign.size() == 1 ? Long.toString(batch.get(0).campaignId())
                : byCampaign.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
        // Provider calls get spans of their own only when the batch's trace is sampled: none when tracing is off.
        Span batchSpan = tracer.currentSpan();
        Span traced = batchSpan != null && !batchSpan.isNoop() ? batchSpan : null;
        try (MDC.MDCCloseable campaign = MDC.putCloseable(io.herald.dispatch.Dispatcher.CAMPAIGN_MDC, campaignIds)) {
            handle(batch, byCampaign, traced);
        }
    }

    private void handle(List<DeliveryTask> batch, Map<Long, List<DeliveryTask>> byCampaign, Span traced) {
        List<Attempt> attempts = new ArrayList<>(batch.size());
        boolean cutByShutdown = false;
        for (Map.Entry<Long, List<DeliveryTask>> entry : byCampaign.entrySet()) {
            if (cutByShutdown) {
                break;
            }
            Started started = start(entry.getKey(), entry.getValue(), traced);
            attempts.addAll(started.attempts());
            cutByShutdown = started.cutByShutdown();
        }
        List<Outcome> results = new ArrayList<>(attempts.size());
        for (Attempt attempt : attempts) {
            results.add(attempt.outcome());
        }
        boolean[] applied = outcomes.write(results);
        // Committed: the Prometheus counters move with the campaign's stats (an increment, no database work), all of
        // them before the retries are published, which wait for the broker's confirms.
        for (int i = 0; i < results.size(); i++) {
            if (applied[i]) {
                metrics.recorded(attempts.get(i).channel(), results.get(i));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            Outcome outcome = results.get(i);
            if (!applied[i]) {
                continue;
            }
            DeliveryTask task = attempts.get(i).task();
            if (outcome.status() == MessageStatus.RETRYING) {
                // A deferred message kept its attempt count, so its task does too (else the worker would drop it as stale).
                transport.publishRetry(outcome.spendsAttempt() ? task.nextAttempt() : task,
                        Duration.ofMillis(outcome.nextAttemptAt() - outcome.at()));
            } else if (outcome.status() == MessageStatus.FAILED) {
                transport.deadLetter(task.nextAttempt(), outcome.error());
            }
        }
        // In memory only (the registry's heartbeat writes the last minute's sums): no database write per batch.
        activity.recordBatch(results.size());
        if (cutByShutdown) {
            // The started tasks are recorded; failing the batch hands all of it back to the transport, and the tasks
            // already recorded are skipped when they come again (their rows are no longer pending with that attempt).
            throw new IllegalStateException("worker stopping while waiting for a channel rate cap: the batch of "
                    + batch.size() + " tasks goes back to the transport (the " + attempts.size() + " started are recorded)");
        }
    }

    /** Starts the provider calls for one campaign's share of a batch. */
    private Started start(long campaignId, List<DeliveryTask> tasks, Span traced) {
        CachedCampaign campaign = campaign(campaignId);
        if (campaign == null) {
            log.warn("Dropping {} tasks of unknown campaign {} (stale queue?)", tasks.size(), campaignId);
            return Started.NONE;
        }
        if (campaign.status() != CampaignStatus.SENDING) {
            // Paused: rows stay pending and are re-published on resume. Cancelled/completed: nothing to do.
            return Started.NONE;
        }
        Map<Long, MessageState> states = ledger.load(campaignId, tasks.stream().map(DeliveryTask::messageId).toList())
                .stream().collect(Collectors.toMap(MessageState::id, Function.identity()));
        List<DeliveryTask> due = new ArrayList<>(tasks.size());
        for (DeliveryTask task : tasks) {
            MessageState state = states.get(task.messageId());
            if (state == null) {
                log.warn("Dropping task for unknown message {} of campaign {} (stale queue?)", task.messageId(), campaignId);
            } else if (state.status().pending() && state.attempts() == task.attempt()) {
                due.add(task);
            }
        }
        if (due.isEmpty()) {
            return Started.NONE;
        }
        Map<Long, Contact> contacts = audience.contacts(due.stream().map(DeliveryTask::recipientId).distinct().toList());
        List<Attempt> started = new ArrayList<>(due.size());
        for (DeliveryTask task : due) {
            // A rate-limited batch can take many seconds: a pause or cancel must stop it part-way. The tasks not
            // started stay pending in the database (re-published on resume, CANCELLED by a cancel).
            CachedCampaign now = campaign(campaignId);
            if (now == null || now.status() != CampaignStatus.SENDING) {
                log.debug("Campaign {} is no longer sending; {} tasks of this batch left pending", campaignId,
                        due.size() - started.size());
                break;
            }
            MessageState state = states.get(task.messageId());
            Contact contact = contacts.get(task.recipientId());
            if (contact != null && !contact.active()) {
                // Unsubscribed or deleted after the fan-out queued this message: not sent, and no rate token spent.
                started.add(new Attempt(task, campaign.channel(), CompletableFuture.completedFuture(Outcome.cancelled(state,
                        System.currentTimeMillis(), "the recipient unsubscribed or was deleted before delivery"))));
                continue;
            }
            java.util.Optional<SendResult.Deferred> down = providers.deferral(campaign.channel());
            if (down.isPresent()) {
                long at = System.currentTimeMillis();
                started.add(new Attempt(task, campaign.channel(), CompletableFuture.completedFuture(Outcome.deferred(state, at,
                        down.get().reason(), at + down.get().retryIn().toMillis()))));
                continue;
            }
            try {
                rateLimiter.acquire();
                // The installation-wide cap last, so the slot it grants is used at once. Its wait can be long (a
                // window cap that ran out), so it gives up when the campaign stops sending or the worker stops.
                if (!rateCaps.acquire(campaign.channel(), () -> !stopping && sending(campaignId))) {
                    log.debug("Campaign {} stopped sending or the worker is stopping; {} tasks of this batch not started",
                            campaignId, due.size() - started.size());
                    return new Started(started, stopping);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the rate limit", e);
            }
            started.add(new Attempt(task, campaign.channel(),
                    senders.submit(() -> deliver(campaign, state, contact, traced))));
        }
        return new Started(started, false);
    }

    private boolean sending(long campaignId) {
        CachedCampaign now = campaign(campaignId);
        return now != null && now.status() == CampaignStatus.SENDING;
    }

    private Outcome deliver(CachedCampaign campaign, MessageState state, Contact contact, Span traced) {
        try (MDC.MDCCloseable campaignId = MDC.putCloseable(io.herald.dispatch.Dispatcher.CAMPAIGN_MDC,
                Long.toString(state.campaignId()))) {
            if (traced == null) {
                return deliver(campaign, state, contact);
            }
            Span span = tracer.spanBuilder().setParent(traced.context()).name(PROVIDER_SPAN).kind(Span.Kind.CLIENT)
                    .tag("herald.campaign.id", state.campaignId()).tag("herald.message.id", state.id())
                    .tag("herald.channel", campaign.channel().key()).tag("herald.attempt", state.attempts() + 1L).start();
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                Outcome outcome = deliver(campaign, state, contact);
                span.tag("herald.outcome", outcome.status().name());
                if (outcome.error() != null) {
                    span.tag("herald.error", outcome.error());
                }
                return outcome;
            } finally {
                span.end();
            }
        }
    }

    private Outcome deliver(CachedCampaign campaign, MessageState state, Contact contact) {
        if (contact == null) {
            return Outcome.failed(state, System.currentTimeMillis(), "recipient no longer exists");
        }
        if (campaign.bodies() == null) {
            return Outcome.failed(state, System.currentTimeMillis(), campaign.contentError());
        }
        int variant = state.variant() == null ? 0 : state.variant();
        if (variant < 0 || variant >= campaign.bodies().size()) {
            return Outcome.failed(state, System.currentTimeMillis(), "the campaign has no variant " + variant);
        }
        Body body = campaign.bodies().get(variant);
        if (contact.address(campaign.channel()) == null) {
            // The address was removed after the fan-out: no retry can deliver this one.
            return Outcome.failed(state, System.currentTimeMillis(),
                    "recipient has no " + campaign.channel().addressField() + " for a " + campaign.channel().key() + " message");
        }
        SendResult result;
        SmsLength length = null;
        try {
            String unsubscribeUrl = unsubscribeLinks.url(contact.id(), state.campaignId());
            Map<String, Object> variables = contact.templateVariables();
            variables.put("unsubscribe_url", unsubscribeUrl);
            if (body.tracked() != null) {
                variables.putAll(body.tracked().variables(state.id()));
            }
            MessageContent.Rendered rendered = body.content().render(variables);
            OutboundMessage.Email email = campaign.channel() == Channel.EMAIL
                    ? new OutboundMessage.Email(rendered.subject(), rendered.html() ? rendered.body() : null, rendered.text(),
                            campaign.from(), campaign.replyTo(), unsubscribeUrl)
                    : null;
            if (campaign.channel() == Channel.SMS) {
                length = SmsLength.of(rendered.body());
            }
            result = providers.send(campaign.channel(), new OutboundMessage(state.id(), state.idempotencyKey(),
                    state.campaignId(), campaign.channel(),
                    new OutboundMessage.Recipient(contact.id(), contact.name(), contact.email(), contact.phone()),
                    rendered.body(), email));
        } catch (RuntimeException e) {
            result = new SendResult.RetryableFailure("provider error: " + e);
        }
        long now = System.currentTimeMillis();
        int attemptsMade = state.attempts() + 1;
        if (result instanceof SendResult.PermanentFailure failure) {
            return Outcome.failed(state, now, failure.reason());
        }
        if (result instanceof SendResult.Deferred deferred) {
            return Outcome.deferred(state, now, deferred.reason(), now + deferred.retryIn().toMillis());
        }
        if (result instanceof SendResult.RetryableFailure failure) {
            long delay = retryPolicy.backoff(attemptsMade).toMillis();
            if (failure.retryAfter() != null) {
                delay = Math.max(delay, failure.retryAfter().toMillis()); // the provider said when to come back
            }
            return retryPolicy.mayRetry(attemptsMade)
                    ? Outcome.retry(state, now, failure.reason(), now + delay)
                    : Outcome.failed(state, now, failure.reason() + " (gave up after " + attemptsMade + " attempts)");
        }
        String providerMessageId = result instanceof SendResult.Sent sent ? sent.providerMessageId() : null;
        return length == null ? Outcome.sent(state, now, providerMessageId, null, null)
                : Outcome.sent(state, now, providerMessageId, length.segments(), length.encoding().label());
    }

    private CachedCampaign campaign(long campaignId) {
        long now = System.currentTimeMillis();
        CachedCampaign cached = campaignCache.get(campaignId);
        // Only "sending" is cached: a paused campaign that was just resumed must not have its re-published
        // tasks dropped on a stale status.
        if (cached != null && cached.status() == CampaignStatus.SENDING && now - cached.loadedAt() < CAMPAIGN_CACHE_MS) {
            return cached;
        }
        try {
            Campaign campaign = campaigns.get(campaignId);
            // Content is fixed once a campaign sends, so a cached compilation stays valid.
            List<Body> bodies = cached != null ? cached.bodies() : null;
            String contentError = cached != null ? cached.contentError() : null;
            if (cached == null) {
                try {
                    bodies = bodies(campaign);
                } catch (TemplateSyntaxException e) {
                    // Stored before a stricter check (a partial, say): its messages fail, the worker goes on.
                    contentError = "the campaign's template does not parse: " + e.getMessage();
                }
            }
            CachedCampaign fresh = new CachedCampaign(campaign.status(), campaign.channel(), bodies, contentError,
                    campaign.from(), campaign.replyTo(), now);
            campaignCache.put(campaignId, fresh);
            return fresh;
        } catch (CampaignNotFoundException e) {
            return null;
        }
    }

    /** The compiled content: the campaign's alone, or one per A/B variant by position. */
    private List<Body> bodies(Campaign campaign) {
        if (campaign.variants().isEmpty()) {
            return List.of(body(campaign, campaign.subject(), campaign.template(), campaign.textTemplate(), 0));
        }
        List<Body> bodies = new ArrayList<>(campaign.variants().size());
        for (io.herald.campaign.Variant v : campaign.variants()) {
            bodies.add(body(campaign, v.subject(), v.template(), null, v.position()));
        }
        return bodies;
    }

    private Body body(Campaign campaign, String subject, String template, String textTemplate, int variant) {
        boolean html = campaign.contentType() == ContentType.HTML && campaign.channel() == Channel.EMAIL;
        String source = template;
        TrackedBody tracked = null;
        if (html && (campaign.trackClicks() || campaign.trackOpens())) {
            // links rewritten once per campaign; each message then only gets its own signed tokens
            tracked = tracking.prepare(campaign.id(), source, campaign.trackClicks(), campaign.trackOpens(), variant);
            source = tracked.source();
        }
        return new Body(templates.compileContent(subject, source, html, textTemplate), tracked);
    }

    /** Compiled content and, when tracked, the prepared body whose tokens each message gets. */
    private record Body(MessageContent content, TrackedBody tracked) {
    }

    @Override
    public void start() {
        stopping = false;
        running = true;
        transport.startConsuming(this::handle, consumerSettings);
    }

    @Override
    public void stop() {
        // Graceful: batches in flight finish and are recorded; the rest stays pending in the database.
        stopping = true;
        transport.stopConsuming();
        senders.shutdown();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** {@code bodies} is null when the templates do not parse; {@code contentError} then says why. */
    private record CachedCampaign(CampaignStatus status, Channel channel, List<Body> bodies, String contentError,
                                  String from, String replyTo, long loadedAt) {
    }

    /** One campaign's share of a batch: the attempts started, and whether a shutdown cut it short. */
    private record Started(List<Attempt> attempts, boolean cutByShutdown) {
        static final Started NONE = new Started(List.of(), false);
    }

    private record Attempt(DeliveryTask task, Channel channel, Future<Outcome> future) {
        Outcome outcome() {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while delivering", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("delivery failed unexpectedly", e.getCause());
            }
        }
    }
}
