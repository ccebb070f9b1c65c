package io.herald.audience;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.InvalidInputException;
import io.herald.InvalidInputException.FieldError;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The recipients API of the audience module: create, read, edit, unsubscribe and delete recipients,
 * list them by tags and text, count tags.
 * <p>
 * Emails are stored lower-cased and phone numbers in E.164, each unique. Deleting is soft (status
 * DELETED, tags removed) so message history still shows who was messaged; creating a recipient with a
 * deleted recipient's email or phone brings that recipient back with the new data. UNSUBSCRIBED, BOUNCED and
 * DELETED recipients are never targeted by a send (segment rules select ACTIVE recipients only), and an address on
 * the suppression list ({@link SuppressedAddresses}) cannot be created or imported.
 */
@Service
public class RecipientService {
    public static final String ACTIVE = "ACTIVE";
    public static final String UNSUBSCRIBED = "UNSUBSCRIBED";
    public static final String DELETED = "DELETED";
    /** Hard-bounced, or soft-bounced too often: the address does not take mail. */
    public static final String BOUNCED = "BOUNCED";

    private final RecipientRepository recipients;
    private final ContactFields fields;
    private final ObjectProvider<SuppressedAddresses> suppressed;
    private final Clock clock = Clock.systemUTC();

    RecipientService(RecipientRepository recipients, AudienceProperties properties,
                     ObjectProvider<SuppressedAddresses> suppressed) {
        this.recipients = recipients;
        this.fields = new ContactFields(properties.defaultRegion());
        this.suppressed = suppressed;
    }

    /** An email (lower-cased) or phone (E.164) in the form recipients store it, and its channel. */
    public record Address(io.herald.Channel channel, String value) {
    }

    /**
     * Normalises an email or a phone number as recipients store it; an {@code @} makes it an email. Throws
     * {@link InvalidInputException} on {@code field} when it is neither.
     */
    public Address address(String raw, String field) {
        try {
            if (raw != null && raw.contains("@")) {
                return new Address(io.herald.Channel.EMAIL, ContactFields.email(raw));
            }
            String phone = fields.phone(raw);
            if (phone != null) {
                return new Address(io.herald.Channel.SMS, phone);
            }
        } catch (ContactFields.Invalid e) {
            throw InvalidInputException.of(field, e.getMessage());
        }
        throw InvalidInputException.of(field, "an email address or a phone number is required");
    }

    /** The recipient (any status but DELETED) whose email or phone this normalised address is. */
    public java.util.Optional<Recipient> findByAddress(Address address) {
        List<String> value = List.of(address.value());
        return recipients.findByEmailsOrPhones(address.channel() == io.herald.Channel.EMAIL ? value : List.of(),
                        address.channel() == io.herald.Channel.SMS ? value : List.of()).stream()
                .filter(r -> !DELETED.equals(r.status())).findFirst();
    }

    /**
     * Takes the recipient out of every later send because of what a provider reported: {@code status} is
     * BOUNCED or UNSUBSCRIBED, {@code reason} why. Only an ACTIVE recipient moves (an unsubscribed one that
     * bounces stays unsubscribed); false when nothing changed.
     */
    @Transactional
    public boolean deactivate(long id, String status, String reason) {
        if (!BOUNCED.equals(status) && !UNSUBSCRIBED.equals(status)) {
            throw new IllegalArgumentException("not a status a recipient is deactivated to: " + status);
        }
        return recipients.setStatusIf(id, List.of(ACTIVE), status, reason, clock.millis());
    }

    /** Makes a BOUNCED or UNSUBSCRIBED recipient ACTIVE again (its address left the suppression list). */
    @Transactional
    public boolean reactivate(long id) {
        return recipients.setStatusIf(id, List.of(BOUNCED, UNSUBSCRIBED), ACTIVE, null, clock.millis());
    }

