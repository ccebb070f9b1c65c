package io.herald.stats;

/** One row of the throughput series: a campaign and an epoch second. */
record ThroughputKey(long campaignId, long epochSecond) {
}
