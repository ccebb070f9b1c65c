package io.herald.campaign;

import java.time.Instant;

import io.herald.Channel;

/**
 * Input for a new campaign; {@code scheduledAt} null means a draft to send by hand. A null {@code channel}
 * is {@code herald.default-channel}; a null {@code contentType} is html for email. The email fields
 * ({@code subject}, {@code contentType}, {@code textTemplate}, {@code from}, {@code replyTo}) are ignored for SMS.
 */
public record CampaignDraft(String name, Channel channel, String subject, String template, String contentType,
                            String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                            Long externalId) {

    /** A campaign of the given channel with a body only (an SMS, or an email without subject: invalid). */
    public static CampaignDraft bodyOnly(String name, Channel channel, String template, String segmentRule,
                                         Instant scheduledAt, Long externalId) {
        return new CampaignDraft(name, channel, null, template, null, null, null, null, segmentRule, scheduledAt, externalId);
    }
}
