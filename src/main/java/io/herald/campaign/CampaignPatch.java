package io.herald.campaign;

import java.time.Instant;

/** Changes to a DRAFT or SCHEDULED campaign; null fields stay as they are. */
public record CampaignPatch(String name, String template, String segmentRule, Instant scheduledAt, boolean clearSchedule) {
}
