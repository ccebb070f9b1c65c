package io.herald.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.herald.CounterSeries;
import io.herald.stats.StatsService;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** SQL of the tracking tables. */
@Repository
class TrackingStore {
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate tx;
    private final StatsService stats;

    TrackingStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate tx, StatsService stats) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.tx = tx;
        this.stats = stats;
    }

    /**
     * Stores a campaign's link table (index → URL) unless it is there already. Every worker that renders the
     * campaign computes the same table from the same template, so a concurrent insert of it is harmless.
     */
    void saveLinks(long campaignId, int firstIndex, List<String> urls) {
        if (urls.isEmpty() || links(campaignId).containsKey(firstIndex + urls.size() - 1)) {
            return;
        }
        try {
            tx.executeWithoutResult(status -> {
                Set<Integer> known = links(campaignId).keySet();
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < urls.size(); i++) {
                    if (!known.contains(firstIndex + i)) {
                        rows.add(new Object[]{campaignId, firstIndex + i, urls.get(i)});
                    }
                }
                jdbcTemplate.batchUpdate("INSERT INTO tracking_links (campaign_id, link_index, url) VALUES (?, ?, ?)", rows);
            });
        } catch (DuplicateKeyException e) {
            // another worker stored the same table first
        }
    }

    /** The campaign's tracked URLs by index. */
    Map<Integer, String> links(long campaignId) {
        Map<Integer, String> links = new HashMap<>();
        jdbc.sql("SELECT link_index, url FROM tracking_links WHERE campaign_id = ?").param(campaignId)
                .query(rs -> {
                    links.put(rs.getInt(1), rs.getString(2));
                });
        return links;
    }

    List<LinkStats> linkStats(long campaignId) {
        return jdbc.sql("SELECT link_index, url, clicks, unique_clicks FROM tracking_links WHERE campaign_id = ?"
                        + " ORDER BY link_index")
                .param(campaignId)
                .query((rs, row) -> new LinkStats(rs.getInt(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list();
    }

    /**
     * Writes a batch of events in one transaction: the first open / click of each message (and of each message
     * and link) as rows whose key makes them count once, the campaign's unique counters by the rows this batch
     * actually inserted, each link's counters and the per-minute curve. Keys already stored are read first, in
     * one query per campaign; a key another process inserts meanwhile makes the transaction fail with
     * {@link DuplicateKeyException}, and the caller writes the batch again (then finding that key stored).
     */
    void write(List<TrackingEvent> events) {
        Map<Long, List<TrackingEvent>> byCampaign = new LinkedHashMap<>();
        for (TrackingEvent e : events) {
            byCampaign.computeIfAbsent(e.campaignId(), k -> new ArrayList<>()).add(e);
        }
        tx.executeWithoutResult(status -> byCampaign.forEach(this::writeCampaign));
    }

    private void writeCampaign(long campaignId, List<TrackingEvent> events) {
        Map<Key, TrackingEvent> firsts = new LinkedHashMap<>();
        Map<Integer, long[]> perLink = new TreeMap<>(); // {clicks, unique clicks}
        for (TrackingEvent e : events) {
            if (e.open()) {
                firsts.putIfAbsent(new Key(e.messageId(), TrackingEvent.OPEN), e);
            } else {
                firsts.putIfAbsent(new Key(e.messageId(), TrackingEvent.ANY_CLICK), e);
                firsts.putIfAbsent(new Key(e.messageId(), e.linkIndex()), e);
                perLink.computeIfAbsent(e.linkIndex(), k -> new long[2])[0]++;
            }
        }
        Set<Key> stored = new HashSet<>();
        List<Long> messageIds = firsts.keySet().stream().map(Key::messageId).distinct().toList();
        jdbc.sql("SELECT message_id, link_index FROM tracking_events WHERE campaign_id = :c AND message_id IN (:m)")
                .param("c", campaignId).param("m", messageIds)
                .query(rs -> {
                    stored.add(new Key(rs.getLong(1), rs.getInt(2)));
                });
        List<Object[]> inserts = new ArrayList<>();
        long opens = 0;
        long clicks = 0;
        Map<Long, long[]> minutes = new TreeMap<>(); // {opens, clicks}
        for (Map.Entry<Key, TrackingEvent> first : firsts.entrySet()) {
            Key key = first.getKey();
            if (stored.contains(key)) {
                continue;
            }
            TrackingEvent e = first.getValue();
            inserts.add(new Object[]{campaignId, key.messageId(), key.linkIndex(), e.atMs(), e.ip(), e.userAgent()});
            if (key.linkIndex() == TrackingEvent.OPEN) {
                opens++;
                minutes.computeIfAbsent(e.atMs() / 60_000, k -> new long[2])[0]++;
            } else if (key.linkIndex() == TrackingEvent.ANY_CLICK) {
                clicks++;
                minutes.computeIfAbsent(e.atMs() / 60_000, k -> new long[2])[1]++;
            } else {
                perLink.get(key.linkIndex())[1]++;
            }
        }
        if (!inserts.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO tracking_events (campaign_id, message_id, link_index, at_ms, ip, user_agent)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", inserts);
        }
        if (!perLink.isEmpty()) {
            List<Object[]> updates = new ArrayList<>(perLink.size());
            perLink.forEach((index, c) -> updates.add(new Object[]{c[0], c[1], campaignId, index}));
            jdbcTemplate.batchUpdate("UPDATE tracking_links SET clicks = clicks + ?, unique_clicks = unique_clicks + ?"
                    + " WHERE campaign_id = ? AND link_index = ?", updates);
        }
        addMinutes(campaignId, minutes);
        if (opens != 0 || clicks != 0) {
            stats.addEngagement(campaignId, opens, clicks);
        }
    }

    /** Update, else insert (a concurrent insert of the same minute fails the batch, which is written again). */
    private void addMinutes(long campaignId, Map<Long, long[]> minutes) {
        if (minutes.isEmpty()) {
            return;
        }
        List<Object[]> updates = new ArrayList<>(minutes.size());
        minutes.forEach((minute, c) -> updates.add(new Object[]{c[0], c[1], campaignId, minute}));
        int[] updated = jdbcTemplate.batchUpdate("UPDATE tracking_minutes SET opens = opens + ?, clicks = clicks + ?"
                + " WHERE campaign_id = ? AND epoch_minute = ?", updates);
        List<Object[]> inserts = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] == 0) {
                Object[] u = updates.get(i);
                inserts.add(new Object[]{campaignId, u[3], u[0], u[1]});
            }
        }
        if (!inserts.isEmpty()) {
            jdbcTemplate.batchUpdate("INSERT INTO tracking_minutes (campaign_id, epoch_minute, opens, clicks)"
                    + " VALUES (?, ?, ?, ?)", inserts);
        }
    }

    EngagementSeries engagement(long campaignId, int maxPoints) {
        CounterSeries series = CounterSeries.read(jdbc, "tracking_minutes", "epoch_minute", "opens", "clicks",
                campaignId, maxPoints);
        return new EngagementSeries(campaignId, series.bucket(), series.points().stream()
                .map(p -> new EngagementSeries.Point(p.start(), p.first(), p.second())).toList());
    }

    private record Key(long messageId, int linkIndex) {
    }
}
