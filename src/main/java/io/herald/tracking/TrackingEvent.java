package io.herald.tracking;

/** One open ({@code linkIndex} {@link #OPEN}) or click (the link's index) as the writer receives it. */
record TrackingEvent(long campaignId, long messageId, int linkIndex, long atMs, String ip, String userAgent) {
    static final int OPEN = -1;
    /** The key of a message's first click on any link, beside the key per link. */
    static final int ANY_CLICK = -2;

    boolean open() {
        return linkIndex == OPEN;
    }
}
