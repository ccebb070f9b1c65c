package io.herald.audience;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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

    /** Next page of target recipient ids after {@code afterId}, ascending; empty when there are no more. */
    public List<Long> targetPage(SegmentRule rule, long afterId, int limit) {
        return recipients.targetIds(rule, afterId, limit);
    }

    /** How many ACTIVE recipients the rule selects now. */
    public long countTargets(SegmentRule rule) {
        return recipients.countTargets(rule);
    }

    /** Contact details for the given recipient ids (deleted ones included, so history still renders). */
    public Map<Long, Contact> contacts(Collection<Long> recipientIds) {
        return recipients.contacts(recipientIds);
    }

    /** The first {@code limit} targets of the rule with their contact details, in id order. */
    public List<Contact> firstTargets(SegmentRule rule, int limit) {
        List<Long> ids = recipients.targetIds(rule, 0, limit);
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
