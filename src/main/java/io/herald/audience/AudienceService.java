package io.herald.audience;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.herald.Channel;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The audience module's API: who a segment rule selects, streamed in keyset pages, and what
 * a message needs to know about each recipient.
 */
@Service
public class AudienceService {
    private final RecipientRepository recipients;

    AudienceService(RecipientRepository recipients) {
        this.recipients = recipients;
    }

    /**
     * Next page of target recipient ids after {@code afterId}, ascending; empty when there are no more.
     * Only recipients with an address for the channel are targets.
     */
    public List<Long> targetPage(SegmentRule rule, Channel channel, long afterId, int limit) {
        return recipients.targetIds(rule, channel, afterId, limit);
    }

    /** How many ACTIVE recipients the rule selects now that are reachable on the channel. */
    public long countTargets(SegmentRule rule, Channel channel) {
        return recipients.countTargets(rule, channel, true);
    }

    /** How many ACTIVE recipients the rule selects that have no address for the channel. */
    public long countUnreachable(SegmentRule rule, Channel channel) {
        return recipients.countTargets(rule, channel, false);
    }

    /** Contact details for the given recipient ids (deleted ones included, so history still renders). */
    public Map<Long, Contact> contacts(Collection<Long> recipientIds) {
        return recipients.contacts(recipientIds);
    }

    /** The first {@code limit} targets of the rule with their contact details, in id order. */
    public List<Contact> firstTargets(SegmentRule rule, Channel channel, int limit) {
        List<Long> ids = recipients.targetIds(rule, channel, 0, limit);
        Map<Long, Contact> contacts = recipients.contacts(ids);
        return ids.stream().map(contacts::get).filter(c -> c != null).toList();
    }

    /** Inserts new recipients in batches (the caller guarantees they do not exist yet); returns their ids. */
    @Transactional
    public List<Long> insertAll(List<NewRecipient> newRecipients, long now) {
        return recipients.insertAll(newRecipients, now);
    }

    public long countAll() {
        return recipients.countAll();
    }
}
