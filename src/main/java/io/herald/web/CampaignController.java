package io.herald.web;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.herald.Channel;
import io.herald.InvalidInputException;
import io.herald.audience.AudienceService;
import io.herald.audience.Contact;
import io.herald.audience.SegmentRule;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignDraft;
import io.herald.campaign.CampaignPatch;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.campaign.ContentType;
import io.herald.dispatch.Dispatcher;
import io.herald.dispatch.MessageLedger;
import io.herald.dispatch.MessageRecord;
import io.herald.dispatch.MessageStatus;
import io.herald.stats.CampaignStats;
import io.herald.stats.StatsService;
import io.herald.template.MessageContent;
import io.herald.template.TemplateEngine;
import io.herald.web.CampaignViews.CampaignView;
import io.herald.web.CampaignViews.CreateCampaignRequest;
import io.herald.web.CampaignViews.MessageView;
import io.herald.web.CampaignViews.PreviewItem;
import io.herald.template.SmsLength;
import io.herald.provider.ProviderRegistry;
import io.herald.web.CampaignViews.PreviewRequest;
import io.herald.web.CampaignViews.PreviewView;
import io.herald.web.CampaignViews.RecipientRef;
import io.herald.web.CampaignViews.RedriveView;
import io.herald.web.CampaignViews.SendView;
import io.herald.web.CampaignViews.StatsView;
import io.herald.web.CampaignViews.ThroughputView;
import io.herald.web.CampaignViews.UpdateCampaignRequest;
import io.herald.web.CampaignViews.AbTestView;
import io.herald.web.CampaignViews.TimelineItem;
import io.herald.web.CampaignViews.TimelineView;
import io.herald.web.CampaignViews.VariantStats;
import io.herald.web.CampaignViews.VariantStatsView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/campaigns")
@Tag(name = "Campaigns", description = "Create, preview, send and watch campaigns")
class CampaignController {
    private static final Logger log = LoggerFactory.getLogger(CampaignController.class);
    private static final int PREVIEW_SIZE = 10;

    private final CampaignService campaigns;
    private final AudienceService audience;
    private final StatsService stats;
    private final MessageLedger messages;
    private final Dispatcher dispatcher;
    private final TemplateEngine templates;
    private final JsonMapper json;
    private final ProviderRegistry providers;
    private final String publicUrl;
    private final io.herald.tracking.TrackingProperties tracking;

    CampaignController(CampaignService campaigns, AudienceService audience, StatsService stats, MessageLedger messages,
                       Dispatcher dispatcher, TemplateEngine templates, JsonMapper json, ProviderRegistry providers,
                       @org.springframework.beans.factory.annotation.Value("${herald.public-url:http://localhost:8080}") String publicUrl,
                       io.herald.tracking.TrackingProperties tracking) {
        this.tracking = tracking;
        this.json = json;
        this.providers = providers;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.campaigns = campaigns;
        this.audience = audience;
        this.stats = stats;
        this.messages = messages;
        this.dispatcher = dispatcher;
        this.templates = templates;
    }

    @PostMapping
    @Operation(summary = "Create a campaign", description = "DRAFT, or SCHEDULED when scheduled_at is given. "
            + "400 with the field named when the template does not parse or the segment rule is empty or invalid.")
    ResponseEntity<CampaignView> create(@RequestBody CreateCampaignRequest request) {
        Campaign campaign = campaigns.create(new CampaignDraft(request.name(), channel(request.channel()), request.subject(),
                request.template(), request.contentType(), request.textTemplate(), request.from(), request.replyTo(),
                request.segmentRule(), toInstant(request.scheduledAt()), null, request.trackClicks(), request.trackOpens(),
                request.variantInputs(), request.abTestInput()));
        return ResponseEntity.created(URI.create("/campaigns/" + campaign.id())).body(view(campaign));
    }

