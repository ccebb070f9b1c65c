package io.herald.campaign;

/** The requested transition is not allowed from the campaign's current status (an HTTP 409). */
public class CampaignStateException extends RuntimeException {
    private final CampaignStatus current;

    public CampaignStateException(String message, CampaignStatus current) {
        super(message);
        this.current = current;
    }

    public CampaignStatus current() {
        return current;
    }
}
