package io.herald.campaign;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.herald.Channel;
import io.herald.EmailAddresses;
import io.herald.InvalidInputException;
import io.herald.InvalidInputException.FieldError;
import io.herald.audience.InvalidSegmentRuleException;
import io.herald.audience.SegmentRule;
import io.herald.stats.StatsService;
import io.herald.template.TemplateEngine;
import io.herald.template.TemplateSyntaxException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The campaign module's API: create and edit campaigns, move them through their lifecycle.
 * Every transition is one conditional UPDATE, so two requests (or two schedulers) racing for the
 * same transition cannot both win.
 */
@Service
public class CampaignService {
    static final int MAX_NAME = 200;
    static final int MAX_TEMPLATE = 100_000;
    static final int MAX_SUBJECT = 998;
    /** from and reply_to, display name included (their columns' size) */
    static final int MAX_ADDRESS = 320;
    /** Stored as epoch milliseconds: anything later would overflow them (ISO-8601 allows years up to 999999999). */
    static final Instant LATEST_SCHEDULE = Instant.parse("9999-12-31T23:59:59Z");
    static final int MIN_VARIANTS = 2;
    static final int MAX_VARIANTS = 5;
    static final int MAX_VARIANT_NAME = 50;
    static final int MAX_WEIGHT = 10_000;
    static final int MAX_TEST_SHARE = 99;
    static final java.time.Duration MIN_WAIT = java.time.Duration.ofSeconds(1);
    static final java.time.Duration MAX_WAIT = java.time.Duration.ofDays(30);

    private final CampaignRepository campaigns;
    private final TemplateEngine templates;
    private final StatsService stats;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Channel defaultChannel;
    private final boolean trackClicksByDefault;
    private final boolean trackOpensByDefault;

    CampaignService(CampaignRepository campaigns, TemplateEngine templates, StatsService stats,
                    ApplicationEventPublisher events,
                    @org.springframework.beans.factory.annotation.Value("${herald.default-channel:email}") String defaultChannel,
                    @org.springframework.beans.factory.annotation.Value("${herald.tracking.clicks:true}") boolean trackClicks,
                    @org.springframework.beans.factory.annotation.Value("${herald.tracking.opens:true}") boolean trackOpens) {
        this.defaultChannel = Channel.parse(defaultChannel);
        this.trackClicksByDefault = trackClicks;
        this.trackOpensByDefault = trackOpens;
        this.campaigns = campaigns;
        this.templates = templates;
        this.stats = stats;
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    /** Validates and stores a campaign: DRAFT, or SCHEDULED when it has a future {@code scheduledAt}. */
    @Transactional
    public Campaign create(CampaignDraft draft) {
        long id = campaigns.insert(validated(draft), clock.millis());
        stats.init(id);
        return get(id);
    }

    /**
     * Checks a new campaign exactly as {@link #create} would and stores nothing: {@link InvalidInputException} naming
     * each bad field. For callers that must know the campaign will be accepted before they store anything else.
     */
    public void check(CampaignDraft draft) {
        validated(draft);
    }

    private Campaign validated(CampaignDraft draft) {
        CampaignStatus status = draft.scheduledAt() == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED;
        Channel channel = draft.channel() == null ? defaultChannel : draft.channel();
        // Seed 000's POST /campaigns {name, template, segment_rule} names no subject: the name stands in.
        // An explicitly blank subject is still an error.
        List<VariantInput> inputs = draft.variants() == null ? List.of() : draft.variants();
        VariantInput first = inputs.isEmpty() ? null : inputs.get(0);
        // With variants the campaign's own subject and body may be left out: the first variant's stand in.
        String template = draft.template() == null && first != null ? first.template() : draft.template();
        String subject = draft.subject() == null && first != null ? first.subject() : draft.subject();
        if (subject == null && channel == Channel.EMAIL) {
            subject = draft.name();
        }
        List<FieldError> errors = new ArrayList<>();
        List<Variant> variants = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            VariantInput v = inputs.get(i);
            if (v == null) {
                errors.add(new FieldError("variants[" + i + "]", "must be an object"));
                continue;
            }
            // a variant without a weight takes an equal share
            variants.add(new Variant(i, v.name() == null ? null : v.name().strip(), v.subject() == null ? subject : v.subject(),
                    v.template(), v.weight() == null ? 1 : v.weight()));
        }
        AbTest abTest = abTest(draft.abTest(), errors);
        return validated(new Campaign(0, draft.name(), channel, subject, template,
                contentType(channel, draft.contentType(), null), draft.textTemplate(), draft.from(), draft.replyTo(),
                draft.segmentRule(), status, draft.externalId(), null, null, draft.scheduledAt(), null, null,
                or(draft.trackClicks(), trackClicksByDefault), or(draft.trackOpens(), trackOpensByDefault), variants, abTest),
                true, errors);
    }

