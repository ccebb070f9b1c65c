package io.herald.campaign;

public class CampaignNotFoundException extends RuntimeException {
    public CampaignNotFoundException(long id) {
        super("campaign " + id + " does not exist");
    }
}
