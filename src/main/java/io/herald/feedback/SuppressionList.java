package io.herald.feedback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.herald.DatabaseVendor;
import io.herald.InvalidInputException;
import io.herald.KeyLookup;
import io.herald.audience.Recipient;
import io.herald.audience.RecipientService;
import io.herald.audience.SuppressedAddresses;
import io.herald.security.AuditLog;
import io.herald.security.HeraldPrincipal;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The suppression list: addresses that bounced, complained, unsubscribed or were added by hand. Adding an address
 * takes its recipient out of every later send (BOUNCED for bounces, UNSUBSCRIBED otherwise); an import or the API
 * cannot bring it back. Removing it makes its recipient ACTIVE again, unless their other address is still listed.
 */
@Service
public class SuppressionList implements SuppressedAddresses {
    private static final String COLUMNS = "id, address, channel, reason, detail, recipient_id, campaign_id, created_by, created_at";

    private final JdbcClient jdbc;
    private final RecipientService recipients;
    private final AuditLog audit;
    private final DatabaseVendor vendor;

    SuppressionList(JdbcClient jdbc, DatabaseVendor vendor, RecipientService recipients, AuditLog audit) {
        this.jdbc = jdbc;
        this.recipients = recipients;
        this.audit = audit;
        this.vendor = vendor;
    }

    @Override
    @Transactional(readOnly = true)
    public Map<String, String> reasons(Collection<String> addresses) {
        Map<String, String> found = new HashMap<>();
        if (addresses.isEmpty()) {
            return found;
        }
        KeyLookup.select(jdbc, vendor, "address, reason", "suppressions", "address", addresses).query(rs -> {
            found.put(rs.getString(1), rs.getString(2));
        });
        return found;
    }

    /** One entry. */
    @Transactional(readOnly = true)
    public Optional<Suppression> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM suppressions WHERE id = ?").param(id).query(SuppressionList::map).optional();
    }

    /** The entry for a normalised address. */
    @Transactional(readOnly = true)
    public Optional<Suppression> findByAddress(String address) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM suppressions WHERE address = ?").param(address)
                .query(SuppressionList::map).optional();
    }

    /** Newest first, keyset-paged on id; {@code reason} and {@code q} (part of the address) optional. */
    @Transactional(readOnly = true)
    public List<Suppression> page(String reason, String q, long beforeId, int limit) {
        if (reason != null && !Suppression.REASONS.contains(reason)) {
            throw InvalidInputException.of("reason", "must be one of " + Suppression.REASONS);
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM suppressions WHERE id < :before");
        if (reason != null) {
            sql.append(" AND reason = :reason");
        }
        if (q != null && !q.isBlank()) {
            sql.append(" AND address LIKE :q");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        return jdbc.sql(sql.toString()).param("before", beforeId).param("reason", reason)
                .param("q", q == null ? null : "%" + q.trim().toLowerCase(java.util.Locale.ROOT).replace("%", "") + "%")
                .param("limit", limit)
                .query(SuppressionList::map).list();
    }

    /**
     * Adds an address by hand (from another system, say): 409 when it is already listed. Its recipient, if any,
     * becomes UNSUBSCRIBED.
     */
    @Transactional
    public Suppression addManually(String rawAddress, String detail, HeraldPrincipal by, String remoteAddr) {
        RecipientService.Address address = recipients.address(rawAddress, "address");
        Optional<Suppression> existing = findByAddress(address.value());
        if (existing.isPresent()) {
            throw new AlreadySuppressedException(existing.get());
        }
        Optional<Recipient> owner = recipients.findByAddress(address);
        long id = insert(address, "manual", detail, owner.map(Recipient::id).orElse(null), null, actor(by));
        owner.ifPresent(r -> recipients.deactivate(r.id(), RecipientService.UNSUBSCRIBED, "suppressed by hand"
                + (detail == null || detail.isBlank() ? "" : ": " + detail)));
        audit.record(by, "suppression.create", "suppression", Long.toString(id), address.value() + " (manual)", remoteAddr);
        return find(id).orElseThrow();
    }

    /**
     * Lists an address because of what happened to it; keeps the first entry when it is already listed. Returns
     * whether it was added.
     */
    @Transactional
    boolean add(RecipientService.Address address, String reason, String detail, Long recipientId, Long campaignId,
                String createdBy) {
        if (findByAddress(address.value()).isPresent()) {
            return false;
        }
        insert(address, reason, detail, recipientId, campaignId, createdBy);
        return true;
    }

    private long insert(RecipientService.Address address, String reason, String detail, Long recipientId, Long campaignId,
                        String createdBy) {
        org.springframework.jdbc.support.KeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("INSERT INTO suppressions (address, channel, reason, detail, recipient_id, campaign_id, created_by, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(address.value(), address.channel().key(), reason, truncate(detail), recipientId, campaignId,
                        truncate(createdBy), System.currentTimeMillis())
                .update(keys, "id");
        return keys.getKey().longValue();
    }

    /**
     * Removes an entry; its recipient becomes ACTIVE again when their other address is not listed. Empty when
     * there is no such entry.
     */
    @Transactional
    public Optional<Suppression> remove(long id, HeraldPrincipal by, String remoteAddr) {
        Optional<Suppression> entry = find(id);
        entry.ifPresent(s -> {
            jdbc.sql("DELETE FROM suppressions WHERE id = ?").param(id).update();
            recipients.findByAddress(new RecipientService.Address(io.herald.Channel.parse(s.channel()), s.address()))
                    .ifPresent(r -> {
                        List<String> others = new ArrayList<>(2);
                        if (r.email() != null && !r.email().equals(s.address())) {
                            others.add(r.email());
                        }
                        if (r.phone() != null && !r.phone().equals(s.address())) {
                            others.add(r.phone());
                        }
                        if (reasons(others).isEmpty()) {
                            recipients.reactivate(r.id());
                        }
                    });
            audit.record(by, "suppression.delete", "suppression", Long.toString(id), s.address() + " (" + s.reason() + ")",
                    remoteAddr);
        });
        return entry;
    }

    private static String actor(HeraldPrincipal by) {
        return by == null ? "system" : by.actor();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }

    private static Suppression map(ResultSet rs, int row) throws SQLException {
        long recipient = rs.getLong("recipient_id");
        Long recipientId = rs.wasNull() ? null : recipient;
        long campaign = rs.getLong("campaign_id");
        Long campaignId = rs.wasNull() ? null : campaign;
        return new Suppression(rs.getLong("id"), rs.getString("address"), rs.getString("channel"), rs.getString("reason"),
                rs.getString("detail"), recipientId, campaignId, rs.getString("created_by"),
                Instant.ofEpochMilli(rs.getLong("created_at")));
    }

    /** The address is already on the list (409). */
    public static class AlreadySuppressedException extends RuntimeException {
        private final transient Suppression existing;

        AlreadySuppressedException(Suppression existing) {
            super(existing.address() + " is already on the suppression list (" + existing.reason() + ")");
            this.existing = existing;
        }

        public Suppression existing() {
            return existing;
        }
    }
}
