package io.herald.campaign;

import java.time.Instant;

import io.herald.Channel;

/**
 * Changes to a DRAFT or SCHEDULED campaign; null fields stay as they are. {@code clear} names nullable
 * fields sent as an explicit JSON null ({@code scheduled_at}, {@code text_template}, {@code from},
 * {@code reply_to}), which are cleared.
 */
public record CampaignPatch(String name, Channel channel, String subject, String template, String contentType,
                            String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                            java.util.Set<String> clear, Boolean trackClicks, Boolean trackOpens) {
    /** A patch that leaves tracking as it is. */
    public CampaignPatch(String name, Channel channel, String subject, String template, String contentType,
                         String textTemplate, String from, String replyTo, String segmentRule, Instant scheduledAt,
                         java.util.Set<String> clear) {
        this(name, channel, subject, template, contentType, textTemplate, from, replyTo, segmentRule, scheduledAt, clear,
                null, null);
    }

    public CampaignPatch {
        clear = clear == null ? java.util.Set.of() : java.util.Set.copyOf(clear);
    }

    boolean clears(String field) {
        return clear.contains(field);
    }
}
