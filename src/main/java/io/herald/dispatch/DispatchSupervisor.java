package io.herald.dispatch;

import java.util.List;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignService;
import io.herald.campaign.CampaignStatus;
import io.herald.transport.DeliveryTask;
import io.herald.transport.Transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduler role's watch over sending campaigns: recovers after a restart, resumes fan-outs
 * whose process died, re-publishes retries whose timer was lost, and completes drained campaigns.
 */
@Component
@ConditionalOnRole(HeraldRoles.SCHEDULER)
class DispatchSupervisor {
    private static final Logger log = LoggerFactory.getLogger(DispatchSupervisor.class);
    private static final long RETRY_GRACE_MS = 30_000;

    private final Dispatcher dispatcher;
    private final DispatchRuns runs;
    private final MessageLedger ledger;
    private final CampaignService campaigns;
    private final Transport transport;

    DispatchSupervisor(Dispatcher dispatcher, DispatchRuns runs, MessageLedger ledger, CampaignService campaigns,
                       Transport transport) {
        this.dispatcher = dispatcher;
        this.runs = runs;
        this.ledger = ledger;
        this.campaigns = campaigns;
        this.transport = transport;
    }

    /** After a restart: an in-process queue starts empty, so every pending message is queued again. */
    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        if (!transport.durable()) {
            for (Campaign campaign : sendingCampaigns()) {
                int n = dispatcher.republishPending(campaign.id());
                if (n > 0) {
                    log.info("Recovered {} pending messages of campaign {}", n, campaign.id());
                }
            }
        } else {
            dispatcher.republishUnconfirmed();
        }
    }

    @Scheduled(fixedDelayString = "${herald.scheduler.supervise-interval:500ms}", initialDelay = 1000)
    void supervise() {
        try {
            long now = System.currentTimeMillis();
            for (long campaignId : runs.unclaimed(now)) {
                CampaignStatus status = campaigns.get(campaignId).status();
                if (status == CampaignStatus.SENDING) {
                    dispatcher.resumeFanOutAsync(campaignId);
                }
            }
            for (Campaign campaign : sendingCampaigns()) {
                if (!dispatcher.completeIfDrained(campaign.id()) && transport.durable()) {
                    republishOverdueRetries(campaign.id(), now);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Supervision pass failed: {}", e.toString());
        }
    }

    private void republishOverdueRetries(long campaignId, long now) {
        List<DeliveryTask> overdue = ledger.overdueRetries(campaignId, now - RETRY_GRACE_MS, 1000);
        if (!overdue.isEmpty()) {
            ledger.postponeRetries(campaignId, overdue.stream().map(DeliveryTask::messageId).toList(), now);
            transport.publish(overdue);
            log.info("Re-published {} overdue retries of campaign {}", overdue.size(), campaignId);
        }
    }

    private List<Campaign> sendingCampaigns() {
        return campaigns.list(CampaignStatus.SENDING, null, 1000);
    }
}
