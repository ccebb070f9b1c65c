package io.herald.campaign;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
    static final int MAX_TEMPLATE = 20_000;

    private final CampaignRepository campaigns;
    private final TemplateEngine templates;
    private final StatsService stats;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CampaignService(CampaignRepository campaigns, TemplateEngine templates, StatsService stats,
                    ApplicationEventPublisher events) {
        this.campaigns = campaigns;
        this.templates = templates;
        this.stats = stats;
        this.events = events;
        this.clock = Clock.systemUTC();
    }

    /** Validates and stores a campaign: DRAFT, or SCHEDULED when it has a future {@code scheduledAt}. */
    @Transactional
    public Campaign create(CampaignDraft draft) {
        SegmentRule rule = validate(draft.name(), draft.template(), draft.segmentRule(), draft.scheduledAt(), true);
        long now = clock.millis();
        CampaignStatus status = draft.scheduledAt() == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED;
        long id = campaigns.insert(draft.name().trim(), draft.template(), rule.toString(), status, draft.scheduledAt(),
                draft.externalId(), now);
        stats.init(id);
        return get(id);
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

    /** Edits a DRAFT or SCHEDULED campaign; anything later is read-only. */
    @Transactional
    public Campaign update(long id, CampaignPatch patch) {
        Campaign current = get(id);
        if (!current.status().isEditable()) {
            throw new CampaignStateException("campaign " + id + " is " + current.status() + " and can no longer be edited",
                    current.status());
        }
        String name = patch.name() != null ? patch.name() : current.name();
        String template = patch.template() != null ? patch.template() : current.template();
        String segmentRule = patch.segmentRule() != null ? patch.segmentRule() : current.segmentRule();
        Instant scheduledAt = patch.clearSchedule() ? null
                : patch.scheduledAt() != null ? patch.scheduledAt() : current.scheduledAt();
        SegmentRule rule = validate(name, template, segmentRule, patch.scheduledAt(), patch.scheduledAt() != null);
        CampaignStatus status = scheduledAt == null ? CampaignStatus.DRAFT : CampaignStatus.SCHEDULED;
        if (!campaigns.update(id, name.trim(), template, rule.toString(), status, scheduledAt, clock.millis())) {
            Campaign now = get(id);
            throw new CampaignStateException("campaign " + id + " is " + now.status() + " and can no longer be edited",
                    now.status());
        }
        return get(id);
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

    private SegmentRule validate(String name, String template, String segmentRule, Instant scheduledAt,
                                 boolean checkSchedule) {
        List<FieldError> errors = new ArrayList<>();
        if (name == null || name.isBlank()) {
            errors.add(new FieldError("name", "must not be blank"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        }
        if (template == null || template.isBlank()) {
            errors.add(new FieldError("template", "must not be blank"));
        } else if (template.length() > MAX_TEMPLATE) {
            errors.add(new FieldError("template", "must be at most " + MAX_TEMPLATE + " characters"));
        } else {
            try {
                templates.compile(template);
            } catch (TemplateSyntaxException e) {
                String where = e.line() > 0 ? " (line " + e.line() + (e.column() > 0 ? ", column " + e.column() : "") + ")" : "";
                errors.add(new FieldError("template", "does not parse" + where + ": " + e.getMessage()));
            }
        }
        SegmentRule rule = null;
        try {
            rule = SegmentRule.parse(segmentRule);
        } catch (InvalidSegmentRuleException e) {
            errors.add(new FieldError("segment_rule", e.getMessage()));
        }
        if (checkSchedule && scheduledAt != null && scheduledAt.isBefore(clock.instant().minusSeconds(5))) {
            errors.add(new FieldError("scheduled_at", "must be in the future"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return rule;
    }
}
