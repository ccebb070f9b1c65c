package io.herald.campaign;

import java.time.Instant;

import io.herald.Channel;

/**
 * Input for a new campaign; {@code scheduledAt} null means a draft to send by hand. A null {@code channel}
 * is {@code herald.default-channel}; a null {@code contentType} is html for email. The email fields
 * ({@code subject}, {@code contentType}, {@code textTemplate}, {@code from}, {@code replyTo}, {@code trackClicks},
 * {@code trackOpens}) are ignored for SMS; a null {@code trackClicks} / {@code trackOpens} is
 * {@code herald.tracking.clicks} / {@code herald.tracking.opens}. {@code variants} (null: none) and {@code abTest}
 * (null: none) make it an A/B test.
 */
public record CampaignDraft(String name, Channel channel, String subject, String template, String contentType,
                            String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                            Long externalId, Boolean trackClicks, Boolean trackOpens,
                            java.util.List<VariantInput> variants, AbTestInput abTest) {

    /** A campaign without variants. */
    public CampaignDraft(String name, Channel channel, String subject, String template, String contentType,
                         String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                         Long externalId, Boolean trackClicks, Boolean trackOpens) {
        this(name, channel, subject, template, contentType, textTemplate, from, replyTo, segmentRule, scheduledAt,
                externalId, trackClicks, trackOpens, null, null);
    }

    /** A campaign with the installation's tracking defaults. */
    public CampaignDraft(String name, Channel channel, String subject, String template, String contentType,
                         String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                         Long externalId) {
        this(name, channel, subject, template, contentType, textTemplate, from, replyTo, segmentRule, scheduledAt,
                externalId, null, null);
    }

    /** A campaign of the given channel with a body only (an SMS, or an email without subject: invalid). */
    public static CampaignDraft bodyOnly(String name, Channel channel, String template, String segmentRule,
                                         Instant scheduledAt, Long externalId) {
        return new CampaignDraft(name, channel, null, template, null, null, null, null, segmentRule, scheduledAt, externalId);
    }
}
