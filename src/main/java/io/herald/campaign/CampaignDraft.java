package io.herald.campaign;

import java.time.Instant;

/** Input for a new campaign; {@code scheduledAt} null means a draft to send by hand. */
public record CampaignDraft(String name, String template, String segmentRule, Instant scheduledAt, Long externalId) {
}
