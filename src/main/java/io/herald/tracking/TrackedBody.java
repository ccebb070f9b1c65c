package io.herald.tracking;

import java.util.HashMap;
import java.util.Map;

import io.herald.security.TokenSigner;

/**
 * A campaign's HTML body template prepared for tracking ({@link TrackingService#prepare}): compile
 * {@link #source()} instead of the campaign's template and add {@link #variables} to each message's variables.
 * Thread-safe.
 */
public final class TrackedBody {
    private final String source;
    private final long campaignId;
    private final int firstIndex;
    private final int links;
    private final boolean opens;
    private final String publicUrl;
    private final TokenSigner signer;

    TrackedBody(String source, long campaignId, int firstIndex, int links, boolean opens, String publicUrl, TokenSigner signer) {
        this.source = source;
        this.campaignId = campaignId;
        this.firstIndex = firstIndex;
        this.links = links;
        this.opens = opens;
        this.publicUrl = publicUrl;
        this.signer = signer;
    }

    /** The template with tracked links and the open pixel. */
    public String source() {
        return source;
    }

    /** Tracked links in the body (distinct URLs). */
    public int links() {
        return links;
    }

    /** One message's signed click and open URLs, by the variable names {@link #source()} uses. */
    public Map<String, Object> variables(long messageId) {
        Map<String, Object> variables = new HashMap<>(links + 2);
        for (int i = 0; i < links; i++) {
            variables.put(LinkRewriter.LINK_VARIABLE + i,
                    publicUrl + "/l/" + signer.sign(TrackingService.CLICK, messageId, campaignId, firstIndex + i));
        }
        if (opens) {
            variables.put(LinkRewriter.OPEN_VARIABLE,
                    publicUrl + "/o/" + signer.sign(TrackingService.OPEN, messageId, campaignId) + ".gif");
        }
        return variables;
    }
}
