package io.herald.campaign;

/** A variant as given in a new campaign; validated by {@link CampaignService}. A null subject is the campaign's. */
public record VariantInput(String name, String subject, String template, Integer weight) {
}
