package io.herald.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.herald.campaign.Campaign;
import io.herald.stats.CampaignStats;
import io.herald.stats.ThroughputSeries;
import io.swagger.v3.oas.annotations.media.Schema;

/** Request and response bodies of the campaign endpoints (snake_case on the wire). */
final class CampaignViews {
    private CampaignViews() {
    }

    @Schema(description = "A new campaign")
    record CreateCampaignRequest(
            @Schema(description = "Display name", example = "Welcome Back", requiredMode = Schema.RequiredMode.REQUIRED) String name,
            @Schema(description = "email or sms; default herald.default-channel (email)", example = "email",
                    nullable = true) String channel,
            @Schema(description = "Email subject, a Mustache template (required for email)", example = "{{name}}, we miss you",
                    nullable = true) String subject,
            @Schema(description = "The body: a Mustache template; {{name}}, {{email}}, {{phone}}, {{unsubscribe_url}} and any"
                    + " recipient attribute", example = "Hi {{name}}, we miss you!",
                    requiredMode = Schema.RequiredMode.REQUIRED) String template,
            @Schema(description = "Email body type: html (default) or text", example = "html", nullable = true) String contentType,
            @Schema(description = "Plain-text alternative of an HTML email; derived from the HTML when absent",
                    nullable = true) String textTemplate,
            @Schema(description = "Sender; default herald.email.from", example = "Herald News <news@example.com>",
                    nullable = true) String from,
            @Schema(description = "Reply-To; default herald.email.reply-to", nullable = true) String replyTo,
            @Schema(description = "Comma-separated tags, all required (AND)", example = "vip,tw",
                    requiredMode = Schema.RequiredMode.REQUIRED) String segmentRule,
            @Schema(description = "When to send by itself (ISO-8601 with offset); omit for a draft sent by hand",
                    example = "2030-01-01T09:00:00+08:00", nullable = true) OffsetDateTime scheduledAt,
            @Schema(description = "Email: rewrite the HTML body's links to count clicks; default herald.tracking.clicks (true)",
                    nullable = true) Boolean trackClicks,
            @Schema(description = "Email: add an open pixel to the HTML body; default herald.tracking.opens (true)",
                    nullable = true) Boolean trackOpens,
            @Schema(description = "2 to 5 A/B variants; each recipient gets one, chosen by weight from the recipient and"
                    + " campaign ids (the same on every re-run). template and subject may then be left out", nullable = true)
            List<VariantRequest> variants,
            @Schema(description = "Automatic winner over the variants (email with tracking)", nullable = true)
            AbTestRequest abTest) {
        List<io.herald.campaign.VariantInput> variantInputs() {
            return variants == null ? null : variants.stream().map(v -> v == null ? null
                    : new io.herald.campaign.VariantInput(v.name(), v.subject(), v.template(), v.weight())).toList();
        }

        io.herald.campaign.AbTestInput abTestInput() {
            return abTest == null ? null : new io.herald.campaign.AbTestInput(abTest.share(), abTest.metric(), abTest.waitFor());
        }
    }

    @Schema(description = "An A/B variant")
    record VariantRequest(@Schema(description = "Unique name", example = "A") String name,
                          @Schema(description = "Email subject (default: the campaign's)", nullable = true) String subject,
                          @Schema(description = "The body, a Mustache template") String template,
                          @Schema(description = "Relative share of the recipients (default 1)", example = "50") Integer weight) {
    }

    @Schema(description = "Automatic winner: share % of the segment gets the variants; after wait the variant with the"
            + " most unique clicks (or opens) per sent message goes to the rest (ties: the first)")
    record AbTestRequest(@Schema(description = "Percent of the segment in the test, 1 to 99", example = "20") Integer share,
                         @Schema(allowableValues = {"clicks", "opens"}, description = "default clicks") String metric,
                         @com.fasterxml.jackson.annotation.JsonProperty("wait")
                         @Schema(description = "ISO-8601 duration, PT1S to P30D", example = "PT2H") String waitFor) {
    }