    @GetMapping
    @Operation(summary = "List campaigns, newest first (keyset-paged)")
    PageView<CampaignView> list(@RequestParam(required = false) String status,
                                @RequestParam(required = false) Integer limit,
                                @RequestParam(required = false) String cursor) {
        int size = Paging.limit(limit, 20, 100);
        List<Campaign> rows = campaigns.list(parseStatus(status), Paging.cursor(cursor), size + 1);
        return Paging.page(rows, size, Campaign::id, page -> {
            Map<Long, CampaignStats> counters = stats.counters(page.stream().map(Campaign::id).toList());
            return page.stream().map(c -> CampaignView.of(c, counters.getOrDefault(c.id(), CampaignStats.empty(c.id())))).toList();
        });
    }

    /** What a new campaign gets for the fields a request leaves out, so that a form can start from them. */
    record CampaignDefaults(boolean trackOpens, boolean trackClicks) {
    }

    @GetMapping("/defaults")
    @Operation(summary = "Defaults of a new campaign", description = "track_opens and track_clicks of a new email "
            + "campaign that does not set them (herald.tracking.opens / herald.tracking.clicks)")
    CampaignDefaults defaults() {
        return new CampaignDefaults(tracking.opens(), tracking.clicks());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a campaign")
    CampaignView get(@PathVariable long id) {
        return view(campaigns.get(id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Edit a DRAFT or SCHEDULED campaign", description = "409 once the campaign is sending or sent")
    CampaignView update(@PathVariable long id, @RequestBody Map<String, Object> raw) {
        UpdateCampaignRequest request;
        try {
            request = json.convertValue(raw, UpdateCampaignRequest.class);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw InvalidInputException.of(ProblemHandler.jsonField(e, "body"), "has the wrong type or format");
        }
        for (String fixed : List.of("variants", "ab_test")) {
            if (raw.containsKey(fixed)) {
                // the split and the test's phases hang on them: a new campaign is the way to change them
                throw InvalidInputException.of(fixed, "is set when the campaign is created and cannot be changed");
            }
        }
        Set<String> cleared = new HashSet<>();
        for (String field : List.of("scheduled_at", "text_template", "from", "reply_to")) {
            if (raw.containsKey(field) && raw.get(field) == null) {
                cleared.add(field);
            }
        }
        return view(campaigns.update(id, new CampaignPatch(request.name(), channel(request.channel()), request.subject(),
                request.template(), request.contentType(), request.textTemplate(), request.from(), request.replyTo(),
                request.segmentRule(), toInstant(request.scheduledAt()), cleared, request.trackClicks(), request.trackOpens())));
    }

    @GetMapping("/{id}/preview")
    @Operation(summary = "Preview: the number of targets and the first 10 rendered messages",
            description = "total_targets counts recipients reachable on the campaign's channel; unreachable those that"
                    + " match the rule but have no address for it (no email for email, no phone for sms)")
    PreviewView preview(@PathVariable long id) {
        return preview(campaigns.get(id));
    }

    @PostMapping("/preview")
    @Operation(summary = "Preview an unsaved campaign", description = "Renders the fields of a new campaign (channel,"
            + " subject, template, content_type, text_template, segment_rule) for the first 10 targets; stores nothing."
            + " 400 names each field that does not parse.")
    PreviewView previewDraft(@RequestBody PreviewRequest request) {
        return preview(campaigns.checkDraft(channel(request.channel()), request.subject(), request.template(),
                request.contentType(), request.textTemplate(), request.segmentRule()));
    }

    private PreviewView preview(Campaign campaign) {
        SegmentRule rule = SegmentRule.parse(campaign.segmentRule());
        boolean email = campaign.channel() == Channel.EMAIL;
        MessageContent content = templates.compileContent(campaign.subject(), campaign.template(),
                email && campaign.contentType() == ContentType.HTML, campaign.textTemplate());
        List<PreviewItem> items = audience.firstTargets(rule, campaign.channel(), PREVIEW_SIZE).stream()
                .map(c -> {
                    Map<String, Object> variables = c.templateVariables();
                    // A preview must not carry a working link: following it would unsubscribe the sample recipient.
                    variables.put("unsubscribe_url", publicUrl + "/u/preview");
                    MessageContent.Rendered r = content.render(variables);
                    SmsLength length = email ? null : SmsLength.of(r.body());
                    return new PreviewItem(c.id(), c.name(), c.email(), c.phone(), r.subject(), r.body(), r.text(),
                            length == null ? null : length.encoding().label(), length == null ? null : length.units(),
                            length == null ? null : length.segments());
                })
                .toList();
        return new PreviewView(audience.countTargets(rule, campaign.channel()),
                audience.countUnreachable(rule, campaign.channel()), items);
    }

    @PostMapping("/{id}/send")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send now", description = "202: fan-out starts in the background. A campaign that is already "
            + "sending or sent answers 409 problem+json and creates nothing: each recipient gets a campaign at most once.")
    SendView send(@PathVariable long id) {
        // campaign_id on every log line of the request, as on the fan-out's and the workers' (README "Traces and logs")
        try (MDC.MDCCloseable campaignId = MDC.putCloseable(Dispatcher.CAMPAIGN_MDC, Long.toString(id))) {
            Campaign campaign = campaigns.send(id);
            log.info("Campaign {} is sending", id);
            return new SendView(id, campaign.status().name(),
                    audience.countTargets(SegmentRule.parse(campaign.segmentRule()), campaign.channel()));
        }
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause a sending campaign", description = "Workers stop delivering its messages within about a second")
    CampaignView pause(@PathVariable long id) {
        return view(campaigns.pause(id));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused campaign")
    CampaignView resume(@PathVariable long id) {
        return view(campaigns.resume(id));
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a campaign", description = "Messages not yet delivered become CANCELLED and are never sent")
    CampaignView cancel(@PathVariable long id) {
        return view(campaigns.cancel(id));
    }

    @PostMapping("/{id}/retry-failed")
    @Operation(summary = "Re-drive dead letters", description = "FAILED messages are queued again with a fresh attempt budget")
    RedriveView retryFailed(@PathVariable long id) {
        return new RedriveView(id, dispatcher.redriveFailed(id));
    }

    @GetMapping("/{id}/stats")
    @Operation(summary = "Delivery statistics", description = "Counters are kept incrementally; p50/p95/p99 come from a"
            + " latency histogram. by=variant answers per A/B variant instead (VariantStatsView), counted from the messages.")
    Object stats(@PathVariable long id,
                 @Parameter(description = "variant: per A/B variant") @RequestParam(required = false) String by) {
        Campaign campaign = campaigns.get(id);
        if (by != null && !by.isBlank()) {
            if (!"variant".equals(by.strip())) {
                throw InvalidInputException.of("by", "must be variant");
            }
            return variantStats(campaign);
        }
        return StatsView.of(campaign, stats.get(id), providers.state(campaign.channel()));
    }

    private VariantStatsView variantStats(Campaign campaign) {
        Map<Integer, MessageLedger.VariantCounts> counts = messages.variantCounts(campaign.id());
        Integer winner = campaign.abTest() == null ? null : campaign.abTest().winner();
        List<VariantStats> rows = campaign.variants().stream().map(v -> {
            MessageLedger.VariantCounts c = counts.getOrDefault(v.position(), MessageLedger.VariantCounts.NONE);
            return new VariantStats(v.name(), v.weight(), c.total(), c.queued(), c.sent(), c.failed(), c.cancelled(),
                    c.delivered(), c.opens(), c.clicks(), c.sent() == 0 ? 0 : (double) c.opens() / c.sent(),
                    c.sent() == 0 ? 0 : (double) c.clicks() / c.sent(), winner != null && winner == v.position());
        }).toList();
        AbTestView ab = AbTestView.of(campaign);
        return new VariantStatsView(campaign.id(), campaign.status().name(), ab == null ? null : ab.phase(),
                ab == null ? null : ab.winner(), ab == null ? null : ab.metric(), rows);
    }

    @GetMapping("/{id}/timeline")
    @Operation(summary = "What happened to the campaign, oldest first",
            description = "sending, paused, resumed, cancelled, completed and an A/B test's phases and winner")
    TimelineView timeline(@PathVariable long id) {
        return new TimelineView(id, campaigns.timeline(id).stream()
                .map(e -> new TimelineItem(e.at(), e.event(), e.detail())).toList());
    }

    @GetMapping("/{id}/stats/throughput")
    @Operation(summary = "Throughput over time", description = "Messages sent and failed per bucket of whole seconds,"
            + " oldest first, at most `points` buckets (default 120, 2 to 1000); read from per-second counters")
    ThroughputView throughput(@PathVariable long id, @RequestParam(defaultValue = "120") int points) {
        if (points < 2 || points > 1000) {
            throw InvalidInputException.of("points", "must be between 2 and 1000");
        }
        campaigns.get(id);
        return ThroughputView.of(stats.throughput(id, points));
    }

    @GetMapping("/{id}/messages")
    @Operation(summary = "List messages, newest first (keyset-paged)", description = "status=FAILED lists the dead letters")
    PageView<MessageView> messages(@PathVariable long id,
                                   @Parameter(description = "QUEUED, RETRYING, SENT, FAILED or CANCELLED") @RequestParam(required = false) String status,
                                   @Parameter(description = "1 to 1000, default 50") @RequestParam(required = false) Integer limit,
                                   @RequestParam(required = false) String cursor,
                                   @Parameter(description = "An A/B variant's name") @RequestParam(required = false) String variant) {
        Campaign campaign = campaigns.get(id);
        MessageStatus filter = parseMessageStatus(status);
        int size = Paging.limit(limit, 50, 1000);
        Long before = Paging.cursor(cursor);
        long beforeId = before == null ? Long.MAX_VALUE : before;
        List<MessageRecord> rows;
        if (variant == null || variant.isBlank()) {
            rows = messages.page(id, filter, beforeId, size + 1);
        } else {
            int position = campaign.variants().stream().filter(v -> v.name().equalsIgnoreCase(variant.strip()))
                    .mapToInt(io.herald.campaign.Variant::position).findFirst()
                    .orElseThrow(() -> InvalidInputException.of("variant", "must name one of the campaign's variants "
                            + campaign.variants().stream().map(io.herald.campaign.Variant::name).toList()));
            rows = messages.page(id, filter, position, beforeId, size + 1);
        }
        return Paging.page(rows, size, MessageRecord::id, page -> {
            Map<Long, Contact> contacts = audience.contacts(page.stream().map(MessageRecord::recipientId).distinct().toList());
            return page.stream().map(m -> {
                Contact c = contacts.get(m.recipientId());
                RecipientRef ref = c == null ? new RecipientRef(m.recipientId(), null, null)
                        : new RecipientRef(c.id(), c.name(), c.email());
                return new MessageView(m.id(), ref, c == null ? List.of() : c.tags(), m.status().name(), m.attempts(),
                        m.createdAt(), m.sentAt(), m.latencyMs(), m.lastError(), m.idempotencyKey(), m.providerMessageId(),
                        m.segments(), m.smsEncoding(), m.deliveryStatus(), m.deliveredAt(), m.deliveryError(),
                        m.variant() == null || m.variant() >= campaign.variants().size() ? null
                                : campaign.variants().get(m.variant()).name());
            }).toList();
        });
    }

    private CampaignView view(Campaign campaign) {
        return CampaignView.of(campaign, stats.get(campaign.id()));
    }

    private static Channel channel(String channel) {
        return channel == null || channel.isBlank() ? null : Channel.parse(channel);
    }

    private static Instant toInstant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    static CampaignStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return CampaignStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("status", "must be one of " + List.of(CampaignStatus.values()));
        }
    }

    private static MessageStatus parseMessageStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return MessageStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("status", "must be one of " + List.of(MessageStatus.values()));
        }
    }
}
