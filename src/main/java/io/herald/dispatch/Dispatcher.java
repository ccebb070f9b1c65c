package io.herald.dispatch;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.herald.audience.AudienceService;
import io.herald.audience.SegmentRule;
import io.herald.campaign.AbPhase;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignEvents;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.campaign.VariantSplit;
import io.herald.stats.StatsDelta;
import io.herald.stats.StatsService;
import io.herald.transport.DeliveryTask;
import io.herald.transport.Transport;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fan-out: turns a sending campaign into one QUEUED message row per target recipient, page by page
 * (keyset over recipient ids), and hands each committed page to the transport.
 * <p>
 * Progress is committed with each page, and a lease makes exactly one process run a campaign's
 * fan-out; if that process dies, the scheduler's {@link DispatchSupervisor} lets another take over
 * from the last committed page. Pages already materialised but not yet confirmed published are
 * re-published on recovery, so nothing is lost; the message row decides whether a task is still due,
 * so nothing is delivered twice.
 */
@Service
public class Dispatcher implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** The MDC key of the campaign a log line is about (README "Traces and logs"). */
    public static final String CAMPAIGN_MDC = "campaign_id";
    static final String FAN_OUT_SPAN = "herald.fanout";
    static final String PAGE_SPAN = "herald.fanout.page";
    static final String CAMPAIGN_TAG = "herald.campaign.id";
    static final String BATCH_SIZE_TAG = "herald.batch.size";

    private final DispatchRuns runs;
    private final MessageLedger ledger;
    private final AudienceService audience;
    private final CampaignService campaigns;
    private final StatsService stats;
    private final Transport transport;
    private final MessageMetrics metrics;
    private final TransactionTemplate tx;
    private final Tracer tracer;
    private final int batchSize;
    private final long leaseMs;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    // Campaigns whose fan-out runs on a thread of this process. A fan-out blocked in a publish (broker away) outlives
    // its lease; the supervisor must not start a second one beside it here, which would publish its pages again.
    private final java.util.Set<Long> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService fanOuts = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "herald-fanout");
        t.setDaemon(true);
        return t;
    });

    // Publishes a fan-out's page while its next page is read and inserted (at most one page per fan-out in flight).
    private final ExecutorService publishers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "herald-fanout-publish");
        t.setDaemon(true);
        return t;
    });

    Dispatcher(DispatchRuns runs, MessageLedger ledger, AudienceService audience, CampaignService campaigns,
               StatsService stats, Transport transport, MessageMetrics metrics, PlatformTransactionManager transactionManager,
               @Value("${herald.dispatch.batch-size:5000}") int batchSize,
               @Value("${herald.dispatch.lease:30s}") java.time.Duration lease, ObjectProvider<Tracer> tracer) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.runs = runs;
        this.ledger = ledger;
        this.audience = audience;
        this.campaigns = campaigns;
        this.stats = stats;
        this.transport = transport;
        this.metrics = metrics;
        this.tx = new TransactionTemplate(transactionManager);
        this.batchSize = Math.max(500, batchSize);
        this.leaseMs = lease.toMillis();
    }

    /** In the sending transaction: the run row exists as soon as the campaign is SENDING. */
    @EventListener
    void createRun(CampaignEvents.SendStarted event) {
        long now = System.currentTimeMillis();
        runs.create(event.campaignId(), event.segmentRule(), owner, now + leaseMs, now);
    }

    @TransactionalEventListener
    void startAfterCommit(CampaignEvents.SendStarted event) {
        // Runs after the HTTP request returned; the request's trace context goes along, so the fan-out (and every
        // batch it publishes) is part of the send's trace.
        fanOuts.execute(tracer.currentTraceContext().wrap(() -> fanOut(event.campaignId())));
    }

    /** In the cancelling transaction: pending messages become CANCELLED and counters follow. */
    @EventListener
    void cancelPending(CampaignEvents.Cancelled event) {
        long id = event.campaignId();
        // Finish the run first: that waits for a fan-out page in progress to commit (same row), so the
        // cancel below also sees that page's messages, and no later page is materialised.
        runs.finish(id);
        int cancelled = ledger.cancelPending(id, System.currentTimeMillis());
        if (cancelled > 0) {
            stats.apply(id, new StatsDelta(0, -cancelled, 0, 0, 0, cancelled), new long[0]);
            metrics.cancelled(campaigns.get(id).channel(), cancelled);
        }
    }

    @TransactionalEventListener
    void resumeAfterCommit(CampaignEvents.Resumed event) {
        fanOuts.execute(tracer.currentTraceContext().wrap(() -> {
            republishPending(event.campaignId());
            resumeFanOut(event.campaignId());
        }));
    }

    /** Re-queues the campaign's FAILED messages (dead letters) with a fresh attempt budget. */
    public int redriveFailed(long campaignId) {
        Campaign campaign = campaigns.get(campaignId);
        if (campaign.status() == CampaignStatus.CANCELLED) {
            throw new io.herald.campaign.CampaignStateException("campaign " + campaignId + " is CANCELLED", campaign.status());
        }
        Integer requeued = tx.execute(status -> {
            int n = ledger.requeueFailed(campaignId, System.currentTimeMillis());
            if (n > 0) {
                stats.apply(campaignId, new StatsDelta(0, n, 0, -n, 0, 0), new long[0]);
                campaigns.reopen(campaignId);
            }
            return n;
        });
        if (requeued != null && requeued > 0) {
            republishPending(campaignId);
        }
        return requeued == null ? 0 : requeued;
    }

    /** Hands every pending message of the campaign to the transport again (after a pause or a restart). */
    public int republishPending(long campaignId) {
        int total = 0;
        long after = 0;
        while (true) {
            List<DeliveryTask> page = ledger.pendingTasks(campaignId, after, batchSize);
            if (page.isEmpty()) {
                return total;
            }
            transport.publish(page);
            total += page.size();
            after = page.get(page.size() - 1).messageId();
        }
    }

    /** Takes over an unfinished fan-out if nobody holds its lease. */
    void resumeFanOut(long campaignId) {
        long now = System.currentTimeMillis();
        if (runs.claim(campaignId, owner, now + leaseMs, now)) {
            fanOut(campaignId);
        }
    }

    void resumeFanOutAsync(long campaignId) {
        fanOuts.execute(() -> resumeFanOut(campaignId));
    }

    /** Re-publishes pages that were materialised but maybe not published before a crash. */
    void republishUnconfirmed() {
        for (DispatchRuns.Run run : runs.unpublished()) {
            List<DeliveryTask> tasks = ledger.queuedTasks(run.campaignId(), run.publishedCursor(), run.dispatchCursor());
            if (!tasks.isEmpty()) {
                transport.publish(tasks);
                log.info("Re-published {} messages of campaign {} that a crash may have left unpublished",
                        tasks.size(), run.campaignId());
            }
            runs.published(run.campaignId(), run.dispatchCursor());
        }
    }

    /** COMPLETED once fan-out is done and nothing is waiting; true if this call completed it. */
    public boolean completeIfDrained(long campaignId) {
        boolean done = runs.find(campaignId).map(DispatchRuns.Run::done).orElse(false);
        if (done && campaigns.completeIf(campaignId, () -> stats.queued(campaignId) == 0)) {
            log.info("Campaign {} completed", campaignId);
            return true;
        }
        return false;
    }

    private void fanOut(long campaignId) {
        if (!running.add(campaignId)) {
            return;
        }
        Span span = tracer.nextSpan().name(FAN_OUT_SPAN).tag(CAMPAIGN_TAG, campaignId).start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span);
             MDC.MDCCloseable campaign = MDC.putCloseable(CAMPAIGN_MDC, Long.toString(campaignId))) {
            fanOutPages(campaignId);
        } finally {
            span.end();
            running.remove(campaignId);
        }
    }

    private void fanOutPages(long campaignId) {
        try {
            DispatchRuns.Run run = runs.find(campaignId).orElse(null);
            if (run == null || run.done()) {
                return;
            }
            SegmentRule rule = SegmentRule.parse(run.segmentRule());
            long cursor = run.dispatchCursor();
            if (run.publishedCursor() < cursor) {
                // The previous attempt committed a page but failed to publish it (broker down): publish it first.
                List<DeliveryTask> unpublished = ledger.queuedTasks(campaignId, run.publishedCursor(), cursor);
                if (!unpublished.isEmpty()) {
                    transport.publish(unpublished);
                    log.info("Re-published {} messages of campaign {} whose publish had failed", unpublished.size(), campaignId);
                }
                runs.published(campaignId, cursor);
            }
            long started = System.nanoTime();
            long queued = 0;
            PagePublish publishing = PagePublish.NONE;
            try {
                while (true) {
                    Campaign campaign = campaigns.get(campaignId);
                    CampaignStatus status = campaign.status();
                    if (status == CampaignStatus.PAUSED) {
                        publishing.await(runs);
                        runs.release(campaignId, owner);
                        log.info("Fan-out of campaign {} paused after recipient {}", campaignId, cursor);
                        return;
                    }
                    if (status == CampaignStatus.CANCELLED) {
                        runs.finish(campaignId);
                        return;
                    }
                    List<Long> page = audience.targetPage(rule, campaign.channel(), cursor, batchSize);
                    if (page.isEmpty()) {
                        publishing.await(runs);
                        runs.finish(campaignId);
                        log.info("Fan-out of campaign {} done: {} messages queued in {} ms", campaignId, queued,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                        completeIfDrained(campaignId);
                        return;
                    }
                    long after = cursor;
                    long upTo = page.get(page.size() - 1);
                    Share share = share(campaign, page);
                    // One span per page (materialise + publish): the worker batches of its tasks become its children.
                    Span pageSpan = tracer.nextSpan().name(PAGE_SPAN).tag(CAMPAIGN_TAG, campaignId)
                            .tag(BATCH_SIZE_TAG, page.size()).start();
                    boolean handedOver = false;
                    try (Tracer.SpanInScope pageScope = tracer.withSpan(pageSpan)) {
                        MessageLedger.QueuedPage created;
                        try {
                            created = materialise(campaignId, after, upTo, share, true);
                        } catch (DuplicateKeyException e) {
                            // A page's rows commit with the cursor that moves past them, so only rows written some
                            // other way get here: the page again, skipping them.
                            log.warn("Fan-out page ({}, {}] of campaign {} met existing messages; queuing only the missing",
                                    after, upTo, campaignId);
                            created = materialise(campaignId, after, upTo, share, false);
                        }
                        if (created == null) {
                            log.warn("Fan-out of campaign {} lost its lease; another process or thread continues it", campaignId);
                            return;
                        }
                        metrics.fannedOut(created.inserted());
                        List<DeliveryTask> tasks = created.tasks();
                        if (queued == 0 && !tasks.isEmpty()) {
                            ledger.refreshStatistics();
                        }
                        // The previous page's publish ran while this page was read and inserted; pages are published
                        // one at a time and in order, so the published cursor only ever covers published pages.
                        publishing.await(runs);
                        publishing = publishAsync(campaignId, tasks, upTo, pageSpan);
                        handedOver = true;
                        queued += tasks.size();
                        cursor = upTo;
                    } finally {
                        if (!handedOver) {
                            pageSpan.end();
                        }
                    }
                }
            } finally {
                // Whatever ended the loop, no publish of this fan-out outlives it (a paused or failed fan-out's
                // successor starts from the published cursor).
                publishing.awaitQuietly(runs);
            }
        } catch (RuntimeException e) {
            // The lease runs out and the supervisor resumes from the last committed page.
            log.error("Fan-out of campaign {} failed; it will be resumed", campaignId, e);
        }
    }

    /**
     * One page's transaction: the cursor moves past the page (if this process still holds the lease; null if not), its
     * messages are inserted and counted. {@code allNew}: as a plain insert that fails with DuplicateKeyException on a
     * recipient who has a row already, instead of one that skips such rows.
     */
    private MessageLedger.QueuedPage materialise(long campaignId, long after, long upTo, Share share, boolean allNew) {
        return tx.execute(s -> {
            long now = System.currentTimeMillis();
            if (!runs.advance(campaignId, owner, after, upTo, now + leaseMs)) {
                return null;
            }
            MessageLedger.QueuedPage inserted = allNew
                    ? ledger.insertNew(campaignId, after, upTo, share.recipients(), share.variants(), now)
                    : ledger.insertQueued(campaignId, after, upTo, share.recipients(), share.variants(), now);
            stats.apply(campaignId, StatsDelta.queued(inserted.inserted()), new long[0]);
            return inserted;
        });
    }

    /** Publishes a committed page on a publisher thread and ends its span there. */
    private PagePublish publishAsync(long campaignId, List<DeliveryTask> tasks, long upTo, Span pageSpan) {
        Runnable publish = () -> {
            try (Tracer.SpanInScope scope = tracer.withSpan(pageSpan);
                 MDC.MDCCloseable campaign = MDC.putCloseable(CAMPAIGN_MDC, Long.toString(campaignId))) {
                transport.publish(tasks);
            } finally {
                pageSpan.end();
            }
        };
        return new PagePublish(campaignId, upTo, java.util.concurrent.CompletableFuture.runAsync(publish, publishers));
    }

    /**
     * A page's publish in progress. Its published cursor is written by the fan-out thread once the publish is
     * done (not by the publisher, whose update would wait on the run row that the next page's transaction holds).
     */
    private record PagePublish(long campaignId, long upTo, java.util.concurrent.CompletableFuture<Void> future) {
        static final PagePublish NONE = new PagePublish(0, 0, java.util.concurrent.CompletableFuture.completedFuture(null));

        /** Waits for the publish and records the page as published; rethrows the publish's failure. */
        void await(DispatchRuns runs) {
            try {
                future.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            if (this != NONE) {
                runs.published(campaignId, upTo);
            }
        }

        void awaitQuietly(DispatchRuns runs) {
            try {
                await(runs);
            } catch (RuntimeException ignored) {
                // the page stays unpublished in the run row: whoever continues the fan-out publishes it first
            }
        }
    }

    /**
     * The part of a fan-out page that gets a message now, with each one's variant. Without an automatic winner that is
     * every recipient, each with its weighted variant; in an A/B test's test phase only the test group, in its winner
     * phase only the rest, all with the winner. Computed from the ids alone, so a resumed fan-out decides the same.
     */
    private static Share share(Campaign campaign, List<Long> page) {
        if (campaign.variants().isEmpty()) {
            return new Share(page, null);
        }
        VariantSplit split = VariantSplit.of(campaign);
        AbPhase phase = campaign.abPhase();
        List<Long> recipients = phase == null ? page : new ArrayList<>(page.size());
        int[] variants = new int[page.size()];
        int n = 0;
        for (long recipient : page) {
            if (phase == null) {
                variants[n++] = split.variant(recipient);
                continue;
            }
            boolean test = split.inTestGroup(recipient, campaign.abTest().share());
            if (phase == AbPhase.TEST && test) {
                recipients.add(recipient);
                variants[n++] = split.variant(recipient);
            } else if (phase == AbPhase.WINNER && !test) {
                recipients.add(recipient);
                variants[n++] = campaign.abTest().winner();
            }
        }
        return new Share(recipients, variants);
    }

    private record Share(List<Long> recipients, int[] variants) {
    }

    /** In the choosing transaction: the fan-out starts over for the recipients outside the test group. */
    @EventListener
    void restartForWinner(CampaignEvents.WinnerChosen event) {
        runs.restart(event.campaignId(), owner, System.currentTimeMillis() + leaseMs);
    }

    @TransactionalEventListener
    void winnerAfterCommit(CampaignEvents.WinnerChosen event) {
        fanOuts.execute(tracer.currentTraceContext().wrap(() -> fanOut(event.campaignId())));
    }

    @Override
    public void destroy() {
        fanOuts.shutdown();
        publishers.shutdown();
        try {
            fanOuts.awaitTermination(10, TimeUnit.SECONDS);
            publishers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
