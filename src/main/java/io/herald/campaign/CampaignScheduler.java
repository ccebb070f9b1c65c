package io.herald.campaign;

import java.util.List;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Starts scheduled campaigns when due. Safe with several schedulers: each start is a conditional UPDATE. */
@Component
@ConditionalOnRole(HeraldRoles.SCHEDULER)
class CampaignScheduler {
    private static final Logger log = LoggerFactory.getLogger(CampaignScheduler.class);
    private final CampaignService campaigns;

    CampaignScheduler(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    @Scheduled(fixedDelayString = "${herald.scheduler.poll-interval:500ms}")
    void startDue() {
        try {
            List<Long> started = campaigns.startDueScheduled();
            if (!started.isEmpty()) {
                log.info("Started scheduled campaigns {}", started);
            }
        } catch (RuntimeException e) {
            log.warn("Scheduled-campaign poll failed: {}", e.toString());
        }
    }
}
