package io.herald.campaign;

import java.time.Instant;

import io.herald.Channel;

/**
 * A campaign: who to message (segment rule), on which channel, what to say and where it stands.
 * {@code template} is the body; email campaigns add a {@code subject}, a {@code contentType} (HTML or
 * text), an optional plain-text alternative and optional sender addresses (null: the configured defaults), and
 * whether its HTML body's links and opens are tracked ({@code trackClicks}, {@code trackOpens}; false for SMS).
 * {@code variants} is empty or holds 2 to 5 A/B variants (each recipient gets one); {@code abTest} is null or the
 * automatic-winner test over them.
 */
public record Campaign(long id, String name, Channel channel, String subject, String template, ContentType contentType,
                       String textTemplate, String from, String replyTo, String segmentRule, CampaignStatus status,
                       Long externalId, Instant createdAt, Instant updatedAt, Instant scheduledAt,
                       Instant startedAt, Instant completedAt, boolean trackClicks, boolean trackOpens,
                       java.util.List<Variant> variants, AbTest abTest) {
    public Campaign {
        variants = variants == null ? java.util.List.of() : java.util.List.copyOf(variants);
    }

    /** A campaign without variants. */
    public Campaign(long id, String name, Channel channel, String subject, String template, ContentType contentType,
                    String textTemplate, String from, String replyTo, String segmentRule, CampaignStatus status,
                    Long externalId, Instant createdAt, Instant updatedAt, Instant scheduledAt,
                    Instant startedAt, Instant completedAt, boolean trackClicks, boolean trackOpens) {
        this(id, name, channel, subject, template, contentType, textTemplate, from, replyTo, segmentRule, status, externalId,
                createdAt, updatedAt, scheduledAt, startedAt, completedAt, trackClicks, trackOpens, null, null);
    }

    /** The phase of its automatic-winner test, null without one (or before it is sent). */
    public AbPhase abPhase() {
        return abTest == null ? null : abTest.phase();
    }
}