    /** The automatic-winner settings, or null (with the errors added) when absent or invalid. */
    private static AbTest abTest(AbTestInput input, List<FieldError> errors) {
        if (input == null) {
            return null;
        }
        int before = errors.size();
        if (input.share() == null || input.share() < 1 || input.share() > MAX_TEST_SHARE) {
            errors.add(new FieldError("ab_test.share", "must be a percentage between 1 and " + MAX_TEST_SHARE));
        }
        String metric = input.metric() == null ? AbTest.CLICKS : input.metric().strip().toLowerCase(java.util.Locale.ROOT);
        if (!metric.equals(AbTest.CLICKS) && !metric.equals(AbTest.OPENS)) {
            errors.add(new FieldError("ab_test.metric", "must be clicks or opens"));
        }
        java.time.Duration wait = null;
        if (input.waitTime() == null || input.waitTime().isBlank()) {
            errors.add(new FieldError("ab_test.wait", "must be an ISO-8601 duration such as PT2H"));
        } else {
            try {
                wait = java.time.Duration.parse(input.waitTime().strip());
                if (wait.compareTo(MIN_WAIT) < 0 || wait.compareTo(MAX_WAIT) > 0) {
                    errors.add(new FieldError("ab_test.wait", "must be between PT1S and P30D"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(new FieldError("ab_test.wait", "must be an ISO-8601 duration such as PT2H"));
            }
        }
        return errors.size() > before ? null : new AbTest(input.share(), metric, wait, null, null, null);
    }

    /**
     * Validates the content fields of an unsaved campaign for a preview, as {@link #create} would; stores
     * nothing. The answer is a campaign with id 0.
     */
    public Campaign checkDraft(Channel channel, String subject, String template, String contentType, String textTemplate,
                               String segmentRule) {
        Channel effective = channel == null ? defaultChannel : channel;
        return validated(new Campaign(0, "preview", effective, subject, template, contentType(effective, contentType, null),
                textTemplate, null, null, segmentRule, CampaignStatus.DRAFT, null, null, null, null, null, null,
                false, false), false);
    }

    public Campaign get(long id) {
        return campaigns.find(id).orElseThrow(() -> new CampaignNotFoundException(id));
    }

    public java.util.Optional<Campaign> findByExternalId(long externalId) {
        return campaigns.findByExternalId(externalId);
    }

    /** A page of campaigns, newest first; pass the last id seen as {@code beforeId} (or null) to page on. */
    public List<Campaign> list(CampaignStatus status, Long beforeId, int limit) {
        return campaigns.page(status, beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    /** How many campaigns are in each status (every status present, zero when none). */
    public java.util.Map<CampaignStatus, Long> countByStatus() {
        return campaigns.countByStatus();
    }

    /** Edits a DRAFT or SCHEDULED campaign; anything later is read-only. */
    @Transactional
    public Campaign update(long id, CampaignPatch patch) {
        Campaign current = get(id);
        if (!current.status().isEditable()) {
            throw new CampaignStateException("campaign " + id + " is " + current.status() + " and can no longer be edited",
                    current.status());
        }
        Instant scheduledAt = patch.clears("scheduled_at") ? null
                : patch.scheduledAt() != null ? patch.scheduledAt() : current.scheduledAt();
        Channel channel = patch.channel() != null ? patch.channel() : current.channel();
        Campaign candidate = validated(new Campaign(id, or(patch.name(), current.name()), channel,
                or(patch.subject(), current.subject()), or(patch.template(), current.template()),
                contentType(channel, patch.contentType(), patch.channel() == null ? current.contentType() : null),
                patch.clears("text_template") ? null : or(patch.textTemplate(), current.textTemplate()),
                patch.clears("from") ? null : or(patch.from(), current.from()),
                patch.clears("reply_to") ? null : or(patch.replyTo(), current.replyTo()),
                or(patch.segmentRule(), current.segmentRule()),
                scheduledAt == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED, current.externalId(),
                current.createdAt(), current.updatedAt(), scheduledAt, null, null,
                // an SMS campaign turned into email takes the defaults, as a new email campaign would
                or(patch.trackClicks(), current.channel() == Channel.EMAIL ? current.trackClicks() : trackClicksByDefault),
                or(patch.trackOpens(), current.channel() == Channel.EMAIL ? current.trackOpens() : trackOpensByDefault),
                current.variants(), current.abTest()),
                patch.scheduledAt() != null);
        if (!campaigns.update(candidate, clock.millis())) {
            Campaign now = get(id);
            throw new CampaignStateException("campaign " + id + " is " + now.status() + " and can no longer be edited",
                    now.status());
        }
        return get(id);
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** The content type to store: always text for SMS; for email the given one, else {@code current}, else html. */
    private static ContentType contentType(Channel channel, String requested, ContentType current) {
        if (channel != Channel.EMAIL) {
            return ContentType.TEXT;
        }
        if (requested != null && !requested.isBlank()) {
            return ContentType.parse(requested);
        }
        return current != null ? current : ContentType.HTML;
    }

    /**
     * Starts sending a DRAFT or SCHEDULED campaign. A campaign already sending or sent is a
     * {@link CampaignStateException}: a second send never creates a second message.
     */
    @Transactional
    public Campaign send(long id) {
        if (!campaigns.transition(id, List.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED), CampaignStatus.SENDING,
                clock.millis())) {
            Campaign current = get(id);
            throw new CampaignStateException("campaign " + id + " is already " + current.status()
                    + "; it is sent at most once", current.status());
        }
        started(id);
        Campaign campaign = get(id);
        events.publishEvent(new CampaignEvents.SendStarted(id, campaign.segmentRule()));
        return campaign;
    }

    /** Timeline of a campaign that just went SENDING; an A/B test with a winner starts its test phase. */
    private void started(long id) {
        long now = clock.millis();
        campaigns.addTimeline(id, now, "sending", null);
        if (campaigns.startAbTest(id)) {
            AbTest ab = get(id).abTest();
            campaigns.addTimeline(id, now, "ab_test", "variants to " + ab.share() + " % of the segment; the winner by "
                    + ab.metric() + " after " + ab.waitTime());
        }
    }

    /** Starts every SCHEDULED campaign whose time has come; returns the ids this call started. */
    @Transactional
    public List<Long> startDueScheduled() {
        List<Long> started = new ArrayList<>();
        long now = clock.millis();
        for (long id : campaigns.dueScheduled(now, 100)) {
            if (campaigns.transition(id, List.of(CampaignStatus.SCHEDULED), CampaignStatus.SENDING, now)) {
                started(id);
                events.publishEvent(new CampaignEvents.SendStarted(id, get(id).segmentRule()));
                started.add(id);
            }
        }
        return started;
    }

    @Transactional
    public Campaign pause(long id) {
        return transition(id, List.of(CampaignStatus.SENDING), CampaignStatus.PAUSED, "paused");
    }

    @Transactional
    public Campaign resume(long id) {
        Campaign campaign = transition(id, List.of(CampaignStatus.PAUSED), CampaignStatus.SENDING, "resumed");
        events.publishEvent(new CampaignEvents.Resumed(id));
        return campaign;
    }

    @Transactional
    public Campaign cancel(long id) {
        Campaign campaign = transition(id, List.of(CampaignStatus.DRAFT, CampaignStatus.SCHEDULED, CampaignStatus.SENDING,
                CampaignStatus.PAUSED), CampaignStatus.CANCELLED, "cancelled");
        events.publishEvent(new CampaignEvents.Cancelled(id));
        return campaign;
    }

    /**
     * Marks a SENDING campaign COMPLETED if {@code drained} still holds once the campaign row is locked;
     * false if it was not SENDING (paused, cancelled, already done) or is not drained. Checking under the
     * lock matters: a concurrent re-drive re-opens the campaign under the same lock, so a check made
     * before it committed can never complete a campaign that has messages queued again.
     */
    @Transactional
    public boolean completeIf(long id, java.util.function.BooleanSupplier drained) {
        if (!campaigns.lockIfStatus(id, CampaignStatus.SENDING) || !drained.getAsBoolean()) {
            return false;
        }
        Campaign campaign = get(id);
        long now = clock.millis();
        if (campaign.abPhase() == AbPhase.TEST) {
            // the test messages are out: the wait for their opens and clicks starts now
            Instant until = Instant.ofEpochMilli(now).plus(campaign.abTest().waitTime());
            if (campaigns.startAbWait(id, until.toEpochMilli())) {
                campaigns.addTimeline(id, now, "ab_waiting", "test messages sent; the winner is chosen at " + until);
            }
            return false;
        }
        if (campaign.abPhase() == AbPhase.WAITING) {
            return false;
        }
        if (campaigns.transition(id, List.of(CampaignStatus.SENDING), CampaignStatus.COMPLETED, now)) {
            campaigns.addTimeline(id, now, "completed", null);
            return true;
        }
        return false;
    }

    /** SENDING campaigns whose A/B test wait is over and whose winner is to be chosen. */
    public List<Long> dueAbWinners() {
        return campaigns.dueWinners(clock.millis(), 100);
    }

    /**
     * Records the winner of a waiting A/B test (variant position {@code winner}, {@code detail} for the timeline) and
     * publishes {@link CampaignEvents.WinnerChosen} so the winner goes to the rest; false (and nothing done) if the
     * campaign is not SENDING in its wait any more (paused, cancelled, or another scheduler chose first).
     */
    @Transactional
    public boolean chooseWinner(long id, int winner, String detail) {
        if (!campaigns.chooseWinner(id, winner)) {
            return false;
        }
        campaigns.addTimeline(id, clock.millis(), "winner", detail);
        events.publishEvent(new CampaignEvents.WinnerChosen(id));
        return true;
    }

    /** What happened to the campaign, oldest first. */
    public List<TimelineEntry> timeline(long id) {
        get(id);
        return campaigns.timeline(id);
    }

    /** A COMPLETED campaign whose failed messages are re-driven is SENDING again. */
    @Transactional
    public void reopen(long id) {
        campaigns.transition(id, List.of(CampaignStatus.COMPLETED), CampaignStatus.SENDING, clock.millis());
    }

    private Campaign transition(long id, List<CampaignStatus> from, CampaignStatus to, String verb) {
        long now = clock.millis();
        if (!campaigns.transition(id, from, to, now)) {
            Campaign current = get(id);
            throw new CampaignStateException("campaign " + id + " is " + current.status() + " and cannot be " + verb,
                    current.status());
        }
        Campaign campaign = get(id);
        campaigns.addTimeline(id, now, verb, campaign.abPhase() == null ? null : "A/B phase " + campaign.abPhase());
        return campaign;
    }

    /**
     * Checks every field of a new or edited campaign and returns it normalised (name trimmed, rule in its
     * canonical form, email-only fields dropped for SMS); throws {@link InvalidInputException} naming each bad field.
     */
    private Campaign validated(Campaign c, boolean checkSchedule) {
        return validated(c, checkSchedule, new ArrayList<>());
    }

    private Campaign validated(Campaign c, boolean checkSchedule, List<FieldError> errors) {
        boolean email = c.channel() == Channel.EMAIL;
        if (c.name() == null || c.name().isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (c.name().length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        }
        checkTemplate("template", c.template(), true, email && c.contentType() == ContentType.HTML, errors);
        if (email) {
            checkTemplate("subject", c.subject(), true, false, errors);
            if (c.subject() != null && c.subject().length() > MAX_SUBJECT) {
                errors.add(new FieldError("subject", "must be at most " + MAX_SUBJECT + " characters"));
            }
            if (c.textTemplate() != null) {
                checkTemplate("text_template", c.textTemplate(), false, false, errors);
            }
            checkAddress("from", c.from(), errors);
            checkAddress("reply_to", c.replyTo(), errors);
        }
        SegmentRule rule = null;
        try {
            rule = SegmentRule.parse(c.segmentRule());
        } catch (InvalidSegmentRuleException e) {
            errors.add(new FieldError("segment_rule", e.getMessage(), e.column()));
        }
        if (checkSchedule && c.scheduledAt() != null && c.scheduledAt().isBefore(clock.instant().minusSeconds(5))) {
            errors.add(new FieldError("scheduled_at", "must be in the future"));
        } else if (c.scheduledAt() != null && c.scheduledAt().isAfter(LATEST_SCHEDULE)) {
            errors.add(new FieldError("scheduled_at", "must be before the year 10000"));
        }
        checkVariants(c, email, errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        List<Variant> variants = c.variants().stream().map(v -> new Variant(v.position(), v.name(),
                email ? v.subject() : null, v.template(), v.weight())).toList();
        return new Campaign(c.id(), c.name().trim(), c.channel(), email ? c.subject() : null, c.template(), c.contentType(),
                email ? blankToNull(c.textTemplate()) : null, email ? blankToNull(c.from()) : null,
                email ? blankToNull(c.replyTo()) : null, rule.toString(), c.status(), c.externalId(), c.createdAt(),
                c.updatedAt(), c.scheduledAt(), c.startedAt(), c.completedAt(), email && c.trackClicks(),
                email && c.trackOpens(), variants, c.abTest());
    }

    /** 2 to 5 variants with unique names, positive weights and templates that parse; an A/B test needs them. */
    private void checkVariants(Campaign c, boolean email, List<FieldError> errors) {
        List<Variant> variants = c.variants();
        if (!variants.isEmpty() && (variants.size() < MIN_VARIANTS || variants.size() > MAX_VARIANTS)) {
            errors.add(new FieldError("variants", "must hold " + MIN_VARIANTS + " to " + MAX_VARIANTS + " variants"));
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Variant v : variants) {
            String at = "variants[" + v.position() + "].";
            if (v.name() == null || v.name().isBlank()) {
                errors.add(new FieldError(at + "name", "must not be blank"));
            } else if (v.name().length() > MAX_VARIANT_NAME) {
                errors.add(new FieldError(at + "name", "must be at most " + MAX_VARIANT_NAME + " characters"));
            } else if (!names.add(v.name().toLowerCase(java.util.Locale.ROOT))) {
                errors.add(new FieldError(at + "name", "must be unique among the variants"));
            }
            if (v.weight() < 1 || v.weight() > MAX_WEIGHT) {
                errors.add(new FieldError(at + "weight", "must be a whole number between 1 and " + MAX_WEIGHT));
            }
            checkTemplate(at + "template", v.template(), true, email && c.contentType() == ContentType.HTML, errors);
            if (email) {
                checkTemplate(at + "subject", v.subject(), true, false, errors);
                if (v.subject() != null && v.subject().length() > MAX_SUBJECT) {
                    errors.add(new FieldError(at + "subject", "must be at most " + MAX_SUBJECT + " characters"));
                }
            }
        }
        if (!variants.isEmpty() && email && c.textTemplate() != null && !c.textTemplate().isBlank()) {
            // one text alternative cannot match several bodies: each variant's is derived from its HTML
            errors.add(new FieldError("text_template", "is not supported with variants"));
        }
        AbTest ab = c.abTest();
        if (ab != null) {
            if (variants.isEmpty()) {
                errors.add(new FieldError("ab_test", "needs variants"));
            } else if (!email) {
                errors.add(new FieldError("ab_test", "needs an email campaign: SMS has no opens or clicks to compare"));
            } else if (AbTest.CLICKS.equals(ab.metric()) && !c.trackClicks()) {
                errors.add(new FieldError("ab_test.metric", "clicks needs track_clicks"));
            } else if (AbTest.OPENS.equals(ab.metric()) && !c.trackOpens()) {
                errors.add(new FieldError("ab_test.metric", "opens needs track_opens"));
            }
        }
    }

    private void checkTemplate(String field, String source, boolean required, boolean html, List<FieldError> errors) {
        if (source == null || source.isBlank()) {
            if (required || source != null) {
                errors.add(new FieldError(field, "must not be blank"));
            }
            return;
        }
        if (source.length() > MAX_TEMPLATE) {
            errors.add(new FieldError(field, "must be at most " + MAX_TEMPLATE + " characters"));
            return;
        }
        try {
            if (html) {
                templates.compileHtml(source);
            } else {
                templates.compile(source);
            }
        } catch (TemplateSyntaxException e) {
            String where = e.line() > 0 ? " (line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ")" : "";
            errors.add(new FieldError(field, "does not parse" + where + ": " + e.getMessage()));
        }
    }

    private static void checkAddress(String field, String address, List<FieldError> errors) {
        if (address == null || address.isBlank()) {
            return;
        }
        if (address.strip().length() > MAX_ADDRESS) {
            errors.add(new FieldError(field, "must be at most " + MAX_ADDRESS + " characters"));
            return;
        }
        String problem = EmailAddresses.problem(address);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
