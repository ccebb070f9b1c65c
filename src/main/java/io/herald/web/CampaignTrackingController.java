package io.herald.web;

import io.herald.InvalidInputException;
import io.herald.campaign.CampaignService;
import io.herald.tracking.TrackingService;
import io.herald.web.CampaignViews.EngagementView;
import io.herald.web.CampaignViews.LinksView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What recipients did with a campaign's emails: clicks per link and opens/clicks over time. */
@RestController
@RequestMapping("/campaigns")
@Tag(name = "Campaigns")
class CampaignTrackingController {
    private final CampaignService campaigns;
    private final TrackingService tracking;

    CampaignTrackingController(CampaignService campaigns, TrackingService tracking) {
        this.campaigns = campaigns;
        this.tracking = tracking;
    }

    @GetMapping("/{id}/links")
    @Operation(summary = "Clicks per tracked link", description = "Each tracked URL of the HTML body with its clicks and"
            + " unique clicks (recipients who clicked it at least once); read from per-link counters")
    LinksView links(@PathVariable long id) {
        campaigns.get(id);
        return LinksView.of(tracking.links(id));
    }

    @GetMapping("/{id}/stats/engagement")
    @Operation(summary = "Opens and clicks over time", description = "Recipients who first opened / first clicked per"
            + " bucket of whole minutes, oldest first, at most `points` buckets (default 120, 2 to 1000)")
    EngagementView engagement(@PathVariable long id, @RequestParam(defaultValue = "120") int points) {
        if (points < 2 || points > 1000) {
            throw InvalidInputException.of("points", "must be between 2 and 1000");
        }
        campaigns.get(id);
        return EngagementView.of(tracking.engagement(id, points));
    }
}
