package io.herald.security;

import io.herald.campaign.CampaignEvents;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Sends nobody asked for over HTTP — a scheduled campaign whose time came — are audited as done by the
 * scheduler. Sends requested over HTTP are recorded by {@link AuditInterceptor} with their caller.
 */
@Component
class ScheduledSendAuditor {
    static final HeraldPrincipal SCHEDULER = new HeraldPrincipal("system:scheduler", "scheduler", null, "system", null);
    private final AuditLog audit;

    ScheduledSendAuditor(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void on(CampaignEvents.SendStarted event) {
        if (RequestContextHolder.getRequestAttributes() == null) {
            audit.record(SCHEDULER, "campaign.send", "campaign", Long.toString(event.campaignId()),
                    "scheduled send started", null);
        }
    }
}
