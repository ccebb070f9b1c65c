package io.herald.dispatch;

import java.util.List;
import java.util.Map;

import io.herald.ConditionalOnRole;
import io.herald.HeraldRoles;
import io.herald.campaign.AbTest;
import io.herald.campaign.Campaign;
import io.herald.campaign.CampaignService;
import io.herald.campaign.Variant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Ends the wait of A/B tests with an automatic winner: the variant with the most unique clicks (or opens) per sent
 * message wins, the first on a tie. Safe with several schedulers: choosing is a conditional UPDATE.
 */
@Component
@ConditionalOnRole(HeraldRoles.SCHEDULER)
class AbWinnerPicker {
    private static final Logger log = LoggerFactory.getLogger(AbWinnerPicker.class);
    private final CampaignService campaigns;
    private final MessageLedger ledger;

    AbWinnerPicker(CampaignService campaigns, MessageLedger ledger) {
        this.campaigns = campaigns;
        this.ledger = ledger;
    }

    @Scheduled(fixedDelayString = "${herald.scheduler.poll-interval:500ms}", initialDelay = 1000)
    void pickDue() {
        try {
            for (long id : campaigns.dueAbWinners()) {
                Campaign campaign = campaigns.get(id);
                Decision decision = decide(campaign.variants(), campaign.abTest().metric(), ledger.variantCounts(id));
                if (campaigns.chooseWinner(id, decision.winner(), decision.detail())) {
                    log.info("A/B test of campaign {}: {}", id, decision.detail());
                }
            }
        } catch (RuntimeException e) {
            log.warn("A/B winner poll failed: {}", e.toString());
        }
    }

    /** The winner's position and the timeline's account of it, e.g. "winner B (clicks: A 8/100, B 12/100)". */
    static Decision decide(List<Variant> variants, String metric, Map<Integer, MessageLedger.VariantCounts> counts) {
        int best = 0;
        double bestRate = -1;
        StringBuilder detail = new StringBuilder();
        for (Variant v : variants) {
            MessageLedger.VariantCounts c = counts.getOrDefault(v.position(), MessageLedger.VariantCounts.NONE);
            long hits = AbTest.OPENS.equals(metric) ? c.opens() : c.clicks();
            double rate = c.sent() == 0 ? 0 : (double) hits / c.sent();
            // strictly greater: on a tie the earlier variant stays the winner
            if (rate > bestRate) {
                best = v.position();
                bestRate = rate;
            }
            detail.append(detail.isEmpty() ? "" : ", ").append(v.name()).append(' ').append(hits).append('/').append(c.sent());
        }
        return new Decision(best, "winner " + variants.get(best).name() + " (" + metric + " per sent: " + detail + ")");
    }

    record Decision(int winner, String detail) {
    }
}