    /** Creates a recipient (or revives a deleted one with the same email/phone); 409 if it already exists. */
    @Transactional
    public Recipient create(RecipientInput input) {
        Validated v = validate(input.name(), input.email(), input.phone(), input.tags(), input.attributes(), true);
        rejectSuppressed(v);
        long now = clock.millis();
        List<Recipient> owners = recipients.findByEmailsOrPhones(v.email == null ? List.of() : List.of(v.email),
                v.phone == null ? List.of() : List.of(v.phone));
        try {
            if (owners.isEmpty()) {
                long id = recipients.insertOne(new NewRecipient(v.name, v.email, v.phone, v.tags, v.attributes), now);
                return get(id);
            }
            Recipient owner = owners.get(0);
            if (owners.size() > 1 || !DELETED.equals(owner.status())) {
                throw conflict(v, owners);
            }
            // A deleted recipient comes back; delete() already removed their tag rows.
            recipients.updateAll(List.of(new RecipientRepository.Row(owner.id(), v.name, v.email, v.phone, v.tags,
                    v.attributes, ACTIVE)), now);
            recipients.addTags(v.tags.stream().map(t -> new Object[]{owner.id(), t}).toList());
            return get(owner.id());
        } catch (DuplicateKeyException e) {
            throw new RecipientConflictException(v.email != null ? "email" : "phone", null,
                    "a recipient with this email or phone was created at the same time");
        }
    }

    /** The recipient (ACTIVE or UNSUBSCRIBED); a deleted one is not found. */
    public Recipient get(long id) {
        return recipients.find(id).filter(r -> !DELETED.equals(r.status()))
                .orElseThrow(() -> new RecipientNotFoundException(id));
    }

    /** Changes the given fields; tags and attributes given replace the stored ones. */
    @Transactional
    public Recipient update(long id, RecipientInput patch) {
        Recipient current = get(id);
        String email = patch.clearEmail() ? null : patch.email() != null ? patch.email() : current.email();
        String phone = patch.clearPhone() ? null : patch.phone() != null ? patch.phone() : current.phone();
        Validated v = validate(patch.name() != null ? patch.name() : current.name(), email, phone,
                patch.tags() != null ? patch.tags() : current.tags(),
                patch.attributes() != null ? patch.attributes() : current.attributes(), false);
        if (!java.util.Objects.equals(v.email, current.email()) || !java.util.Objects.equals(v.phone, current.phone())) {
            rejectSuppressed(v);
        }
        List<Recipient> owners = recipients.findByEmailsOrPhones(v.email == null ? List.of() : List.of(v.email),
                v.phone == null ? List.of() : List.of(v.phone)).stream().filter(r -> r.id() != id).toList();
        if (!owners.isEmpty()) {
            throw conflict(v, owners);
        }
        try {
            recipients.updateAll(List.of(new RecipientRepository.Row(id, v.name, v.email, v.phone, v.tags, v.attributes,
                    current.status())), clock.millis());
        } catch (DuplicateKeyException e) {
            throw new RecipientConflictException("email", null, "the email or phone was just taken by another recipient");
        }
        if (!Set.copyOf(v.tags).equals(Set.copyOf(current.tags()))) {
            recipients.deleteTags(id, current.tags());
            recipients.addTags(v.tags.stream().map(t -> new Object[]{id, t}).toList());
        }
        return get(id);
    }

    /** Keeps the recipient (and their history) but out of every later send. */
    @Transactional
    public Recipient unsubscribe(long id) {
        if (!recipients.setStatus(id, UNSUBSCRIBED, clock.millis())) {
            throw new RecipientNotFoundException(id);
        }
        return get(id);
    }

    /**
     * Unsubscribes an ACTIVE recipient (through a signed link); false when they were not ACTIVE (already
     * unsubscribed, deleted or unknown), so repeating it changes nothing.
     */
    @Transactional
    public boolean unsubscribeIfActive(long id) {
        return recipients.setStatusIf(id, ACTIVE, UNSUBSCRIBED, clock.millis());
    }

    /** The recipient with this id in any status, deleted ones included. */
    public java.util.Optional<Recipient> find(long id) {
        return recipients.find(id);
    }

    /** Soft delete: out of every later send and every listing; message history keeps their name. */
    @Transactional
    public void delete(long id) {
        if (!recipients.setStatus(id, DELETED, clock.millis())) {
            throw new RecipientNotFoundException(id);
        }
        // Read after the UPDATE, which holds the row lock: the tags seen are the latest committed ones.
        recipients.find(id).ifPresent(r -> recipients.deleteTags(id, r.tags()));
    }