    @Schema(description = "A variant of a campaign")
    record VariantView(String name, String subject, String template, int weight) {
    }

    @Schema(description = "A campaign's automatic-winner test")
    record AbTestView(int share, String metric,
                      @com.fasterxml.jackson.annotation.JsonProperty("wait") String waitFor,
                      @Schema(allowableValues = {"TEST", "WAITING", "WINNER"}, description = "null before sending") String phase,
                      @Schema(description = "When the winner is chosen (set once the test messages are out)") Instant waitUntil,
                      @Schema(description = "The winning variant's name once chosen") String winner) {
        static AbTestView of(Campaign c) {
            io.herald.campaign.AbTest ab = c.abTest();
            return ab == null ? null : new AbTestView(ab.share(), ab.metric(), ab.waitTime().toString(),
                    ab.phase() == null ? null : ab.phase().name(), ab.waitUntil(),
                    ab.winner() == null ? null : c.variants().get(ab.winner()).name());
        }
    }

    @Schema(description = "Changes to a DRAFT or SCHEDULED campaign; omitted fields are kept, an explicit null clears"
            + " scheduled_at, text_template, from or reply_to")
    record UpdateCampaignRequest(String name, String channel, String subject, String template, String contentType,
                                 String textTemplate, String from, String replyTo, String segmentRule,
                                 @Schema(description = "New send time; an explicit null turns a scheduled campaign back into a draft",
                                         nullable = true) OffsetDateTime scheduledAt,
                                 Boolean trackClicks, Boolean trackOpens) {
    }

    @Schema(description = "A campaign with its delivery counters")
    record CampaignView(long id, String name,
                        @Schema(allowableValues = {"email", "sms"}) String channel, String subject, String template,
                        @Schema(allowableValues = {"html", "text"}) String contentType, String textTemplate,
                        @Schema(description = "Sender (null: herald.email.from)") String from,
                        @Schema(description = "Reply-To (null: herald.email.reply-to)") String replyTo,
                        String segmentRule,
                        @Schema(allowableValues = {"DRAFT", "SCHEDULED", "SENDING", "PAUSED", "COMPLETED", "CANCELLED"}) String status,
                        Instant createdAt, Instant scheduledAt, Instant startedAt, Instant completedAt,
                        @Schema(description = "Messages created for this campaign") long total,
                        @Schema(description = "Messages waiting for delivery, including retries") long queued,
                        long sent, long failed,
                        @Schema(description = "Recipients who left through this campaign's unsubscribe links") long unsubscribed,
                        @Schema(description = "Delivery receipts: delivered") long delivered,
                        @Schema(description = "Delivery receipts: undelivered or failed") long undelivered,
                        @Schema(description = "Messages that bounced (hard or soft)") long bounced,
                        @Schema(description = "Messages whose recipient complained (marked as spam)") long complaints,
                        @Schema(description = "Links of the HTML body are tracked (email only)") boolean trackClicks,
                        @Schema(description = "Opens are tracked with a pixel (email only)") boolean trackOpens,
                        @Schema(description = "Recipients who opened the email at least once") long opens,
                        @Schema(description = "Recipients who clicked a tracked link at least once") long clicks,
                        @Schema(description = "A/B variants (empty: none)") List<VariantView> variants,
                        @Schema(description = "Automatic-winner test (null: none)") AbTestView abTest,
                        @Schema(description = "The A/B test's phase", allowableValues = {"TEST", "WAITING", "WINNER"}) String abPhase,
                        @Schema(description = "The A/B test's winner once chosen") String winner) {
        static CampaignView of(Campaign c, CampaignStats s) {
            AbTestView ab = AbTestView.of(c);
            return new CampaignView(c.id(), c.name(), c.channel().key(), c.subject(), c.template(), c.contentType().key(),
                    c.textTemplate(), c.from(), c.replyTo(), c.segmentRule(), c.status().name(), c.createdAt(),
                    c.scheduledAt(), c.startedAt(), c.completedAt(), s.total(), s.queued(), s.sent(), s.failed(),
                    s.unsubscribed(), s.delivered(), s.undelivered(), s.bounced(), s.complaints(), c.trackClicks(),
                    c.trackOpens(), s.opens(), s.clicks(),
                    c.variants().stream().map(v -> new VariantView(v.name(), v.subject(), v.template(), v.weight())).toList(),
                    ab, ab == null ? null : ab.phase(), ab == null ? null : ab.winner());
        }
    }

