package io.herald.campaign;

import java.time.Instant;

import io.herald.Channel;

/**
 * A campaign: who to message (segment rule), on which channel, what to say and where it stands.
 * {@code template} is the body; email campaigns add a {@code subject}, a {@code contentType} (HTML or
 * text), an optional plain-text alternative and optional sender addresses (null: the configured defaults), and
 * whether its HTML body's links and opens are tracked ({@code trackClicks}, {@code trackOpens}; false for SMS).
 */
public record Campaign(long id, String name, Channel channel, String subject, String template, ContentType contentType,
                       String textTemplate, String from, String replyTo, String segmentRule, CampaignStatus status,
                       Long externalId, Instant createdAt, Instant updatedAt, Instant scheduledAt,
                       Instant startedAt, Instant completedAt, boolean trackClicks, boolean trackOpens) {
}