    /**
     * A page of recipients, newest first: {@code rule} null means any tags, {@code q} null any text,
     * {@code status} null both ACTIVE and UNSUBSCRIBED. Pass the last id seen as {@code beforeId}.
     */
    public List<Recipient> list(SegmentRule rule, String q, String status, Long beforeId, int limit) {
        String text = q == null || q.isBlank() ? null : q.trim();
        return recipients.page(rule, text, status, beforeId == null ? Long.MAX_VALUE : beforeId, limit);
    }

    /**
     * ACTIVE recipients selected by the rule (all ACTIVE ones for a null rule) that have an address for the
     * channel ({@code reachable}) or lack one: who a send would reach now. A null channel counts any address.
     */
    public long count(SegmentRule rule, io.herald.Channel channel, boolean reachable) {
        if (channel == null && !reachable) {
            return 0;
        }
        return rule == null ? recipients.countActive(channel, reachable) : recipients.countTargets(rule, channel, reachable);
    }

    public List<TagCount> tags() {
        return recipients.tagCounts().stream().map(e -> new TagCount(e.getKey(), e.getValue())).toList();
    }

    /** A suppressed address cannot come back through the API either (409 naming the list). */
    private void rejectSuppressed(Validated v) {
        SuppressedAddresses list = suppressed.getIfAvailable();
        if (list == null) {
            return;
        }
        List<String> addresses = new ArrayList<>(2);
        if (v.email != null) {
            addresses.add(v.email);
        }
        if (v.phone != null) {
            addresses.add(v.phone);
        }
        Map<String, String> found = addresses.isEmpty() ? Map.of() : list.reasons(addresses);
        if (!found.isEmpty()) {
            String address = found.keySet().iterator().next();
            throw new AddressSuppressedException(address.equals(v.email) ? "email" : "phone",
                    address + " is on the suppression list (" + found.get(address) + "); remove it there first");
        }
    }

    private RecipientConflictException conflict(Validated v, List<Recipient> owners) {
        Recipient owner = owners.get(0);
        String field = v.email != null && v.email.equals(owner.email()) ? "email" : "phone";
        String what = DELETED.equals(owner.status()) ? "a deleted recipient" : "recipient " + owner.id();
        return new RecipientConflictException(field, owner.id(), "this " + field + " already belongs to " + what);
    }

    private record Validated(String name, String email, String phone, List<String> tags, Map<String, String> attributes) {
    }

    private Validated validate(String rawName, String rawEmail, String rawPhone, List<String> rawTags,
                               Map<String, String> rawAttributes, boolean creating) {
        List<FieldError> errors = new ArrayList<>();
        String name = null;
        String email = null;
        String phone = null;
        List<String> tags = List.of();
        Map<String, String> attributes = new LinkedHashMap<>();
        try {
            name = ContactFields.name(rawName);
        } catch (ContactFields.Invalid e) {
            errors.add(new FieldError("name", e.getMessage()));
        }
        try {
            email = ContactFields.email(rawEmail);
        } catch (ContactFields.Invalid e) {
            errors.add(new FieldError("email", e.getMessage()));
        }
        try {
            phone = fields.phone(rawPhone);
        } catch (ContactFields.Invalid e) {
            errors.add(new FieldError("phone", e.getMessage()));
        }
        if (email == null && phone == null && errors.stream().noneMatch(f -> f.field().equals("email") || f.field().equals("phone"))) {
            errors.add(new FieldError("email", "a recipient needs an email or a phone number (or both)"));
        }
        try {
            tags = ContactFields.tags(rawTags);
        } catch (ContactFields.Invalid e) {
            errors.add(new FieldError("tags", e.getMessage()));
        }
        if (rawAttributes != null) {
            for (Map.Entry<String, String> a : rawAttributes.entrySet()) {
                String key = ContactFields.attributeKey(a.getKey());
                if (key == null || !key.equals(a.getKey())) {
                    errors.add(new FieldError("attributes." + a.getKey(), "attribute names are 1-64 letters, digits or '_'"
                            + " and not id, name, email, phone or tags"));
                } else if (a.getValue() != null) {
                    attributes.put(key, a.getValue());
                }
            }
            try {
                ContactFields.checkAttributesSize(attributes);
            } catch (ContactFields.Invalid e) {
                errors.add(new FieldError("attributes", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Validated(name, email, phone, tags, attributes);
    }
}