    @Schema(description = "An unsaved campaign to render: the fields of a new campaign that shape its messages")
    record PreviewRequest(String channel, String subject, String template, String contentType, String textTemplate,
                          String segmentRule) {
    }

    @Schema(description = "What a send would produce: how many recipients it reaches, how many match but have no"
            + " address for the channel, and the first 10 rendered messages")
    record PreviewView(long totalTargets, long unreachable, List<PreviewItem> items) {
    }

    record PreviewItem(long recipientId, String name, String email, String phone,
                       @Schema(description = "Rendered subject (email only)") String subject,
                       @Schema(description = "Rendered body (HTML for an HTML email)") String rendered,
                       @Schema(description = "Plain-text version (email only)") String text,
                       @Schema(description = "SMS only: GSM-7 or UCS-2", allowableValues = {"GSM-7", "UCS-2"}) String encoding,
                       @Schema(description = "SMS only: length in septets (GSM-7) or UTF-16 units (UCS-2)") Integer characters,
                       @Schema(description = "SMS only: parts the message is sent as (160/153 GSM-7, 70/67 UCS-2)") Integer segments) {
    }

    @Schema(description = "Accepted send: fan-out runs in the background")
    record SendView(long campaignId, String status,
                    @Schema(description = "Recipients matched by the segment rule, each getting one message") long queued) {
    }

    @Schema(description = "Live delivery statistics; latency is from queued to sent, from a histogram")
    record StatsView(long campaignId, String status, long total, long queued, long sent, long failed, long retries,
                     long cancelled, long unsubscribed,
                     @Schema(description = "SMS parts of the sent messages") long segments,
                     @Schema(description = "Delivery receipts: delivered") long delivered,
                     @Schema(description = "Delivery receipts: undelivered or failed") long undelivered,
                     @Schema(description = "Messages that bounced (hard or soft)") long bounced,
                     @Schema(description = "Complaints (marked as spam)") long complaints,
                     long p50Ms, long p95Ms, long p99Ms,
                     @Schema(description = "The provider of the campaign's channel") String provider,
                     @Schema(description = "Its circuit breaker across the workers: OPEN during an outage (messages wait"
                             + " without spending attempts), HALF_OPEN while probing", allowableValues = {"CLOSED", "OPEN",
                             "HALF_OPEN"}) String providerState,
                     @Schema(description = "Since when, unless CLOSED") Instant providerStateSince,
                     @Schema(description = "The provider-side error that opened it") String providerLastError,
                     @Schema(description = "Recipients who opened the email at least once (tracked campaigns)") long opens,
                     @Schema(description = "Recipients who clicked a tracked link at least once") long clicks,
                     @Schema(description = "opens / sent (0 before anything was sent)") double openRate,
                     @Schema(description = "clicks / sent (0 before anything was sent)") double clickRate) {
        static StatsView of(Campaign c, CampaignStats s, io.herald.provider.ProviderState provider) {
            return new StatsView(c.id(), c.status().name(), s.total(), s.queued(), s.sent(), s.failed(), s.retries(),
                    s.cancelled(), s.unsubscribed(), s.segments(), s.delivered(), s.undelivered(), s.bounced(), s.complaints(),
                    s.p50Ms(), s.p95Ms(), s.p99Ms(), provider.provider(), provider.state(), provider.since(), provider.lastError(),
                    s.opens(), s.clicks(), rate(s.opens(), s.sent()), rate(s.clicks(), s.sent()));
        }

        private static double rate(long part, long sent) {
            return sent == 0 ? 0 : (double) part / sent;
        }
    }

