package io.herald.campaign;

import java.time.Instant;

/** A campaign: who to message (segment rule), what to say (template) and where it stands. */
public record Campaign(long id, String name, String template, String segmentRule, CampaignStatus status,
                       Long externalId, Instant createdAt, Instant updatedAt, Instant scheduledAt,
                       Instant startedAt, Instant completedAt) {
}
