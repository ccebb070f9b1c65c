package io.herald.campaign;

/** DRAFT → SCHEDULED → SENDING → COMPLETED, plus PAUSED (from SENDING) and CANCELLED. */
public enum CampaignStatus {
    DRAFT, SCHEDULED, SENDING, PAUSED, COMPLETED, CANCELLED;

    public boolean isEditable() {
        return this == DRAFT || this == SCHEDULED;
    }
}