    @Schema(description = "Statistics per A/B variant")
    record VariantStatsView(long campaignId, String status,
                            @Schema(description = "The A/B test's phase (null without an automatic winner)") String abPhase,
                            @Schema(description = "The winner's name once chosen") String winner,
                            @Schema(description = "What the winner is chosen by") String metric,
                            List<VariantStats> variants) {
    }

    record VariantStats(String name, int weight, long total,
                        @Schema(description = "Waiting for delivery, retries included") long queued, long sent, long failed,
                        long cancelled, long delivered,
                        @Schema(description = "Recipients who opened at least once") long opens,
                        @Schema(description = "Recipients who clicked at least once") long clicks,
                        @Schema(description = "opens / sent") double openRate,
                        @Schema(description = "clicks / sent") double clickRate,
                        @Schema(description = "The chosen winner") boolean winner) {
    }

    @Schema(description = "What happened to a campaign, oldest first")
    record TimelineView(long campaignId, List<TimelineItem> items) {
    }

    record TimelineItem(Instant at, String event, String detail) {
    }

    @Schema(description = "Clicks per tracked link of a campaign, in the order the links appear in the body")
    record LinksView(List<LinkView> items) {
        static LinksView of(List<io.herald.tracking.LinkStats> links) {
            return new LinksView(links.stream().map(l -> new LinkView(l.url(), l.clicks(), l.uniqueClicks())).toList());
        }
    }

    record LinkView(@Schema(description = "The original URL") String url,
                    @Schema(description = "All clicks") long clicks,
                    @Schema(description = "Recipients who clicked it at least once") long uniqueClicks) {
    }

    @Schema(description = "Recipients who first opened / first clicked per time bucket (whole minutes)")
    record EngagementView(long campaignId, long bucketMinutes, List<EngagementPoint> points) {
        static EngagementView of(io.herald.tracking.EngagementSeries series) {
            return new EngagementView(series.campaignId(), series.bucketMinutes(), series.points().stream()
                    .map(p -> new EngagementPoint(Instant.ofEpochSecond(p.epochMinute() * 60), p.opens(), p.clicks()))
                    .toList());
        }
    }

    record EngagementPoint(@Schema(description = "Start of the bucket") Instant t, long opens, long clicks) {
    }

    @Schema(description = "A campaign's finished messages per time bucket")
    record ThroughputView(long campaignId, long bucketSeconds, List<ThroughputPoint> points) {
        static ThroughputView of(ThroughputSeries series) {
            return new ThroughputView(series.campaignId(), series.bucketSeconds(), series.points().stream()
                    .map(p -> new ThroughputPoint(Instant.ofEpochSecond(p.epochSecond()), p.sent(), p.failed(),
                            (double) p.sent() / series.bucketSeconds()))
                    .toList());
        }
    }

    record ThroughputPoint(@Schema(description = "Start of the bucket") Instant t, long sent, long failed,
                           double sentPerSec) {
    }

    @Schema(description = "One message of a campaign")
    record MessageView(long id, RecipientRef recipient, List<String> tags,
                       @Schema(allowableValues = {"QUEUED", "RETRYING", "SENT", "FAILED", "CANCELLED"}) String status,
                       int attempts, Instant createdAt, Instant sentAt, Long latencyMs, String lastError,
                       @Schema(description = "Stable key the provider de-duplicates on") String idempotencyKey,
                       @Schema(description = "The provider's id for the message (e.g. the SMS gateway's sid)") String providerMessageId,
                       @Schema(description = "SMS parts sent") Integer segments,
                       @Schema(description = "SMS encoding: GSM-7 or UCS-2") String encoding,
                       @Schema(description = "Latest report after the provider accepted it", allowableValues = {"sent", "delivered",
                               "undelivered", "failed", "soft_bounced", "bounced", "complained"}) String deliveryStatus,
                       Instant deliveredAt,
                       @Schema(description = "The receipt's error code, or the bounce's reason") String deliveryError,
                       @Schema(description = "The A/B variant's name (null without variants)") String variant) {
    }

    record RecipientRef(long id, String name, String email) {
    }

    record RedriveView(long campaignId, int requeued) {
    }
}
