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
        String subject = draft.subject() == null && channel == Channel.EMAIL ? draft.name() : draft.subject();
        return validated(new Campaign(0, draft.name(), channel, subject, draft.template(),
                contentType(channel, draft.contentType(), null), draft.textTemplate(), draft.from(), draft.replyTo(),
                draft.segmentRule(), status, draft.externalId(), null, null, draft.scheduledAt(), null, null,
                or(draft.trackClicks(), trackClicksByDefault), or(draft.trackOpens(), trackOpensByDefault)), true);
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
                or(patch.trackOpens(), current.channel() == Channel.EMAIL ? current.trackOpens() : trackOpensByDefault)),
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
        Campaign campaign = get(id);
        events.publishEvent(new CampaignEvents.SendStarted(id, campaign.segmentRule()));
        return campaign;
    }

    /** Starts every SCHEDULED campaign whose time has come; returns the ids this call started. */
    @Transactional
    public List<Long> startDueScheduled() {
        List<Long> started = new ArrayList<>();
        long now = clock.millis();
        for (long id : campaigns.dueScheduled(now, 100)) {
            if (campaigns.transition(id, List.of(CampaignStatus.SCHEDULED), CampaignStatus.SENDING, now)) {
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
        return campaigns.transition(id, List.of(CampaignStatus.SENDING), CampaignStatus.COMPLETED, clock.millis());
    }

    /** A COMPLETED campaign whose failed messages are re-driven is SENDING again. */
    @Transactional
    public void reopen(long id) {
        campaigns.transition(id, List.of(CampaignStatus.COMPLETED), CampaignStatus.SENDING, clock.millis());
    }

    private Campaign transition(long id, List<CampaignStatus> from, CampaignStatus to, String verb) {
        if (!campaigns.transition(id, from, to, clock.millis())) {
            Campaign current = get(id);
            throw new CampaignStateException("campaign " + id + " is " + current.status() + " and cannot be " + verb,
                    current.status());
        }
        return get(id);
    }

    /**
     * Checks every field of a new or edited campaign and returns it normalised (name trimmed, rule in its
     * canonical form, email-only fields dropped for SMS); throws {@link InvalidInputException} naming each bad field.
     */
    private Campaign validated(Campaign c, boolean checkSchedule) {
        List<FieldError> errors = new ArrayList<>();
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
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Campaign(c.id(), c.name().trim(), c.channel(), email ? c.subject() : null, c.template(), c.contentType(),
                email ? blankToNull(c.textTemplate()) : null, email ? blankToNull(c.from()) : null,
                email ? blankToNull(c.replyTo()) : null, rule.toString(), c.status(), c.externalId(), c.createdAt(),
                c.updatedAt(), c.scheduledAt(), c.startedAt(), c.completedAt(), email && c.trackClicks(),
                email && c.trackOpens());
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
