package io.herald.tracking;

/** Clicks on one tracked link of a campaign: all of them, and recipients who clicked it at least once. */
public record LinkStats(int index, String url, long clicks, long uniqueClicks) {
}
