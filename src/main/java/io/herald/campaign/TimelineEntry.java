package io.herald.campaign;

import java.time.Instant;

/** One entry of a campaign's timeline: what happened ({@code event}, e.g. "winner") and its details. */
public record TimelineEntry(Instant at, String event, String detail) {
}
