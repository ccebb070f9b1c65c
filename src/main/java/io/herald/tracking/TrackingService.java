package io.herald.tracking;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.herald.security.TokenSigner;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * The tracking module's API. Workers {@link #prepare} a campaign's HTML body once (links rewritten to
 * {@code {public-url}/l/{token}}, a pixel {@code {public-url}/o/{token}.gif} added) and add each message's
 * {@link TrackedBody#variables}; the API serves {@link #click} and {@link #open}, which check the token's
 * signature (message, campaign and link, signed with {@link TokenSigner}, so every process accepts every other's
 * links) and queue the event for the batched writer without waiting for the database.
 */
@Service
public class TrackingService {
    static final String CLICK = "click";
    static final String OPEN = "open";
    private static final int MAX_CACHED_CAMPAIGNS = 10_000;
    private static final int MAX_USER_AGENT = 200;

    private final TokenSigner signer;
    private final TrackingStore store;
    private final TrackingEventWriter writer;
    private final boolean storeIp;
    private final String publicUrl;
    private final Map<Long, Map<Integer, String>> linkCache = new ConcurrentHashMap<>();

    TrackingService(TokenSigner signer, TrackingStore store, TrackingEventWriter writer, TrackingProperties properties,
                    @Value("${herald.public-url:http://localhost:8080}") String publicUrl) {
        this.signer = signer;
        this.store = store;
        this.writer = writer;
        this.storeIp = properties.storeIp();
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /**
     * Prepares a campaign's HTML body template: links rewritten when {@code clicks}, the open pixel added when
     * {@code opens}. Stores the campaign's link table (once; the same template always gives the same table).
     */
    public TrackedBody prepare(long campaignId, String htmlTemplate, boolean clicks, boolean opens) {
        return prepare(campaignId, htmlTemplate, clicks, opens, 0);
    }

    /**
     * As above for the body of A/B variant {@code variant}: its links are numbered from {@code variant} × 500 (more
     * links than a body may have tracked), so every variant's links share the campaign's link table without clashing.
     */
    public TrackedBody prepare(long campaignId, String htmlTemplate, boolean clicks, boolean opens, int variant) {
        LinkRewriter.Rewritten rewritten = LinkRewriter.rewrite(htmlTemplate, publicUrl + "/u/", clicks, opens);
        int firstIndex = variant * LinkRewriter.MAX_LINKS;
        store.saveLinks(campaignId, firstIndex, rewritten.urls());
        return new TrackedBody(rewritten.source(), campaignId, firstIndex, rewritten.urls().size(), opens, publicUrl, signer);
    }

    /**
     * The original URL of a click link, the click queued for counting; empty for a forged or altered token (or
     * a link the campaign does not have).
     */
    public Optional<String> click(String token, String ip, String userAgent) {
        Optional<long[]> ids = signer.verify(CLICK, token, 3);
        if (ids.isEmpty() || ids.get()[2] > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        long messageId = ids.get()[0];
        long campaignId = ids.get()[1];
        int index = (int) ids.get()[2];
        String url = url(campaignId, index);
        if (url == null) {
            return Optional.empty();
        }
        writer.offer(event(campaignId, messageId, index, ip, userAgent));
        return Optional.of(url);
    }

    /** Queues an open for counting; false for a forged or altered token. */
    public boolean open(String token, String ip, String userAgent) {
        Optional<long[]> ids = signer.verify(OPEN, token, 2);
        ids.ifPresent(i -> writer.offer(event(i[1], i[0], TrackingEvent.OPEN, ip, userAgent)));
        return ids.isPresent();
    }

    /** Clicks per tracked link of a campaign, in the order the links appear in the body. */
    public List<LinkStats> links(long campaignId) {
        return store.linkStats(campaignId);
    }

    /** Unique opens and clicks over time in at most {@code maxPoints} buckets of whole minutes, oldest first. */
    public EngagementSeries engagement(long campaignId, int maxPoints) {
        return store.engagement(campaignId, maxPoints);
    }

    /** Events dropped because the writer's queue was full (since start). */
    public long droppedEvents() {
        return writer.dropped();
    }

    private TrackingEvent event(long campaignId, long messageId, int index, String ip, String userAgent) {
        String agent = userAgent == null ? null : userAgent.length() > MAX_USER_AGENT ? userAgent.substring(0, MAX_USER_AGENT) : userAgent;
        return new TrackingEvent(campaignId, messageId, index, System.currentTimeMillis(), storeIp ? ip : null, agent);
    }

    private String url(long campaignId, int index) {
        Map<Integer, String> links = linkCache.get(campaignId);
        if (links == null || !links.containsKey(index)) {
            // first click of the campaign in this process (or its table was stored after we read it)
            links = Map.copyOf(store.links(campaignId));
            if (linkCache.size() >= MAX_CACHED_CAMPAIGNS) {
                linkCache.clear();
            }
            linkCache.put(campaignId, links);
        }
        return links.get(index);
    }
}
