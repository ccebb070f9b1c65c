package io.herald.campaign;

import java.time.Duration;
import java.time.Instant;

/**
 * A campaign's automatic-winner test: {@code share} percent of the segment gets the variants; after {@code waitTime} the
 * variant with the highest unique {@code metric} ("clicks" or "opens") per sent message goes to the rest. {@code phase}
 * is null before sending; {@code waitUntil} is set once the test messages are out; {@code winner} is the winning
 * variant's position once chosen.
 */
public record AbTest(int share, String metric, Duration waitTime, AbPhase phase, Instant waitUntil, Integer winner) {
    public static final String CLICKS = "clicks";
    public static final String OPENS = "opens";
}
