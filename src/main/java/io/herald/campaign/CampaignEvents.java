package io.herald.campaign;

/** Lifecycle events other modules react to; published inside the transaction that caused them. */
public final class CampaignEvents {
    private CampaignEvents() {
    }

    /** The campaign went SENDING (sent now, or its schedule came due): fan-out should start. */
    public record SendStarted(long campaignId, String segmentRule) {
    }

    /** A paused campaign is SENDING again: its waiting messages should be handed to workers again. */
    public record Resumed(long campaignId) {
    }

    /** The campaign was cancelled: messages not yet delivered must never be. */
    public record Cancelled(long campaignId) {
    }

    /** The winner of an A/B test was chosen: it goes to the recipients outside the test group. */
    public record WinnerChosen(long campaignId) {
    }
}
